"""Retries of 429, 5xx and timeouts with exponential backoff and ``Retry-After``.

Replaces Scrapy's RetryMiddleware and reads the same settings (RETRY_ENABLED,
RETRY_TIMES, RETRY_HTTP_CODES, RETRY_EXCEPTIONS, RETRY_PRIORITY_ADJUST) and meta keys
(``dont_retry``, ``max_retry_times``), building retries with Scrapy's public
`get_retry_request`. Scrapy retries at once, which hammers a site that just said it is
overloaded; here the retry carries ``meta["yuqing_not_before"]`` (epoch seconds) and
waits for it in `process_request`, wherever it is taken: in distributed mode a retry
goes back to the shared queue and may run on another worker, so the deadline is wall
time, not a local timer. The delay (yuqing_spiders/fetch/backoff.py) is
``base * 2**(attempt-1)`` with jitter, at most ``YUQING_RETRY_BACKOFF_MAX``; a server's
``Retry-After`` (seconds or an HTTP date) wins when longer, within the same cap.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Self

from scrapy.downloadermiddlewares.retry import get_retry_request
from scrapy.exceptions import NotConfigured
from scrapy.utils.misc import load_object
from scrapy.utils.response import response_status_message

from yuqing_spiders.fetch.backoff import backoff_delay, parse_retry_after
from yuqing_spiders.fetch.delay import sleep
from yuqing_spiders.model import meta

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)


class BackoffRetryMiddleware:
    def __init__(
        self,
        crawler: Crawler,
        *,
        codes: set[int],
        exceptions: tuple[type[BaseException], ...],
        base: float,
        cap: float,
        jitter: float,
    ) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.codes = codes
        self.exceptions = exceptions
        self.base = base
        self.cap = cap
        self.jitter = jitter

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("RETRY_ENABLED"):
            raise NotConfigured("RETRY_ENABLED is off")
        return cls(
            crawler,
            codes={int(code) for code in settings.getlist("RETRY_HTTP_CODES")},
            exceptions=tuple(load_object(e) for e in settings.getlist("RETRY_EXCEPTIONS")),
            base=settings.getfloat("YUQING_RETRY_BACKOFF_BASE"),
            cap=settings.getfloat("YUQING_RETRY_BACKOFF_MAX"),
            jitter=settings.getfloat("YUQING_RETRY_BACKOFF_JITTER"),
        )

    async def process_request(self, request: Request) -> None:
        not_before = request.meta.get(meta.NOT_BEFORE)
        if not not_before:
            return
        wait = float(not_before) - time.time()
        if wait > 0:
            self.stats.inc_value("retry/backoff_waits")
            await sleep(min(wait, self.cap))

    def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get("dont_retry") or response.status not in self.codes:
            return response
        retry_after = None
        if response.status in (429, 503):
            retry_after = parse_retry_after(response.headers.get(b"Retry-After"), time.time())
        reason = response_status_message(response.status)
        return self._retry(request, reason, retry_after) or response

    def process_exception(self, request: Request, exception: Exception) -> Request | None:
        if request.meta.get("dont_retry") or not isinstance(exception, self.exceptions):
            return None
        return self._retry(request, exception, None)

    def _retry(
        self, request: Request, reason: str | Exception, retry_after: float | None
    ) -> Request | None:
        assert self.crawler.spider is not None
        retry = get_retry_request(
            request,
            spider=self.crawler.spider,
            reason=reason,
            max_retry_times=request.meta.get("max_retry_times"),
            priority_adjust=request.meta.get("priority_adjust"),
        )
        if retry is None:
            return None
        attempt = retry.meta["retry_times"]
        delay = backoff_delay(
            attempt, base=self.base, cap=self.cap, jitter=self.jitter, retry_after=retry_after
        )
        retry.meta[meta.NOT_BEFORE] = time.time() + delay
        if retry_after is not None:
            self.stats.inc_value("retry/retry_after_honoured")
        logger.debug("retry %d of %s in %.1fs (%s)", attempt, request.url, delay, reason)
        return retry
