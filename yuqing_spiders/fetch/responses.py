"""Which 200 responses carry nothing a parser can use: an empty body, a body cut short.

Errors the downloader sees (timeouts, refused connections, 5xx) are retried by the
retry middleware; what is judged here is the 200 page that carries nothing
(middlewares/bad_response.py retries it, then gives it up, counted).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.http import Response


def _declared_length(response: Response) -> int | None:
    value = response.headers.get(b"Content-Length")
    try:
        return int(value) if value else None
    except ValueError:
        return None


def unusable_reason(response: Response, request: Request, min_bytes: int) -> str | None:
    """Why a 200 response to `request` cannot be parsed, or None when it can.

    The request is passed in, never read from `response.request`: Scrapy sets that
    only after the downloader middlewares ran, so on a live download it is still None
    where this is asked (issue 12 item 7: empty pages were stored as items)."""
    if response.status != 200 or request.method == "HEAD":
        return None
    declared = _declared_length(response)
    encoded = response.headers.get(b"Content-Encoding")
    if declared is not None and not encoded and len(response.body) < declared:
        return "truncated"
    if len(response.body.strip()) < min_bytes:
        return "empty"
    return None
