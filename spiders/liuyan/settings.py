"""人民网领导留言板's settings and their defaults (folded into the project settings)."""

from __future__ import annotations

# The front end's appCode, when the page's window.SITE_CONFIG cannot be read.
LIUYAN_APP_CODE = "PC42ce3bfa4980a9"
