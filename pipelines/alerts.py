"""Raises one alert per (event, level) for important items and events, off the reactor.

The level in force is the event's (it only rises). Alerts are collected and handed in
batches (ALERTS_BATCH_SIZE, or every ALERTS_FLUSH_INTERVAL seconds) to a small thread
pool that stores them in `alerts` in two operations per batch and delivers them
(yuqing_spiders.ops.alerting); the crawl never waits for a receiver. Only alerted
items cost a storage operation. Each process remembers what it submitted (the newest
ALERTS_REMEMBERED pairs), so the members of a hot story do not each knock on MongoDB;
across processes and runs the deterministic `alerts._id` keeps it to one alert per
(event, level).

Durable: a batch decided while MongoDB is away goes to the alert spool on disk and is
raised once when MongoDB answers again (this run or the next). The stage is a durable
sink of the leased queue (YUQING_QUEUE_DURABLE_PIPELINES), like the writer: a request
is acknowledged only once the alerts of its items are stored or spooled, so a crash
never loses an alert whose item nobody will fetch again. Alerts that can be neither
stored nor spooled (no disk) are `items_durable(lost=...)`, as the writer's items: the
requests go back to the queue and the worker stops. When the writer could neither
store nor spool items, an urgent alert about it is delivered even though it cannot be
stored.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

import redis
from scrapy.exceptions import NotConfigured

from yuqing_spiders.analysis.events import EventIndex, attached_summary
from yuqing_spiders.analysis.plumbing import Background
from yuqing_spiders.analysis.stage import RedisStage, load_levels_setting, require
from yuqing_spiders.model.signals import items_durable
from yuqing_spiders.ops.alerting import (
    Alert,
    AlertOutcome,
    AlertSpool,
    deliver_unrecorded,
    ensure_alert_indexes,
    load_alerting,
    raise_alerts,
)
from yuqing_spiders.ops.alerting.config import DEFAULT_ALERTING_FILE
from yuqing_spiders.ops.alerting.payload import alert_payload
from yuqing_spiders.ops.ticker import TICKER
from yuqing_spiders.store.connections import release_mongo, shared_mongo

if TYPE_CHECKING:
    from collections.abc import Mapping

    from pymongo import MongoClient
    from scrapy.crawler import Crawler

    from yuqing_spiders.analysis.events import EventSummary
    from yuqing_spiders.analysis.level import LevelsConfig
    from yuqing_spiders.model.items import OpinionItem
    from yuqing_spiders.ops.alerting import AlertingConfig

logger = logging.getLogger(__name__)

# Seconds a batch waits for the stage's index job (it ends in a server-selection
# timeout when MongoDB is away).
INDEX_WAIT = 60.0


@dataclass
class _Raised:
    """A batch's outcomes, with its number (its items wait for it to be durable)."""

    number: int
    outcomes: list[AlertOutcome]
    error: BaseException | None = None


def _raise_batch(number: int, *args: Any, **kwargs: Any) -> _Raised:
    """`raise_alerts` of batch `number` in a pool thread; a crash is its outcome too,
    so the batch never stays in flight (its items' requests would never be acked)."""
    try:
        return _Raised(number, raise_alerts(*args, **kwargs))
    except Exception as error:
        return _Raised(number, [], error)


