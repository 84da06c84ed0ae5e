"""`crawl_stats` in MongoDB: counts, errors and field coverage of each crawl, by period.

A run is one spider in one process. Its documents are periods: every
``YUQING_CRAWL_STATS_INTERVAL`` seconds (workers never close) and once more at the
close, each holding what happened in that period (``counts``, ``errors`` by reason,
``coverage`` per source and field) and the run's cumulative ``totals``. Periods with
nothing in them are not written, except the last. ``_id`` is ``<run_id>#<seq>``, so a
write repeated after a failure replaces itself. Crawl health compares coverage across
periods (yuqing_spiders/ops/health.py); `yuqing status` shows the latest per source.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Self

from pymongo import DESCENDING, IndexModel
from pymongo.errors import PyMongoError
from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.defer import succeed
from twisted.internet.threads import deferToThread

from yuqing_spiders.ops.source_counts import STORED_PREFIX, WRITER_PREFIXES
from yuqing_spiders.store.connections import release_mongo, shared_mongo

if TYPE_CHECKING:
    from pymongo.collection import Collection
    from scrapy import Spider
    from scrapy.crawler import Crawler
    from twisted.internet.defer import Deferred

logger = logging.getLogger(__name__)

CRAWL_STATS = "crawl_stats"
DOC_VERSION = 1
CRAWL_STATS_INDEXES = [
    IndexModel([("spider", 1), ("period.end", DESCENDING)], name="spider_period_end"),
    IndexModel([("sources", 1), ("period.end", DESCENDING)], name="sources_period_end"),
]
FAILED_PREFIX = "yuqing/request_failed/"
SOURCE_PREFIX = "yuqing/source/"  # per-source counters (ops/source_counts.py)
COVERAGE_PREFIX = "coverage/"


def mongo_key(key: str) -> str:
    """A stats key usable as a MongoDB field name: no dots, no leading `$`."""
    key = key.replace(".", "_")
    return "_" + key[1:] if key.startswith("$") else key


def _number(stats: Mapping[str, Any], key: str) -> int:
    value = stats.get(key, 0)
    return int(value) if isinstance(value, int | float) else 0


def _lost_items(stats: Mapping[str, Any]) -> dict[str, int]:
    """Items a pipeline raised on and pages a callback raised on, by reason
    (``yuqing/source/<source>/failed/item_<Error>`` / ``parse_<Error>``)."""
    lost: dict[str, int] = {}
    for key in stats:
        if not key.startswith(SOURCE_PREFIX):
            continue
        _, _, rest = key[len(SOURCE_PREFIX) :].partition("/")
        what, _, reason = rest.partition("/")
        if what == "failed" and reason.startswith(("item_", "parse_")):
            lost[reason] = lost.get(reason, 0) + _number(stats, key)
    return lost


def _stored(stats: Mapping[str, Any]) -> int:
    """What MongoDB acknowledged (opinions and comments), from the writer's per-source
    counts; stats of an earlier release have only the opinions' upserts."""
    keys = [k for k in stats if k.startswith(STORED_PREFIX)]
    if keys:
        return sum(_number(stats, k) for k in keys)
    return sum(_number(stats, f"mongo/{k}") for k in ("inserted", "updated", "unchanged"))


