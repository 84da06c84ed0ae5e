"""Toutiao's settings and their defaults (folded into the project settings)."""

from __future__ import annotations

# An article refused to plain HTTP (a JS challenge) is tried once in chromium.
TOUTIAO_BROWSER_FALLBACK = True
