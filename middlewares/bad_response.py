"""Unusable 200 responses (an empty body, a body cut short) become counted retries.

Errors the downloader sees (timeouts, refused connections, a connection dropped
before Content-Length was reached, 5xx) are retried by Scrapy's RetryMiddleware; what
is left here is the 200 page that carries nothing. It is retried, then given up with a
log line and a counter, never handed to a parser as if it were an article.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Self

from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import IgnoreRequest

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)


def _declared_length(response: Response) -> int | None:
    value = response.headers.get(b"Content-Length")
    try:
        return int(value) if value else None
    except ValueError:
        return None


def unusable_reason(response: Response, min_bytes: int) -> str | None:
    """Why a 200 response cannot be parsed, or None when it can."""
    if response.status != 200 or response.request is None:
        return None
    if response.request.method == "HEAD":
        return None
    declared = _declared_length(response)
    encoded = response.headers.get(b"Content-Encoding")
    if declared is not None and not encoded and len(response.body) < declared:
        return "truncated"
    if len(response.body.strip()) < min_bytes:
        return "empty"
    return None


class BadResponseMiddleware:
    def __init__(self, crawler: Crawler, min_bytes: int) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.min_bytes = min_bytes

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler, crawler.settings.getint("BAD_RESPONSE_MIN_BYTES"))

    def process_response(self, request: Request, response: Response) -> Request | Response:
        reason = unusable_reason(response, self.min_bytes)
        if reason is None or request.meta.get("yuqing_allow_empty"):
            return response
        self.stats.inc_value(f"bad_response/{reason}")
        retry = get_retry_request(request, spider=self.crawler.spider, reason=f"{reason}_body")
        if retry is not None:
            return retry
        self.stats.inc_value(f"bad_response/gave_up/{reason}")
        logger.error(
            "gave up on %s: %s body (%d bytes) after retries",
            request.url,
            reason,
            len(response.body),
        )
        raise IgnoreRequest(f"{reason} body")
