"""Helpers every parser shares: JSON and JSONP payloads, HTML text and selectors,
counts as platforms print them, list pages, and one error type (PayloadError)."""
