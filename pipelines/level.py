"""Level, reasons and routing of each item; the event's level is raised with it.

`classify` (yuqing_spiders/analysis/level.py) sees the item with its event's context:
heat (the item's or the event's, whichever is higher), first publisher, sites, media
tiers, front pages and big-V authors of all members. So a portal's copy of a story that
people.com.cn published first is important too, with the reason `key_media:central_key`.
The event's level only rises (one Lua call, none when the event is at the item's level
or above already), and that is the level the alert stage raises alerts at.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Self

import redis

from yuqing_spiders.analysis.events import EventIndex, attach_summary, attached_summary
from yuqing_spiders.analysis.level import classify, context_of, route
from yuqing_spiders.analysis.stage import RedisStage, load_levels_setting, require
from yuqing_spiders.fetch.signer import signing_clock

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from yuqing_spiders.analysis.events import EventSummary
    from yuqing_spiders.analysis.level import LevelsConfig
    from yuqing_spiders.model.items import OpinionItem


def replay_clock(crawler: Crawler) -> datetime | None:
    """While replaying, items count as found at the replay clock (the fixtures' "now",
    the one the request signing uses), so old news stays old and the fixtures' news is
    the day's; None in a live crawl."""
    if not crawler.settings.get("YUQING_REPLAY_URL"):
        return None
    return datetime.fromtimestamp(signing_clock(crawler.settings), UTC)


class LevelPipeline(RedisStage):
    component = "level"

    def __init__(self, crawler: Crawler, redis_url: str, prefix: str, config: LevelsConfig) -> None:
        super().__init__(crawler, redis_url, prefix)
        self.config = config
        self.index: EventIndex | None = None
        self.found_at = replay_clock(crawler)
        # Stats key of each reason seen (`level/reason/<kind>`): made once, not split
        # and formatted for every reason of every item.
        self.reason_keys: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        urls = require(crawler, "REDIS_URL")
        prefix = crawler.settings.get("EVENTS_REDIS_PREFIX")
        return cls(crawler, urls["REDIS_URL"], prefix, load_levels_setting(crawler))

    def open_spider(self) -> None:
        super().open_spider()
        assert self.client is not None
        self.index = EventIndex(self.client, self.keys, retention_seconds=0)

    def process_item(self, item: Any) -> Any:
        if not self.wants(item):
            return item
        assert self.index is not None
        summary = None
        try:
            if item.event_id:
                summary = attached_summary(item, item.event_id) or self.index.summary(item.event_id)
        except redis.RedisError as exc:
            self.redis_failed(exc, item)
        rules = self.config.levels
        context = context_of(item, summary, self.found_at)
        item.level, item.level_reasons = classify(item, context, rules)
        item.routed_to = route(item, self.config.default_route, self.config.route_cities)
        if not item.routed_to:
            self.inc("not_routed/elsewhere")
        self.inc(f"items/{item.level}")
        for reason in item.level_reasons:
            key = self.reason_keys.get(reason)
            if key is None:
                key = self.reason_keys[reason] = self._reason_key(reason)
            self.stats.inc_value(key)
        if summary is not None:
            self._raise_event(item, rules.rank(item.level), summary)
            # The summary holds the event's level as it now stands: the alert stage
            # reads it from the item (one Redis read fewer per alerted item).
            attach_summary(item, summary)
        return item

    def _reason_key(self, reason: str) -> str:
        return f"{self.component}/reason/{reason.split(':', 1)[0].split('>=', 1)[0]}"

    def _raise_event(self, item: OpinionItem, rank: int, summary: EventSummary) -> None:
        assert self.index is not None
        assert item.event_id
        assert item.level
        if rank <= self.config.levels.rank(summary.level):
            # The event, as the event stage just read it, is at this level or above:
            # the script would change nothing (a repost of an important story).
            self.inc("event_level_kept")
            return
        try:
            now, reasons = self.index.raise_level(
                item.event_id, item.level, rank, item.level_reasons
            )
        except redis.RedisError as exc:
            self.redis_failed(exc, item)
            return
        if now != summary.level and now == item.level:
            self.inc(f"event_raised/{now}")
        summary.level, summary.level_reasons = now, reasons
