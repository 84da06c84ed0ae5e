"""Baidu Tieba's settings and their defaults (folded into the project settings)."""

from __future__ import annotations

# Tieba's signed APIs: sign = md5(sorted "k=v" pairs + secret); the secret is the
# Tieba client's public constant (docs/sessions.md; to re-check on the live app).
TIEBA_SIGN_SECRET = "tiebaclient!!!"  # noqa: S105  (the public app constant, not a credential)
# A page refused to plain HTTP (JS challenge, 百度安全验证) is tried once in chromium.
TIEBA_BROWSER_FALLBACK = True
