"""Raises one alert per (event, level) for important items and events, off the reactor.

The level in force is the event's (it only rises). An alert is submitted to a small
thread pool that stores it in `alerts` and delivers it (yuqing_spiders.ops.alerting); the
crawl never waits for a receiver. Each process remembers what it submitted, so the
members of a hot story do not each knock on MongoDB; across processes and runs the
deterministic `alerts._id` keeps it to one alert per (event, level).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Self

import redis
from scrapy.exceptions import NotConfigured

from yuqing_spiders.analysis.events import EventIndex
from yuqing_spiders.analysis.plumbing import Background
from yuqing_spiders.analysis.stage import RedisStage, load_levels_setting, require
from yuqing_spiders.ops.alerting import (
    AlertOutcome,
    ensure_alert_indexes,
    load_alerting,
    raise_alert,
)
from yuqing_spiders.ops.alerting.config import DEFAULT_ALERTING_FILE
from yuqing_spiders.ops.alerting.payload import alert_payload
from yuqing_spiders.store.connections import mongo_from_settings

if TYPE_CHECKING:
    from pymongo import MongoClient
    from scrapy.crawler import Crawler

    from yuqing_spiders.analysis.level import LevelsConfig
    from yuqing_spiders.ops.alerting import AlertingConfig

logger = logging.getLogger(__name__)


class AlertsPipeline(RedisStage):
    component = "alerts"

    def __init__(
        self,
        crawler: Crawler,
        redis_url: str,
        prefix: str,
        *,
        mongo_uri: str,
        database: str,
        config: AlertingConfig,
        levels: LevelsConfig,
    ) -> None:
        super().__init__(crawler, redis_url, prefix)
        self.mongo_uri = mongo_uri
        self.database = database
        self.config = config
        self.order = levels.levels.order
        if config.min_level not in self.order:
            raise NotConfigured(
                f"alerting min_level {config.min_level!r} is not a level {self.order}"
            )
        self.min_rank = self.order.index(config.min_level)
        self.threads = crawler.settings.getint("ALERTS_THREADS", 2)
        self.close_timeout = crawler.settings.getfloat("ALERTS_CLOSE_TIMEOUT", 60.0)
        self.submitted: set[tuple[str, str]] = set()
        self.mongo: MongoClient[dict[str, Any]] | None = None
        self.index: EventIndex | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        if not crawler.settings.getbool("ALERTS_ENABLED", True):
            raise NotConfigured("ALERTS_ENABLED is off")
        urls = require(crawler, "REDIS_URL", "MONGO_URI")
        settings = crawler.settings
        path = settings.get("ALERTS_FILE") or DEFAULT_ALERTING_FILE
        try:
            config = load_alerting(path)
        except (OSError, ValueError) as exc:
            raise NotConfigured(f"alerting file {path}: {exc}") from None
        return cls(
            crawler,
            urls["REDIS_URL"],
            settings.get("EVENTS_REDIS_PREFIX"),
            mongo_uri=urls["MONGO_URI"],
            database=settings.get("MONGO_DATABASE") or "yuqing",
            config=config,
            levels=load_levels_setting(crawler),
        )

    def open_spider(self) -> None:
        super().open_spider()
        assert self.client is not None
        self.index = EventIndex(self.client, self.keys, retention_seconds=0)
        self.mongo = mongo_from_settings(self.crawler.settings, uri=self.mongo_uri)
        self.background = Background("alerts", workers=self.threads)
        self.background.submit(ensure_alert_indexes, self.mongo[self.database])
        self.stats.set_value("alerts/receivers", len(self.config.receivers))
        logger.info(
            "alerts at %s and above go to %d receivers (%s)",
            self.config.min_level,
            len(self.config.receivers),
            ", ".join(r.name for r in self.config.receivers) or "none configured",
        )

    def process_item(self, item: Any) -> Any:
        self.harvest()
        if not self.wants(item) or item.level not in self.order:
            return item
        if self.order.index(item.level) < self.min_rank:
            return item
        summary = None
        try:
            summary = self.index.summary(item.event_id) if self.index and item.event_id else None
        except redis.RedisError as exc:
            self.redis_failed(exc, item)
        level = summary.level if summary and summary.level in self.order else item.level
        if self.order.index(level) < self.order.index(item.level):
            level = item.level
        self._submit(item.event_id or item.id, level, alert_payload(item, summary, level))
        return item

    def _submit(self, key: str, level: str, payload: dict[str, Any]) -> None:
        if (key, level) in self.submitted:
            self.inc("already_submitted")
            return
        assert self.background is not None
        assert self.mongo is not None
        self.submitted.add((key, level))
        self.inc("submitted")
        self.background.submit(
            raise_alert,
            self.mongo[self.database],
            key,
            level,
            payload,
            config=self.config,
            order=self.order,
        )

    async def close_spider(self) -> None:
        if self.background is not None:
            await self.drain(self.close_timeout)
            if self.background.pending:
                self.inc("unfinished_at_close", self.background.pending)
            self.background.shutdown()
        if self.mongo is not None:
            self.mongo.close()
        self.release()

    def job_done(self, outcome: Any) -> None:
        if not isinstance(outcome, AlertOutcome):
            return  # the index job
        for key, value in outcome.counts.items():
            self.inc(key, value)
        if outcome.status == "store_failed":
            key, _, level = outcome.alert_id.rpartition("@")
            self.submitted.discard((key, level))  # not recorded: try again on the next item