def _spool_dir(crawler: Crawler) -> Path:
    settings = crawler.settings
    if settings.get("ALERTS_SPOOL_DIR"):
        return Path(settings["ALERTS_SPOOL_DIR"])
    data_dir = Path(settings.get("YUQING_DATA_DIR") or Path.cwd() / ".yuqing")
    return Path(settings.get("MONGO_SPOOL_DIR") or data_dir / "spool") / "alerts"


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
        settings = crawler.settings
        self.threads = settings.getint("ALERTS_THREADS", 2)
        self.close_timeout = settings.getfloat("ALERTS_CLOSE_TIMEOUT", 60.0)
        self.batch_size = max(1, settings.getint("ALERTS_BATCH_SIZE", 50))
        self.flush_interval = settings.getfloat("ALERTS_FLUSH_INTERVAL", 2.0)
        self.retry_interval = settings.getfloat("MONGO_RETRY_INTERVAL", 5.0)
        self.spool = AlertSpool(_spool_dir(crawler))
        # Insertion-ordered: past ALERTS_REMEMBERED the oldest pair is forgotten.
        self.submitted: dict[tuple[str, str], None] = {}
        self.remembered = max(1, settings.getint("ALERTS_REMEMBERED", 20_000))
        self.batch: list[Alert] = []
        # The leased queue's durable-sink counts (queue/keeper.py): items seen, and the
        # first item of each batch not yet stored or spooled (the open one, and those
        # handed to the pool by number).
        self.accepted = 0
        self._open_from: int | None = None
        self._in_flight: dict[int, int] = {}
        self._batches = 0
        self.spool_waiting = False
        self._next_replay = 0.0
        self._storage_alerted = False
        self._ticking = False
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
        self.mongo = shared_mongo(self.crawler.settings, uri=self.mongo_uri)
        self.background = Background("alerts", workers=self.threads)
        self._indexed = threading.Event()
        self.background.submit(self._ensure_indexes, self.mongo[self.database])
        self.crawler.signals.connect(self.storage_lost, signal=items_durable)
        # Alerts an earlier run could not store: raised as soon as MongoDB answers.
        self.spool_waiting = bool(self.spool.spool.pending())
        TICKER.add(self.flush_interval, self.tick)  # one timer per interval (ops/ticker.py)
        self._ticking = True
        if self.spool_waiting:
            self.tick()
        self.stats.set_value("alerts/receivers", len(self.config.receivers))
        logger.info(
            "alerts at %s and above go to %d receivers (%s)",
            self.config.min_level,
            len(self.config.receivers),
            ", ".join(r.name for r in self.config.receivers) or "none configured",
        )

    @property
    def durable_through(self) -> int:
        """Items seen up to here have their alerts stored or spooled (or need none)."""
        waiting = list(self._in_flight.values())
        if self._open_from is not None:
            waiting.append(self._open_from)
        return min(waiting) - 1 if waiting else self.accepted

    def process_item(self, item: Any) -> Any:
        self.accepted += 1
        self.harvest()
        if not self.wants(item) or item.level not in self.order:
            return item
        if self.order.index(item.level) < self.min_rank:
            return item
        summary = None
        try:
            # The level stage leaves the event's reading, with the level in force after
            # its raise, on the item; read it again only when no stage attached one.
            summary = self._summary(item)
        except redis.RedisError as exc:
            self.redis_failed(exc, item)
        level = summary.level if summary and summary.level in self.order else item.level
        if self.order.index(level) < self.order.index(item.level):
            level = item.level
        self._submit(item.event_id or item.id, level, alert_payload(item, summary, level))
        return item

    def _summary(self, item: OpinionItem) -> EventSummary | None:
        if not item.event_id:
            return None
        attached = attached_summary(item, item.event_id)
        if attached is not None:
            self.inc("summary_attached")
            return attached
        return self.index.summary(item.event_id) if self.index else None

    def _submit(self, key: str, level: str, payload: dict[str, Any]) -> None:
        if (key, level) in self.submitted:
            self.inc("already_submitted")
            return
        self.submitted[key, level] = None
        if len(self.submitted) > self.remembered:
            del self.submitted[next(iter(self.submitted))]
            self.inc("forgotten")
        self.inc("submitted")
        if self._open_from is None:
            self._open_from = self.accepted
        self.batch.append(Alert(key, level, payload))
        if len(self.batch) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        """Hand the collected alerts to the pool as one batch."""
        if not self.batch or self.background is None or self.mongo is None:
            return
        batch, self.batch = self.batch, []
        self._batches += 1
        self._in_flight[self._batches] = self._open_from or self.accepted
        self._open_from = None
        self.inc("batches")
        self.background.submit(
            self._after_indexes,
            _raise_batch,
            self._batches,
            self.mongo[self.database],
            batch,
            config=self.config,
            order=self.order,
            spool=self.spool,
        )

    def tick(self) -> None:
        """Every ALERTS_FLUSH_INTERVAL: send a partial batch, collect finished jobs and,
        while alerts wait on disk, try the spool every MONGO_RETRY_INTERVAL."""
        self.harvest()
        self.flush()
        self._replay_if_due()

    def _replay_if_due(self, *, force: bool = False) -> None:
        if not self.spool_waiting or self.background is None or self.mongo is None:
            return
        if not force and time.monotonic() < self._next_replay:
            return
        self._next_replay = time.monotonic() + self.retry_interval
        self.background.submit(
            self._after_indexes,
            self.spool.replay,
            self.mongo[self.database],
            raise_alerts,
            config=self.config,
            order=self.order,
        )

    def _ensure_indexes(self, db: Any) -> None:
        try:
            ensure_alert_indexes(db)
        finally:
            self._indexed.set()  # done or failed: the jobs waiting for it go on

    def _after_indexes(self, job: Any, *args: Any, **kwargs: Any) -> Any:
        """`job` once the index job has ended. The pool has several threads, and the
        embedded SecantusDB can hang when one thread creates the collection's indexes
        while another inserts into it and the database is dropped (as tests do at
        teardown; a CI run hung so, 2026-12-06)."""
        self._indexed.wait(INDEX_WAIT)
        return job(*args, **kwargs)

    def storage_lost(self, through: int = 0, lost: int = 0) -> None:
        """The writer lost items (MongoDB away and no disk): say so, once, urgently,
        delivered even though it cannot be stored."""
        if not lost or self._storage_alerted or self.background is None:
            return
        self._storage_alerted = True
        host, pid = socket.gethostname(), os.getpid()
        alert = Alert(
            key=f"storage:{host}:{pid}:{int(time.time())}",
            level=self.order[-1],
            kind="storage",
            payload={
                "title": f"yuqing on {host} stopped: items can be neither stored nor spooled",
                "host": host,
                "pid": pid,
                "lost_items": lost,
                "spool": str(self.spool.directory.parent),
                "level": self.order[-1],
                "reasons": ["storage:no_disk"],
            },
        )
        self.inc("storage_alerts")
        self.background.submit(deliver_unrecorded, alert, config=self.config, order=self.order)

    async def close_spider(self) -> None:
        if self._ticking:
            TICKER.remove(self.flush_interval, self.tick)
            self._ticking = False
        self.harvest()
        self.flush()
        self._replay_if_due(force=True)
        if self.background is not None:
            await self.drain(self.close_timeout)
            self.harvest()
            if self.background.pending:
                self.inc("unfinished_at_close", self.background.pending)
            self.background.shutdown()
        waiting = self.spool.waiting()
        self.stats.set_value("alerts/spool_waiting_at_close", waiting)
        if waiting:
            logger.warning(
                "%d alerts wait in %s for MongoDB; the next run raises them",
                waiting,
                self.spool.directory,
            )
        if self.mongo is not None:
            release_mongo(self.mongo)
        self.release()

    def job_done(self, outcome: Any) -> None:
        if isinstance(outcome, _Raised):  # a batch
            self._batch_done(outcome)
        elif isinstance(outcome, AlertOutcome):  # a storage alert
            self._count(outcome)
        elif isinstance(outcome, dict):  # a spool replay's Counter
            self._replayed(outcome)

    def _batch_done(self, raised: _Raised) -> None:
        self._in_flight.pop(raised.number, None)
        if raised.error is not None:
            self.job_crashed(raised.error)
        for one in raised.outcomes:
            self._count(one)
        lost = sum(1 for one in raised.outcomes if one.status == "lost")
        if lost:
            # No disk: as the writer's lost items, the requests go back and the worker
            # stops (the scheduler and the keeper listen).
            self.crawler.signals.send_catch_log(items_durable, through=0, lost=lost)

    def _count(self, outcome: AlertOutcome) -> None:
        for key, value in outcome.counts.items():
            self.inc(key, value)
        if outcome.status == "spooled":
            self.spool_waiting = True
        elif outcome.status in ("store_failed", "lost"):
            key, _, level = outcome.alert_id.rpartition("@")
            self.submitted.pop((key, level), None)  # not recorded: try again on the next item

    def _replayed(self, counts: Mapping[str, int]) -> None:
        for key, value in counts.items():
            if value:
                self.inc(f"spool/{key}", value)
        if not counts.get("spool_kept"):
            self.spool_waiting = bool(self.spool.spool.pending())
