"""Tests of pure code: parsers from fixture files, rules, helpers (no services)."""
