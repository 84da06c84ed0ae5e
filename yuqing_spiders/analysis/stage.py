"""What the event, heat, level and alert pipeline stages share: settings, Redis, stats.

Each stage needs the shared Redis (REDIS_URL); without it the stage is off
(NotConfigured, said once at start), so a bare `scrapy crawl` still stores items.
A Redis error never fails an item: the stage leaves its fields unset. A server that
cannot be reached counts `<component>/redis_errors`, logs the first error of an outage
and skips Redis for a pause (`<component>/skipped_redis_down`) instead of waiting on it
for every item; a value refused (a script error, a bad argument) is that item's
problem only: `<component>/refused`, and the next item runs.
Stages that hand blocking work to a `Background` pool (alerts, event records) collect
the finished jobs with `harvest` and hand each result to their `job_done`.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from redis import exceptions as redis_errors
from scrapy.exceptions import NotConfigured

from yuqing_spiders.analysis.keys import Keys
from yuqing_spiders.analysis.level import DEFAULT_LEVELS_FILE, LevelsConfig, load_levels
from yuqing_spiders.analysis.plumbing import Background, Breaker, in_thread
from yuqing_spiders.model.items import OpinionItem
from yuqing_spiders.store.connections import redis_from_settings

if TYPE_CHECKING:
    from collections.abc import Awaitable

    import redis
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)
# Errors that say the server is away (not that this item's values are bad): the stage
# pauses instead of waiting on it for every item.
SERVER_AWAY = (redis_errors.ConnectionError, redis_errors.TimeoutError)


def require(crawler: Crawler, *names: str) -> dict[str, str]:
    """The service URLs a stage needs, or NotConfigured naming the missing one."""
    settings = crawler.settings
    if not settings.getbool("EVENTS_ENABLED", True):
        raise NotConfigured("EVENTS_ENABLED is off")
    found = {}
    for name in names:
        value = settings.get(name)
        if not value:
            raise NotConfigured(f"{name} is not set: the event/heat/level/alert stages are off")
        found[name] = value
    return found


def load_levels_setting(crawler: Crawler) -> LevelsConfig:
    path = crawler.settings.get("YUQING_LEVELS_FILE") or DEFAULT_LEVELS_FILE
    try:
        return load_levels(path)
    except (OSError, ValueError) as exc:
        # A broken rules file must be fixed, not silently replaced by defaults.
        raise NotConfigured(f"levels file {path} is not usable: {exc}") from None


def crawled_time(item: OpinionItem) -> datetime:
    """The stage's "now": the crawl time of the item (deterministic, replayable)."""
    return item.crawled_at or datetime.now(UTC)


class RedisStage:
    """Base of a stage with a Redis client, a breaker and counted outcomes."""

    component = "events"

    def __init__(self, crawler: Crawler, redis_url: str, prefix: str) -> None:
        self.crawler = crawler
        assert crawler.stats is not None
        self.stats = crawler.stats
        self.redis_url = redis_url
        self.keys = Keys(prefix)
        self.breaker = Breaker()
        self.client: redis.Redis | None = None
        self.background: Background | None = None

    def open_spider(self) -> None:
        self.client = redis_from_settings(self.crawler.settings, url=self.redis_url)

    def close_spider(self) -> Awaitable[None] | None:
        # Stages that wait for background work close asynchronously; Scrapy takes both.
        self.release()
        return None

    def release(self) -> None:
        if self.client is not None:
            self.client.close()

    def inc(self, metric: str, value: int = 1) -> None:
        self.stats.inc_value(f"{self.component}/{metric}", value)

    def wants(self, item: Any) -> bool:
        """Only stored opinions with an id; other item types pass untouched."""
        if not isinstance(item, OpinionItem):
            return False
        if not item.id:
            self.inc("skipped_no_id")
            return False
        if not self.breaker.ready():
            self.inc("skipped_redis_down")
            return False
        return True

    def redis_failed(self, exc: Exception, item: OpinionItem) -> None:
        """A Redis call for `item` failed. Only a server that cannot be reached pauses
        the stage for everyone; a value the server (or the client) refuses — a script
        error, a bad argument — is this item's problem: counted, and the next item runs."""
        if not isinstance(exc, SERVER_AWAY):
            self.inc("refused")
            self.inc(f"refused/{type(exc).__name__}")
            logger.warning(
                "%s stage: %s refused (%s: %s); its fields stay unset",
                self.component,
                item.id,
                type(exc).__name__,
                str(exc)[:200],
            )
            return
        self.inc("redis_errors")
        if self.breaker.trip():
            logger.error(
                "%s stage: Redis error on %s (%s: %s); skipping Redis for %.0fs, counting",
                self.component,
                item.id,
                type(exc).__name__,
                exc,
                self.breaker.pause,
            )

    # --- background jobs (stages that set `self.background`) -------------------------------

    def harvest(self) -> None:
        """Collect the finished background jobs: results go to `job_done`, a crash is
        counted (`<component>/errors`) and logged by its type (a message may quote a
        receiver's URL or a server's reply)."""
        if self.background is not None:
            self.background.collect(self.job_done, self.job_crashed)

    def job_done(self, result: Any) -> None:
        """What a finished background job returned (on the reactor thread)."""

    def job_crashed(self, error: BaseException) -> None:
        self.inc("errors")
        logger.error(
            "%s stage: a background job crashed (%s)", self.component, type(error).__name__
        )
        logger.debug("%s stage: background job crash", self.component, exc_info=error)

    async def drain(self, timeout: float) -> None:
        """Wait, off the reactor, up to `timeout` seconds for the background jobs to end,
        then collect them."""
        if self.background is not None:
            await in_thread(self.background.wait, timeout)
            self.harvest()
