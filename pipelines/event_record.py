"""Writes the MongoDB `events` document of every event its items touched.

Events changed by items are collected; every EVENTS_FLUSH_INTERVAL seconds their
current state is read from Redis and written in one background thread (versioned,
so an older snapshot never overwrites a newer one; yuqing_spiders/analysis/event_store.py).
While MongoDB is down the events stay pending and are written from fresher state once
it answers: Redis holds the truth, so nothing needs spooling.
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import TYPE_CHECKING, Any, Self

import redis
from pymongo.errors import PyMongoError

from yuqing_spiders.analysis.event_store import (
    ensure_event_indexes,
    event_document,
    utcnow,
    write_events,
)
from yuqing_spiders.analysis.events import EventIndex
from yuqing_spiders.analysis.plumbing import Background
from yuqing_spiders.analysis.stage import RedisStage, require
from yuqing_spiders.ops.ticker import TICKER
from yuqing_spiders.store.connections import release_mongo, shared_mongo

if TYPE_CHECKING:
    from pymongo import MongoClient
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)
MAX_PENDING = 10_000  # events kept for a retry while MongoDB is down; more are counted lost


class EventRecordPipeline(RedisStage):
    component = "events/record"

    def __init__(
        self, crawler: Crawler, redis_url: str, prefix: str, mongo_uri: str, database: str
    ) -> None:
        super().__init__(crawler, redis_url, prefix)
        settings = crawler.settings
        self.mongo_uri = mongo_uri
        self.database = database
        self.interval = settings.getfloat("EVENTS_FLUSH_INTERVAL", 2.0)
        self.max_members = settings.getint("EVENTS_MAX_MEMBERS_STORED", 1000)
        self.dirty: set[str] = set()
        self.mongo: MongoClient[dict[str, Any]] | None = None
        self.index: EventIndex | None = None
        self._ticking = False
        self._warned = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        urls = require(crawler, "REDIS_URL", "MONGO_URI")
        settings = crawler.settings
        prefix = settings.get("EVENTS_REDIS_PREFIX")
        database = settings.get("MONGO_DATABASE") or "yuqing"
        return cls(crawler, urls["REDIS_URL"], prefix, urls["MONGO_URI"], database)

    def open_spider(self) -> None:
        super().open_spider()
        assert self.client is not None
        self.index = EventIndex(self.client, self.keys, retention_seconds=0)
        self.mongo = shared_mongo(self.crawler.settings, uri=self.mongo_uri)
        # One thread: snapshots of one event are written in the order they were taken.
        self.background = Background("event-record", workers=1)
        self.background.submit(self._ensure_indexes)
        TICKER.add(self.interval, self.flush)  # one timer per interval (ops/ticker.py)
        self._ticking = True

    def process_item(self, item: Any) -> Any:
        self.harvest()
        event_id = getattr(item, "event_id", None)
        if event_id and len(self.dirty) < MAX_PENDING:
            self.dirty.add(event_id)
        elif event_id and event_id not in self.dirty:
            self.inc("dropped_pending_full")
        return item

    async def close_spider(self) -> None:
        if self._ticking:
            TICKER.remove(self.interval, self.flush)
            self._ticking = False
        if self.background is not None:
            self.flush()
            await self.drain(30.0)
            self.background.shutdown()
        if self.dirty:
            self.inc("unwritten_at_close", len(self.dirty))
        if self.mongo is not None:
            release_mongo(self.mongo)
        self.release()

    def flush(self) -> None:
        """Snapshot the pending events from Redis and hand them to the writer thread."""
        self.harvest()
        if not self.dirty or self.background is None or self.background.pending:
            return  # one write at a time: a slow MongoDB slows the flushes, not the crawl
        assert self.index is not None
        pending, self.dirty = self.dirty, set()
        now = utcnow()
        try:
            docs = [
                event_document(summary, members, now)
                for summary, members in self.index.snapshots(sorted(pending), self.max_members)
            ]
        except redis.RedisError as exc:
            self.dirty |= pending
            self.inc("redis_errors")
            logger.warning("event snapshots not read from Redis (%s); retried", type(exc).__name__)
            return
        self.background.submit(self._write, docs)

    def _write(self, docs: list[dict[str, Any]]) -> tuple[Counter[str], list[str]]:
        assert self.mongo is not None
        try:
            return write_events(self.mongo[self.database], docs), []
        except PyMongoError as exc:
            counts = Counter({"write_errors": 1, f"write_errors/{type(exc).__name__}": 1})
            return counts, [d["_id"] for d in docs]

    def _ensure_indexes(self) -> tuple[Counter[str], list[str]]:
        assert self.mongo is not None
        try:
            ensure_event_indexes(self.mongo[self.database])
        except PyMongoError:
            return Counter({"index_errors": 1}), []
        return Counter(), []

    def job_done(self, result: tuple[Counter[str], list[str]]) -> None:
        counts, retry = result
        for key, value in counts.items():
            self.inc(key, value)
        if retry:
            self.dirty.update(retry)
            if not self._warned:
                self._warned = True
                logger.warning("events not written to MongoDB; %d kept for a retry", len(retry))
