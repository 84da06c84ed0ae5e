"""Heat and trend of each item and of its event; hot items are tracked for re-fetching.

Item trend comes from the item's stored `opinion_metrics` series plus this crawl's
counters (read in a thread; skipped for a pause while MongoDB is away, then the trend
rests on this crawl alone). The event's series is kept in Redis as the members' summed
interactions at each crawl, so every worker sees the same event trend. Items whose
heat (or their event's) is at least `tracking.min_heat`, that are not cooling and are
younger than `tracking.max_age_hours`, go into `yuqing:track` for the scheduler.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Self

import redis
from pymongo.errors import PyMongoError
from redis.exceptions import NoScriptError

from yuqing_spiders.analysis import tracking
from yuqing_spiders.analysis.events import (
    EventIndex,
    EventSummary,
    attached_summary,
    heat_fields,
)
from yuqing_spiders.analysis.heat import HeatInputs, heat, interactions, trend
from yuqing_spiders.analysis.plumbing import Breaker, in_thread
from yuqing_spiders.analysis.stage import RedisStage, crawled_time, load_levels_setting, require
from yuqing_spiders.model.items import Trend
from yuqing_spiders.store.connections import release_mongo, shared_mongo
from yuqing_spiders.store.documents import OPINION_METRICS

if TYPE_CHECKING:
    from pymongo import MongoClient
    from redis.commands.core import Script
    from scrapy.crawler import Crawler

    from yuqing_spiders.analysis.level import LevelsConfig
    from yuqing_spiders.model.items import OpinionItem

logger = logging.getLogger(__name__)
SERIES_LIMIT = 500  # points read per item: a day of 5-minute refreshes is under 300

# The heat stage's Redis writes as scripts: one command and one reply each, instead of
# a MULTI/EXEC transaction of 5-8 commands that redis-py packs and parses one by one in
# Python (~0.1 ms per item). Atomic like the transaction; the same round trips.
#
# The event's series gets a point (and its trim and expiry) and is read back over the
# window. KEYS[1] the series. ARGV: entry, its score (unix time), trim bound, retention
# seconds, window start.
SERIES_LUA = """
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[4])
return redis.call('ZRANGEBYSCORE', KEYS[1], ARGV[5], '+inf')
"""
# The item's tracking, with its event's heat when it has one (and the series' one point
# when it founded the event). KEYS: track set [, event hash [, event series]]. ARGV:
# track entry, next refresh ('' = untrack) [, heat, trend, heat_at ms [, series entry,
# score, trim bound, retention seconds]]. Answers ZREM's reply (1 = tracked until now),
# 0 when the item is tracked.
# The event's version `v` rises with its heat: the `events` document is only ever
# overwritten by a snapshot of a later version (event_store.py).
WRITE_LUA = """
if KEYS[3] then
  redis.call('ZADD', KEYS[3], ARGV[7], ARGV[6])
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', ARGV[8])
  redis.call('EXPIRE', KEYS[3], ARGV[9])
end
if KEYS[2] then
  redis.call('HSET', KEYS[2], 'heat', ARGV[3], 'trend', ARGV[4], 'heat_at', ARGV[5])
  redis.call('HINCRBY', KEYS[2], 'v', 1)
end
if ARGV[2] ~= '' then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
  return 0