def by_source(stats: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Per source: pages, items scraped, stored in MongoDB, spooled, refused, and what
    failed (``failed`` in all, ``errors`` by reason), from ops/source_counts.py's
    counters and the writer's ``mongo/<what>/<source>``. The report's health section
    reads it, so a spider serving several sources is told apart by source."""
    result: dict[str, dict[str, Any]] = {}
    for key in stats:
        count = _number(stats, key)
        if key.startswith(SOURCE_PREFIX):
            source, _, rest = key[len(SOURCE_PREFIX) :].partition("/")
            what, _, reason = rest.partition("/")
        elif key.startswith(WRITER_PREFIXES):
            what, _, source = key[len("mongo/") :].partition("/")
            reason = ""
        else:
            continue
        if what not in ("pages", "items", "stored", "spooled", "refused", "failed") or not count:
            continue
        entry = result.setdefault(mongo_key(source), {})
        entry[what] = entry.get(what, 0) + count
        if what == "failed":
            errors = entry.setdefault("errors", {})
            errors[mongo_key(reason)] = errors.get(mongo_key(reason), 0) + count
    return result


def counts_of(stats: Mapping[str, Any]) -> dict[str, int]:
    """The numbers a person checks first, from a crawler's stats. `log_errors` is
    Scrapy's error-log count, which every crawler of a process shares: use
    `requests_failed` and `items_failed` for one spider."""
    failed = sum(_number(stats, k) for k in stats if k.startswith(FAILED_PREFIX))
    return {
        "pages": _number(stats, "response_received_count"),
        "items": _number(stats, "item_scraped_count"),
        "complete": _number(stats, "items/complete"),
        "incomplete": _number(stats, "items/incomplete"),
        "dropped": _number(stats, "item_dropped_count"),
        "stored": _stored(stats),
        "inserted": _number(stats, "mongo/inserted"),
        "spooled": _number(stats, "mongo/spooled_items"),
        "refused": sum(_number(stats, k) for k in stats if k.startswith("mongo/refused/")),
        "requests_failed": failed,
        "items_failed": sum(_lost_items(stats).values()),
        "log_errors": _number(stats, "log_count/ERROR"),
    }


def errors_of(stats: Mapping[str, Any]) -> dict[str, int]:
    """Failures by reason: requests given up, and items or pages lost to an error."""
    errors = {
        mongo_key(k[len(FAILED_PREFIX) :]): _number(stats, k)
        for k in stats
        if k.startswith(FAILED_PREFIX) and _number(stats, k)
    }
    errors.update({mongo_key(r): n for r, n in _lost_items(stats).items() if n})
    return errors


def coverage_of(stats: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """``{source: {items, count: {field: n}, ratio: {field: r}, comment: {...}}}`` from
    ``coverage/<source>/<field>`` and ``coverage/<source>/comment/<field>``
    (pipelines/completeness.py).

    Comment fields are shares of the source's comments, not of its items (a thread
    has many comments: counted against items, tieba showed 220 %); every share is
    capped at 100 %, as a share cannot be more.
    """
    items: dict[str, dict[str, int]] = {}
    fields: dict[str, dict[str, dict[str, int]]] = {}
    for key in stats:
        if not key.startswith(COVERAGE_PREFIX):
            continue
        source, _, field = key[len(COVERAGE_PREFIX) :].partition("/")
        kind, _, sub = field.partition("/")
        kind, field = ("comment", sub) if kind == "comment" and sub else ("item", field)
        if field == "items":
            items.setdefault(source, {})[kind] = _number(stats, key)
        elif field:
            fields.setdefault(source, {}).setdefault(kind, {})[mongo_key(field)] = _number(
                stats, key
            )
    coverage = {}
    for source, totals in items.items():
        entry = _shares(totals.get("item", 0), fields.get(source, {}).get("item", {}))
        comments = _shares(totals.get("comment", 0), fields.get(source, {}).get("comment", {}))
        if not entry and not comments:
            continue
        entry = entry or {"items": 0, "count": {}, "ratio": {}}
        if comments:
            entry["comment"] = comments
        coverage[mongo_key(source)] = entry
    return coverage


def _shares(total: int, count: dict[str, int]) -> dict[str, Any]:
    if total <= 0:
        return {}
    return {
        "items": total,
        "count": count,
        "ratio": {f: round(min(1.0, n / total), 4) for f, n in count.items()},
    }


def stats_delta(now: Mapping[str, Any], before: Mapping[str, Any]) -> dict[str, Any]:
    """Numeric stats minus their value at the previous period's end."""
    delta: dict[str, Any] = {}
    for key, value in now.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        previous = before.get(key, 0)
        if isinstance(previous, int | float):
            delta[key] = value - previous
    return delta


def sanitised(stats: Mapping[str, Any]) -> dict[str, Any]:
    """The whole stats dict, safe as a MongoDB sub-document."""
    safe: dict[str, Any] = {}
    for key, value in stats.items():
        if isinstance(value, bool | int | float | str | datetime) or value is None:
            safe[mongo_key(key)] = value
        else:
            safe[mongo_key(key)] = str(value)
    return safe


def build_document(
    *,
    run_id: str,
    seq: int,
    spider: str,
    worker: Mapping[str, Any],
    started_at: datetime,
    period: tuple[datetime, datetime],
    stats: Mapping[str, Any],
    previous: Mapping[str, Any],
    final: bool,
    finish_reason: str | None = None,
) -> dict[str, Any]:
    delta = stats_delta(stats, previous)
    coverage = coverage_of(delta)
    return {
        "_id": f"{run_id}#{seq:05d}",
        "run_id": run_id,
        "seq": seq,
        "spider": spider,
        "sources": sorted(coverage) or [spider],
        "worker": dict(worker),
        "started_at": started_at,
        "period": {"start": period[0], "end": period[1]},
        "final": final,
        "finish_reason": finish_reason,
        "counts": counts_of(delta),
        "by_source": by_source(delta),
        "errors": errors_of(delta),
        "coverage": coverage,
        "totals": {
            "counts": counts_of(stats),
            "by_source": by_source(stats),
            "errors": errors_of(stats),
            "coverage": coverage_of(stats),
        },
        "stats": sanitised(stats),
        "doc_version": DOC_VERSION,
    }


