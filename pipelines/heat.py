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

from yuqing_spiders.analysis import tracking
from yuqing_spiders.analysis.events import EventIndex, EventSummary, attached_summary
from yuqing_spiders.analysis.heat import HeatInputs, heat, interactions, trend
from yuqing_spiders.analysis.plumbing import Breaker, in_thread
from yuqing_spiders.analysis.stage import RedisStage, crawled_time, load_levels_setting, require
from yuqing_spiders.model.items import Trend
from yuqing_spiders.store.connections import mongo_from_settings
from yuqing_spiders.store.documents import OPINION_METRICS

if TYPE_CHECKING:
    from pymongo import MongoClient
    from scrapy.crawler import Crawler

    from yuqing_spiders.analysis.level import LevelsConfig
    from yuqing_spiders.model.items import OpinionItem

logger = logging.getLogger(__name__)
SERIES_LIMIT = 500  # points read per item: a day of 5-minute refreshes is under 300


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
        if self.mongo_uri:
            self.mongo = mongo_from_settings(self.crawler.settings, uri=self.mongo_uri)

    def close_spider(self) -> None:
        self.release()
        if self.mongo is not None:
            self.mongo.close()

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
        event's heat), then one transaction with the event's heat and the tracking; one
        when the item founded its event (the series is then its own point)."""
        assert self.client is not None
        pipe = self.client.pipeline(transaction=True)
        event_heat = self._event(item, now, pipe)
        tracked = self._track(item, now, max(item.heat or 0.0, event_heat), label, current, pipe)
        replies = pipe.execute()
        if tracked:
            self.inc("tracked")
        elif replies and replies[-1]:  # the ZREM: the item was tracked until now
            self.inc("untracked")

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

    def _event(self, item: OpinionItem, now: datetime, pipe: redis.client.Pipeline) -> float:
        if not item.event_id:
            return 0.0
        assert self.index is not None
        assert self.client is not None
        # The event stage's reading of this item's event (one Redis call fewer).
        summary = attached_summary(item, item.event_id) or self.index.summary(item.event_id)
        value = sum(float(v) for k, v in summary.totals.items() if k != "reads")
        value += self.config.trend.read_weight * summary.totals.get("reads", 0)
        value += self.config.trend.member_weight * summary.members
        if summary.founded:
            # The item founded the event just now: the series is its one point. The
            # point goes out with the event's heat (one round trip instead of two).
            series = [self._point(self._add_point(item.event_id, now, value, pipe), now)]
            self.inc("series_founded")
        else:
            series = self._event_series(item.event_id, now, value)
        event_trend = trend(series, self.config.trend)
        event_heat = heat(self._event_inputs(summary, now), now, self.config.heat)
        self.index.set_heat(item.event_id, event_heat, event_trend, now, pipe)
        summary.heat, summary.trend = event_heat, event_trend
        return event_heat

    def _event_series(
        self, event_id: str, now: datetime, value: float
    ) -> list[tuple[datetime, float]]:
        """Add this crawl's point to the event's series and read the window back."""
        assert self.client is not None
        stamp = now.timestamp()
        window = self.config.trend.window_hours * 3600
        pipe = self.client.pipeline(transaction=True)
        self._add_point(event_id, now, value, pipe)
        pipe.zrangebyscore(self.keys.event_series(event_id), stamp - window, "+inf")
        raw = pipe.execute()[-1]
        points = dict(self._point(entry.decode("utf-8"), now) for entry in raw)
        return sorted(points.items())

    def _add_point(
        self, event_id: str, now: datetime, value: float, pipe: redis.client.Pipeline
    ) -> str:
        """Queue the point on `pipe` (and the series' trim and expiry); its entry."""
        key = self.keys.event_series(event_id)
        stamp = now.timestamp()
        entry = f"{stamp:.3f}:{value:g}"
        pipe.zadd(key, {entry: stamp})
        pipe.zremrangebyscore(key, "-inf", stamp - 2 * self.config.trend.window_hours * 3600)
        pipe.expire(key, self.retention)
        return entry

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
        pipe: redis.client.Pipeline,
    ) -> bool:
        """Queue the item's tracking (ZADD) or its end (ZREM, last on `pipe`); True
        when it is tracked."""
        entry = tracking.member(item.id or "", item.url, item.source, item.event_id)
        since = item.published_at or item.first_seen_at
        age = (now - since).total_seconds() / 3600 if since else None
        # Nothing to refresh on a page that shows no counter (most news articles).
        if current is not None and tracking.should_track(hottest, label, age, self.config.track):
            tracking.track(pipe, self.keys.track, entry, self.config.track.next_refresh(now, label))
            return True
        pipe.zrem(self.keys.track, entry)
        return False
