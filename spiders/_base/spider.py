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
from typing import TYPE_CHECKING, Any, ClassVar, Self
from urllib.parse import urlsplit

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

from yuqing_spiders.extract.kit.records import record_errors
from yuqing_spiders.model.meta import KIND, LIST_PAGE, SOURCE
from yuqing_spiders.model.outcome import ConfigError
from yuqing_spiders.model.sources import COMMON_OPTION_KEYS, SourceConfig, load_sources
from yuqing_spiders.ops.source_counts import failed_host_key, failed_key
from yuqing_spiders.queue.seeds import Seed, pop_seeds
from yuqing_spiders.queue.watch import find_watch

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
    # The source options (keys of a sources.yaml entry beyond name, platform, ...)
    # this spider reads; any other key is a typo and stops start-up (ConfigError).
    option_keys: ClassVar[frozenset[str]] = frozenset()
    # Scrapy's offsite filter and the safe-fetch redirect check read it when set.
    allowed_domains: list[str]

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        sources = load_sources(crawler.settings["YUQING_SOURCES_FILE"])
        # A config-driven spider (Discuz boards, 12345-style boards) serves every source
        # whose `spider:` names it; `source` is the one keyed like the spider, else the first.
        spider.sources = {k: s for k, s in sources.items() if s.spider == spider.name}
        # `yuqing run -s dajiang_bbs`: one source of a spider that serves several.
        if only := crawler.settings.getlist("YUQING_ONLY_SOURCES"):
            spider.sources = {k: s for k, s in spider.sources.items() if k in only}
        spider.check_options(crawler.settings["YUQING_SOURCES_FILE"])
        spider.source = (
            sources.get(spider.name)
            or next(iter(spider.sources.values()), None)
            or sources[spider.name]  # no source at all: a KeyError naming the spider
        )
        spider.distributed = crawler.settings.getbool("YUQING_DISTRIBUTED")
        spider.idle_exit = crawler.settings.getfloat("YUQING_WORKER_IDLE_EXIT")
        spider._idle_since = None
        if spider.distributed:
            spider._check_redis()
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
        request = failed_request(failure)
        self.crawler.stats.inc_value(f"yuqing/request_failed/{reason}")
        # Per source too, with the host (never the URL's query or credentials), so the
        # end-of-run summary can say "dns lookup failed for www.people.com.cn".
        source = request.meta.get(SOURCE) or self.source.key
        self.crawler.stats.inc_value(failed_key(source, reason))
        host = urlsplit(request.url).hostname or "?"
        self.crawler.stats.set_value(failed_host_key(source, reason), host)
        logger.warning("%s: giving up on %s (%s)", self.name, request.url, reason)

    def check_options(self, path: str) -> None:
        """Refuse a source entry with an option this spider does not read."""
        known = self.option_keys | COMMON_OPTION_KEYS
        for source in self.sources.values():
            for key in sorted(set(source.options) - known):
                raise ConfigError(
                    f"unknown key for spider {self.name!r} (it reads: "
                    f"{', '.join(sorted(self.option_keys)) or 'no options'})",
                    path=path,
                    source=source.key,
                    key=key,
                )

    def count_record_errors(self, records: Any, source: str | None = None) -> None:
        """Count the records a parser skipped as unreadable (extract/kit/records.py):
        `parse/record_errors/<source>`, so one bad field shows without losing the page."""
        if bad := record_errors(records):
            self.crawler.stats.inc_value(f"parse/record_errors/{source or self.source.key}", bad)

    # --- distributed mode: seeds from Redis -------------------------------------------
    def _redis(self) -> Any:
        from yuqing_spiders.store.connections import redis_from_settings

        if not hasattr(self, "_redis_client"):
            self._redis_client = redis_from_settings(self.crawler.settings)
        return self._redis_client

    def _check_redis(self) -> None:
        """A worker without its Redis stops at start-up, saying which one (password
        redacted), instead of failing later inside Scrapy's engine."""
        from redis.exceptions import RedisError

        from yuqing_spiders.store.connections import redact_uri, redis_url, scrub

        url = redis_url(self.crawler.settings) or ""
        try:
            self._redis().ping()
        except RedisError as exc:
            raise ConfigError(
                f"Redis at {redact_uri(url)} does not answer ({scrub(str(exc), url)}); "
                "start it or point REDIS_URL at a running one",
                key="REDIS_URL",
            ) from None

    def _take_seeds(self) -> list[scrapy.Request]:
        key = self.crawler.settings["YUQING_SEED_KEY"] % {"spider": self.name}
        watch = find_watch(self._redis())
        if watch is not None and watch.seeds(key) == 0:
            # The process's shared reading of the queues (queue/watch.py) saw none.
            self.crawler.stats.inc_value("yuqing/seed_polls_saved")
            return []
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
