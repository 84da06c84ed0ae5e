"""What every yuqing spider shares: its source config, seeds, failure accounting.

Navigation lives in each spider; extraction lives in pure parse functions
(spiders/<source>/parse.py). One node: start requests come from sources.yaml. Distributed
(`YUQING_DISTRIBUTED`): they come from the Redis seed list that `yuqing seed` and the
scheduler fill, taken whenever the worker runs dry; the queue and dupefilter are
scrapy-redis's, so any number of workers share the work.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any, Self

import scrapy
from scrapy import signals
from scrapy.exceptions import (
    CannotResolveHostError,
    DontCloseSpider,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    ResponseDataLossError,
)
from scrapy.http import TextResponse
from scrapy.spidermiddlewares.httperror import HttpError

from yuqing_spiders.model.meta import KIND, LIST_PAGE, SOURCE
from yuqing_spiders.model.sources import SourceConfig, load_sources
from yuqing_spiders.queue.seeds import Seed, pop_seeds

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from twisted.python.failure import Failure

logger = logging.getLogger(__name__)

_FAILURE_REASONS = (
    (DownloadTimeoutError, "timeout"),
    (ResponseDataLossError, "truncated"),  # the body ended before its Content-Length
    (DownloadConnectionRefusedError, "refused"),
    (CannotResolveHostError, "dns"),
    (DownloadFailedError, "connection_lost"),
)


def failure_reason(failure: Failure) -> str:
    """A short, stable name for why a request failed (a stats key part)."""
    if isinstance(failure.value, HttpError):
        return f"http_{failure.value.response.status}"
    for exception, reason in _FAILURE_REASONS:
        if failure.check(exception):
            return reason
    return type(failure.value).__name__


def failed_request(failure: Failure) -> scrapy.Request:
    """The request an errback's failure is about."""
    # Scrapy sets `failure.request` before it calls an errback; Twisted's Failure does
    # not declare the attribute.
    request: scrapy.Request = failure.request  # type: ignore[attr-defined]
    return request


def text_response(response: Response) -> TextResponse:
    """`response` for a callback that reads its text.

    Scrapy hands every callback a `Response`; the pages and APIs the spiders ask for
    are HTML or JSON, which Scrapy builds as TextResponse. Anything else fails here
    the way it would on its first `.text`.
    """
    if isinstance(response, TextResponse):
        return response
    raise AttributeError(f"Response content isn't text: {response.url}")


def referer(response: Response) -> str | None:
    """The page that linked to this one (the Referer Scrapy's RefererMiddleware sent),
    stored as `found_on`."""
    raw = response.request.headers.get("Referer") if response.request is not None else None
    return raw.decode("latin-1") if raw else None


class YuqingSpider(scrapy.Spider):
    """Base of the source spiders; subclasses implement `parse` for list pages."""

    source: SourceConfig
    # Set by from_crawler: every source whose `spider:` names this spider.
    sources: dict[str, SourceConfig]
    distributed: bool
    idle_exit: float
    _idle_since: float | None

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        sources = load_sources(crawler.settings["YUQING_SOURCES_FILE"])
        # A config-driven spider (Discuz boards, 12345-style boards) serves every source
        # whose `spider:` names it; `source` is the one keyed like the spider, else the first.
        spider.sources = {k: s for k, s in sources.items() if s.spider == spider.name}
        spider.source = (
            sources.get(spider.name)
            or next(iter(spider.sources.values()), None)
            or sources[spider.name]  # no source at all: a KeyError naming the spider
        )
        spider.distributed = crawler.settings.getbool("YUQING_DISTRIBUTED")
        spider.idle_exit = crawler.settings.getfloat("YUQING_WORKER_IDLE_EXIT")
        spider._idle_since = None
        if spider.distributed:
            crawler.signals.connect(spider._on_idle, signal=signals.spider_idle)
            crawler.signals.connect(spider._on_activity, signal=signals.response_received)
        return spider

    async def start(self) -> AsyncIterator[Any]:
        if self.distributed:
            for request in self._take_seeds():
                yield request
            return
        for source in self.sources.values() or [self.source]:
            for url in source.start_urls:
                yield self.seed_request(Seed(url=url, source=source.key))

    def seed_request(self, seed: Seed) -> scrapy.Request:
        """A list page from a seed: fetched again on every tick, so never deduplicated."""
        if seed.kind == "refresh":
            return self.refresh_request(seed)
        return scrapy.Request(
            seed.url,
            callback=self.parse,
            errback=self.on_error,
            dont_filter=True,
            meta={
                KIND: seed.kind,
                SOURCE: seed.source,
                LIST_PAGE: 1,
                **seed.meta,
            },
        )

    def refresh_request(self, seed: Seed) -> scrapy.Request:
        """A stored item fetched again for its metrics (the scheduler's `refresh` seeds
        from `yuqing:track`): past the dupefilter, into the item callback."""
        self.crawler.stats.inc_value("yuqing/refresh_requests")
        return scrapy.Request(
            seed.url,
            callback=getattr(self, "parse_article", self.parse),
            errback=self.on_error,
            dont_filter=True,
            meta={KIND: "refresh", SOURCE: seed.source, **seed.meta},
        )

    def on_error(self, failure: Failure) -> None:
        """Every failed request ends here: one log line, one counter, never a crash."""
        reason = failure_reason(failure)
        self.crawler.stats.inc_value(f"yuqing/request_failed/{reason}")
        logger.warning("%s: giving up on %s (%s)", self.name, failed_request(failure).url, reason)

    # --- distributed mode: seeds from Redis -------------------------------------------
    def _redis(self) -> Any:
        from yuqing_spiders.store.connections import redis_from_settings

        if not hasattr(self, "_redis_client"):
            self._redis_client = redis_from_settings(self.crawler.settings)
        return self._redis_client

    def _take_seeds(self) -> list[scrapy.Request]:
        key = self.crawler.settings["YUQING_SEED_KEY"] % {"spider": self.name}
        seeds = pop_seeds(self._redis(), key, self.crawler.settings.getint("YUQING_SEED_BATCH"))
        self.crawler.stats.inc_value("yuqing/seeds_taken", len(seeds))
        return [self.seed_request(seed) for seed in seeds]

    def _on_activity(self, **_: Any) -> None:
        self._idle_since = None

    def _on_idle(self) -> None:
        requests = self._take_seeds()
        for request in requests:
            self.crawler.engine.crawl(request)
        if requests:
            self._idle_since = None
            raise DontCloseSpider
        now = time.monotonic()
        self._idle_since = self._idle_since or now
        if self.idle_exit and now - self._idle_since >= self.idle_exit:
            logger.info("%s: no work for %.0fs, closing", self.name, now - self._idle_since)
            return
        raise DontCloseSpider