def _utcnow() -> datetime:
    return datetime.now(UTC)


class CrawlStatsExtension:
    def __init__(
        self,
        crawler: Crawler,
        collection_factory: Callable[[], Collection],
        *,
        interval: float,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        self.crawler = crawler
        self.collection_factory = collection_factory
        self.interval = interval
        self.clock = clock
        self.worker = {
            "host": socket.gethostname(),
            "pid": os.getpid(),
            "role": "worker" if crawler.settings.getbool("YUQING_DISTRIBUTED") else "single",
        }
        self.collection: Collection | None = None
        self.run_id = ""
        self.seq = 0
        self.started_at = clock()
        self.period_start = self.started_at
        self._previous: dict[str, Any] = {}
        self._loop: Any = None
        self._writing = False
        self._failed_once = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("YUQING_CRAWL_STATS_ENABLED", True):
            raise NotConfigured("YUQING_CRAWL_STATS_ENABLED is off")
        if not settings.get("MONGO_URI"):
            raise NotConfigured("no MONGO_URI: crawl_stats go to the shared MongoDB")
        database = settings.get("MONGO_DATABASE") or "yuqing"

        def collection() -> Collection:
            client = shared_mongo(settings)
            return client[database][CRAWL_STATS]

        extension = cls(
            crawler, collection, interval=settings.getfloat("YUQING_CRAWL_STATS_INTERVAL", 600.0)
        )
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        self.started_at = self.period_start = self.clock()
        host, pid = self.worker["host"], self.worker["pid"]
        self.run_id = f"{spider.name}@{host}:{pid}:{int(self.started_at.timestamp())}"
        self._loop = create_looping_call(self._periodic, spider)
        self._loop.start(self.interval, now=False)

    async def spider_closed(self, spider: Spider, reason: str) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        # Awaited: Scrapy waits for the last document before the process exits.
        await maybe_deferred_to_future(self._write(spider, final=True, reason=reason))

    def _periodic(self, spider: Spider) -> None:
        if self._writing:  # the previous write still waits on a slow server
            self.crawler.stats.inc_value("crawl_stats/skipped_busy")
            return
        self._write(spider, final=False)

    def _write(self, spider: Spider, *, final: bool, reason: str | None = None) -> Deferred[None]:
        stats = dict(self.crawler.stats.get_stats())
        end = self.clock()
        delta = stats_delta(stats, self._previous)
        if not final and not counts_of(delta)["pages"] and not counts_of(delta)["items"]:
            self.crawler.stats.inc_value("crawl_stats/empty_periods")
            return succeed(None)
        doc = build_document(
            run_id=self.run_id,
            seq=self.seq,
            spider=spider.name,
            worker=self.worker,
            started_at=self.started_at,
            period=(self.period_start, end),
            stats=stats,
            previous=self._previous,
            final=final,
            finish_reason=reason,
        )
        self.seq += 1
        self.period_start = end
        self._previous = stats
        self._writing = True
        deferred = deferToThread(self._store, doc, final)
        deferred.addCallbacks(self._stored, self._store_failed)
        return deferred

    def _store(self, doc: dict[str, Any], final: bool) -> None:
        """In a thread: a slow or absent server never blocks the crawl."""
        if self.collection is None:
            self.collection = self.collection_factory()
            self.collection.create_indexes(CRAWL_STATS_INDEXES)
        try:
            self.collection.replace_one({"_id": doc["_id"]}, doc, upsert=True)
        finally:
            if final:
                release_mongo(self.collection.database.client)
                self.collection = None

    def _stored(self, _: None) -> None:
        self._writing = False
        self.crawler.stats.inc_value("crawl_stats/written")

    def _store_failed(self, failure: Any) -> None:
        self._writing = False
        self.crawler.stats.inc_value("crawl_stats/write_errors")
        if not failure.check(PyMongoError):
            logger.error("crawl_stats not written: %s", failure.getErrorMessage())
        elif not self._failed_once:
            self._failed_once = True
            # The period's own counts are lost; the run's `totals` in the next one keep them.
            logger.warning(
                "crawl_stats not written (%s); later periods will be tried again",
                failure.type.__name__,
            )
