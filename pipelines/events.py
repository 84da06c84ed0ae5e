"""Events: each item joins the near-duplicate cluster of its story (docs/analysis.md).

Sets `simhash`, `event_id`, `is_first_publisher` and `repost_of` (the earliest-published
member's `_id` when this item came later), and records the item in the event's shared
state in Redis — first publisher and time, sites, platforms, media tiers, big-V authors,
front pages, summed metrics — in one script call (yuqing_spiders/analysis/events.py).
Items join by near-identical body or, for rewrites by other outlets, by shared story
facts (analysis/storyfacts.py). An item found to be published before the event's first
publisher is marked so that the MongoDB writer corrects the other members in its batch.
The MongoDB `events` document is written from the Redis state by the event record stage
(pipelines/event_record.py).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Self

import redis
from scrapy.exceptions import NotConfigured
from scrapy.utils.conf import build_component_list

from yuqing_spiders.analysis.events import (
    EventIndex,
    EventSummary,
    StoryRule,
    attach_summary,
    member_of,
)
from yuqing_spiders.analysis.neardup import signature
from yuqing_spiders.analysis.stage import RedisStage, crawled_time, require
from yuqing_spiders.analysis.storyfacts import story_key
from yuqing_spiders.store.documents import FIRST_MOVED
from yuqing_spiders.store.frontpage import attach_placements, placement_key

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from yuqing_spiders.analysis.events import Assignment
    from yuqing_spiders.model.items import OpinionItem

logger = logging.getLogger(__name__)


class EventsPipeline(RedisStage):
    component = "events"

    def __init__(self, crawler: Crawler, redis_url: str, prefix: str) -> None:
        super().__init__(crawler, redis_url, prefix)
        settings = crawler.settings
        self.num_perm = settings.getint("EVENTS_NUM_PERM", 144)
        self.bands = settings.getint("EVENTS_LSH_BANDS", 48)
        if self.bands <= 0 or self.num_perm % self.bands:
            raise NotConfigured(
                f"EVENTS_NUM_PERM ({self.num_perm}) must be a multiple of EVENTS_LSH_BANDS "
                f"({self.bands})"
            )
        self.shingle = settings.getint("EVENTS_SHINGLE", 3)
        self.min_chars = settings.getint("EVENTS_MIN_CHARS", 40)
        self.jaccard = settings.getfloat("EVENTS_JACCARD", 0.5)
        self.containment = settings.getfloat("EVENTS_CONTAINMENT", 0.7)
        self.retention = int(settings.getfloat("EVENTS_RETENTION_DAYS", 30) * 86400)
        self.story = StoryRule(
            min_facts=settings.getint("EVENTS_STORY_MIN_FACTS", 3),
            overlap=settings.getfloat("EVENTS_STORY_OVERLAP", 0.5),
            window_hours=settings.getfloat("EVENTS_STORY_WINDOW_HOURS", 72.0),
        )
        self.story_lead = settings.getint("EVENTS_STORY_LEAD_CHARS", 300)
        # The front-page stage's read, made in this stage's call when that stage comes
        # after this one (one round trip fewer per item): its key prefix, else None.
        self.placements_prefix = (
            settings.get("FRONTPAGE_REDIS_PREFIX") if _front_page_comes_after(settings) else None
        )
        self.index: EventIndex | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        urls = require(crawler, "REDIS_URL")
        return cls(crawler, urls["REDIS_URL"], crawler.settings.get("EVENTS_REDIS_PREFIX"))

    def open_spider(self) -> None:
        super().open_spider()
        assert self.client is not None
        self.index = EventIndex(
            self.client,
            self.keys,
            bands=self.bands,
            jaccard=self.jaccard,
            containment=self.containment,
            retention_seconds=self.retention,
            story=self.story,
        )

    def process_item(self, item: Any) -> Any:
        if not self.wants(item):
            return item
        assert self.index is not None
        sig = signature(
            item.content, num_perm=self.num_perm, shingle=self.shingle, min_chars=self.min_chars
        )
        item.simhash = sig.simhash_hex if sig else None
        story = story_key(item.title, item.content, lead_chars=self.story_lead)
        placements = (
            placement_key(self.placements_prefix, item.canonical_url)
            if self.placements_prefix and item.canonical_url
            else None
        )
        try:
            assignment, summary = self.index.record(
                member_of(item), sig, story, crawled_time(item), placements
            )
        except (redis.RedisError, ValueError, TypeError) as exc:
            self.redis_failed(exc, item)
            return item
        self._apply(item, assignment, summary, short=sig is None)
        attach_summary(item, summary)
        if placements:
            attach_placements(item, assignment.placements)
        return item

    def _apply(
        self, item: OpinionItem, assignment: Assignment, summary: EventSummary, *, short: bool
    ) -> None:
        item.event_id = assignment.event_id
        first = summary.first_id or item.id
        item.is_first_publisher = first == item.id
        item.repost_of = None if item.is_first_publisher else first
        if assignment.first_moved and item.is_first_publisher:
            # The members stored so far name another first publisher: the writer
            # corrects them in the batch that stores this item.
            item.extra[FIRST_MOVED] = True
            self.inc("first_moved")
        if short:
            self.inc("too_short")
        if assignment.recrawl:
            self.inc("recrawled")
        elif assignment.new_event:
            self.inc("new")
        else:
            self.inc("joined")
            logger.debug(
                "%s joins event %s (similarity %.2f, first %s)",
                item.id,
                assignment.event_id,
                assignment.similarity or 0.0,
                first,
            )
        if assignment.by_story:
            self.inc("story_matches", assignment.by_story)
        self.inc("candidates", assignment.candidates)
        self.inc("candidates_rejected", assignment.rejected)
        if item.repost_of:
            self.inc("reposts")


def _front_page_comes_after(settings: Any) -> bool:
    """Whether the item pipelines run the front-page stage after the event stage (by
    their paths: a pipeline module does not import another)."""
    if not settings.get("FRONTPAGE_REDIS_PREFIX"):
        return False
    order = [
        c if isinstance(c, str) else f"{c.__module__}.{c.__qualname__}"
        for c in build_component_list(settings.getwithbase("ITEM_PIPELINES"))
    ]
    events = f"{EventsPipeline.__module__}.{EventsPipeline.__qualname__}"
    if events not in order or _FRONT_PAGE_STAGE not in order:
        return False
    return order.index(_FRONT_PAGE_STAGE) > order.index(events)


_FRONT_PAGE_STAGE = "pipelines.frontpage.FrontPagePipeline"
