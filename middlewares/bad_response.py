"""Unusable 200 responses (an empty body, a body cut short) become counted retries.

Errors the downloader sees (timeouts, refused connections, a connection dropped
before Content-Length was reached, 5xx) are retried by Scrapy's RetryMiddleware; what
is left here is the 200 page that carries nothing (yuqing_spiders/fetch/responses.py
says which). It is retried, then given up with a log line and a counter, never handed
to a parser as if it were an article; `meta.ALLOW_EMPTY` lets an empty answer through.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Self

from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import IgnoreRequest

from yuqing_spiders.fetch.responses import unusable_reason
from yuqing_spiders.model import meta

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)


class BadResponseMiddleware:
    def __init__(self, crawler: Crawler, min_bytes: int) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.min_bytes = min_bytes

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler, crawler.settings.getint("BAD_RESPONSE_MIN_BYTES"))

    def process_response(self, request: Request, response: Response) -> Request | Response:
        reason = unusable_reason(response, request, self.min_bytes)
        if reason is None or request.meta.get(meta.ALLOW_EMPTY):
            return response
        self.stats.inc_value(f"bad_response/{reason}")
        assert self.crawler.spider is not None  # responses arrive for an open spider
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