end
return redis.call('ZREM', KEYS[1], ARGV[1])
"""


def _metrics(item: OpinionItem) -> dict[str, int | None]:
    m = item.metrics
    return {"comments": m.comments, "reposts": m.reposts, "likes": m.likes, "reads": m.reads}


class HeatPipeline(RedisStage):
    component = "heat"

    def __init__(
        self,
        crawler: Crawler,
        redis_url: str,
        prefix: str,
        *,
        mongo_uri: str | None,
        database: str,
        config: LevelsConfig,
    ) -> None:
        super().__init__(crawler, redis_url, prefix)
        self.mongo_uri = mongo_uri
        self.database = database
        self.config = config
        self.retention = int(crawler.settings.getfloat("EVENTS_RETENTION_DAYS", 30) * 86400)
        self.mongo: MongoClient[dict[str, Any]] | None = None
        self.mongo_breaker = Breaker()
        self.index: EventIndex | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        urls = require(crawler, "REDIS_URL")
        settings = crawler.settings
        return cls(
            crawler,
            urls["REDIS_URL"],
            settings.get("EVENTS_REDIS_PREFIX"),
            mongo_uri=settings.get("MONGO_URI") or None,
            database=settings.get("MONGO_DATABASE") or "yuqing",
            config=load_levels_setting(crawler),
        )

    def open_spider(self) -> None:
        super().open_spider()
        assert self.client is not None
        self.index = EventIndex(self.client, self.keys, retention_seconds=self.retention)
        self._series_script = self.client.register_script(SERIES_LUA)
        self._write_script = self.client.register_script(WRITE_LUA)
        if self.mongo_uri:
            self.mongo = shared_mongo(self.crawler.settings, uri=self.mongo_uri)

    def close_spider(self) -> None:
        self.release()
        if self.mongo is not None:
            release_mongo(self.mongo)
            self.mongo = None

    async def process_item(self, item: Any) -> Any:
        if not self.wants(item):
            return item
        now = crawled_time(item)
        current = interactions(_metrics(item), self.config.trend)
        observations = await self._series(item.id, now) if current is not None else []
        if current is not None:
            observations.append((now, current))
        item_trend = trend(observations, self.config.trend)
        item.trend = Trend(**item_trend)
        item.heat = heat(self._inputs(item), now, self.config.heat)
        self.inc("items")
        if item_trend["label"]:
            self.inc(f"trend/{item_trend['label']}")
        try:
            self._store(item, now, item_trend["label"], current)
        except redis.RedisError as exc:
            self.redis_failed(exc, item)
        return item

    def _store(
        self, item: OpinionItem, now: datetime, label: str | None, current: float | None
    ) -> None:
        """Two round trips per item at most: the event's series (its reply decides the
        event's heat), then one script call with the event's heat and the tracking; one
        when the item founded its event (the series is then its own point)."""
        event_heat, event_keys, event_args = self._event(item, now)
        hottest = max(item.heat or 0.0, event_heat)
        entry, refresh = self._track(item, now, hottest, label, current)
        was_tracked = self._run(
            self._write_script, [self.keys.track, *event_keys], [entry, refresh, *event_args]
        )
        if refresh != "":
            self.inc("tracked")
        elif was_tracked:  # the ZREM: the item was tracked until now
            self.inc("untracked")

    def _run(self, script: Script, keys: list[str], args: list[Any]) -> Any:
        """One script call. A server that lacks the scripts (new, restarted, flushed)
        gets both at once: neither costs a round trip more on a later item. (redis-py's
        `Script.__call__` would load each on its own first NOSCRIPT: on a fresh server
        the series script's first call, on a later item, would cost two more.)"""
        assert self.client is not None
        try:
            return self.client.evalsha(script.sha, len(keys), *keys, *args)
        except NoScriptError:
            pipe = self.client.pipeline(transaction=False)
            for one in (self._series_script, self._write_script):
                pipe.script_load(one.script)
            pipe.execute()
            return self.client.evalsha(script.sha, len(keys), *keys, *args)

    def _inputs(self, item: OpinionItem) -> HeatInputs:
        return HeatInputs(
            metrics=_metrics(item),
            tiers=[item.media.tier] if item.media.tier else [],
            front_pages=len({p.site for p in item.front_page}),
            big_v=1 if item.author.is_big_v else 0,
            since=item.published_at or item.first_seen_at or item.crawled_at,
        )

    # --- the item's stored series --------------------------------------------------------

    async def _series(self, opinion_id: str, now: datetime) -> list[tuple[datetime, float]]:
        if self.mongo is None:
            return []
        if not self.mongo_breaker.ready():
            self.inc("series_skipped_mongo_down")
            return []
        try:
            return await in_thread(self._read_series, opinion_id, now)
        except PyMongoError as exc:
            self.inc("series_errors")
            if self.mongo_breaker.trip():
                logger.warning(
                    "heat: metrics series unreadable (%s); trends use this crawl alone for %.0fs",
                    type(exc).__name__,
                    self.mongo_breaker.pause,
                )
            return []

    def _read_series(self, opinion_id: str, now: datetime) -> list[tuple[datetime, float]]:
        assert self.mongo is not None
        since = now - timedelta(hours=self.config.trend.window_hours)
        cursor = (
            self.mongo[self.database][OPINION_METRICS]
            .find({"opinion_id": opinion_id, "at": {"$gte": since, "$lt": now}})
            .sort("at", 1)
            .limit(SERIES_LIMIT)
        )
        points = []
        for point in cursor:
            value = interactions(point, self.config.trend)
            if value is not None:
                points.append((point["at"], value))
        return points

    # --- the event ------------------------------------------------------------------------

    def _event(self, item: OpinionItem, now: datetime) -> tuple[float, list[str], list[Any]]:
        """The event's heat, and the keys and arguments of its writes (none without an
        event): its heat and trend, and the series' point when the item founded it."""
        if not item.event_id:
            return 0.0, [], []
        assert self.index is not None
        # The event stage's reading of this item's event (one Redis call fewer).
        summary = attached_summary(item, item.event_id) or self.index.summary(item.event_id)
        value = sum(float(v) for k, v in summary.totals.items() if k != "reads")
        value += self.config.trend.read_weight * summary.totals.get("reads", 0)
        value += self.config.trend.member_weight * summary.members
        keys = [self.keys.event(item.event_id)]
        point: list[Any] = []
        stamp = now.timestamp()
        entry = f"{stamp:.3f}:{value:g}"
        if summary.founded:
            # The item founded the event just now: the series is its one point. The
            # point goes out with the event's heat (one round trip instead of two).
            series = [self._point(entry, now)]
            keys.append(self.keys.event_series(item.event_id))
            point = [entry, stamp, self._trim_below(stamp), self.retention]
            self.inc("series_founded")
        else:
            series = self._event_series(item.event_id, now, entry)
        event_trend = trend(series, self.config.trend)
        event_heat = heat(self._event_inputs(summary, now), now, self.config.heat)
        summary.heat, summary.trend = event_heat, event_trend
        return event_heat, keys, [*heat_fields(event_heat, event_trend, now), *point]

    def _event_series(
        self, event_id: str, now: datetime, entry: str
    ) -> list[tuple[datetime, float]]:
        """Add this crawl's point to the event's series and read the window back."""
        stamp = now.timestamp()
        window = self.config.trend.window_hours * 3600
        args = [entry, stamp, self._trim_below(stamp), self.retention, stamp - window]
        raw = self._run(self._series_script, [self.keys.event_series(event_id)], args)
        points = dict(self._point(one.decode("utf-8"), now) for one in raw)
        return sorted(points.items())

    def _trim_below(self, stamp: float) -> float:
        """Points older than two windows are dropped from the event's series."""
        return stamp - 2 * self.config.trend.window_hours * 3600

    @staticmethod
    def _point(entry: str, now: datetime) -> tuple[datetime, float]:
        """A series entry `<unix time>:<value>` as stored, read back (both rounded as
        stored: the trend of a founded event's one point is what a read would give)."""
        at, _, val = entry.partition(":")
        return datetime.fromtimestamp(float(at), tz=now.tzinfo), float(val)

    @staticmethod
    def _event_inputs(summary: EventSummary, now: datetime) -> HeatInputs:
        return HeatInputs(
            metrics=summary.totals,
            sites=len(summary.sites),
            platforms=len(summary.platforms),
            tiers=summary.tiers,
            front_pages=len(summary.front_pages),
            big_v=summary.big_v,
            since=summary.last_at or now,
        )

    # --- tracking ---------------------------------------------------------------------------

    def _track(
        self,
        item: OpinionItem,
        now: datetime,
        hottest: float,
        label: str | None,
        current: float | None,
    ) -> tuple[str, float | str]:
        """The item's tracking entry and its next refresh time; "" when it is not (or no
        longer) tracked."""
        entry = tracking.member(item.id or "", item.url, item.source, item.event_id)
        since = item.published_at or item.first_seen_at
        age = (now - since).total_seconds() / 3600 if since else None
        # Nothing to refresh on a page that shows no counter (most news articles).
        if current is not None and tracking.should_track(hottest, label, age, self.config.track):
            return entry, self.config.track.next_refresh(now, label)
        return entry, ""
