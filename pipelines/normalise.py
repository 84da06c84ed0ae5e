"""First stage: tidy text, make times UTC, fill crawl-time fields every item needs.

Also where values MongoDB would refuse are made safe (yuqing_spiders/model/storable.py:
ints beyond int64, inf, `$`/`.` field names under `extra`), and where a publication
time in the future is refused: a page or API that says 2031 or 9999 has a wrong clock
or a typo, not news from the future. Beyond `YUQING_FUTURE_TIME_TOLERANCE` seconds
(clock skew between the site and us) the time is dropped — kept as text in
`extra.future_time` — so the completeness stage stores the item as incomplete
(`missing: [published_at]`) rather than as a complete item dated years ahead.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Self
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from yuqing_spiders.model.identity import canonical_url
from yuqing_spiders.model.items import CommentItem, OpinionItem
from yuqing_spiders.model.storable import storable
from yuqing_spiders.model.text import as_utc, clean_text

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


class NormalisePipeline:
    def __init__(self, crawler: Crawler, default_tz: str, future_tolerance: float) -> None:
        self.stats = crawler.stats
        self.default_tz = ZoneInfo(default_tz)
        self.future_tolerance = timedelta(seconds=future_tolerance)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        return cls(
            crawler,
            settings["YUQING_DEFAULT_TZ"],
            settings.getfloat("YUQING_FUTURE_TIME_TOLERANCE"),
        )

    def process_item(self, item: OpinionItem | CommentItem) -> OpinionItem | CommentItem:
        if isinstance(item, CommentItem):
            return self._comment(item)
        item.title = clean_text(item.title)
        item.content = clean_text(item.content)
        item.canonical_url = canonical_url(item.canonical_url or item.url)
        item.media.domain = item.media.domain or urlsplit(item.url).hostname
        if item.published_at and item.published_at.tzinfo is None:
            self.stats.inc_value("pipeline/normalise/naive_time")
        item.published_at = as_utc(item.published_at, self.default_tz)
        item.crawled_at = datetime.now(UTC)
        self._refuse_future(item)
        self._storable_extra(item)
        self.stats.inc_value("pipeline/normalise/items")
        return item

    def _refuse_future(self, item: OpinionItem | CommentItem) -> None:
        """A time beyond now + tolerance is no publication time (see the module doc)."""
        published, crawled = item.published_at, item.crawled_at
        if published is None or crawled is None or published <= crawled + self.future_tolerance:
            return
        self.stats.inc_value("pipeline/normalise/future_time")
        self.stats.inc_value(f"pipeline/normalise/future_time/{item.source}")
        item.extra["future_time"] = published.isoformat()
        item.published_at = None

    def _storable_extra(self, item: OpinionItem | CommentItem) -> None:
        item.extra, changes = storable(item.extra)
        if changes:
            self.stats.inc_value("pipeline/normalise/unstorable_values", changes)
            self.stats.inc_value(f"pipeline/normalise/unstorable_values/{item.source}", changes)

    def _comment(self, item: CommentItem) -> CommentItem:
        """The same text and time rules for a comment (it has no title or media)."""
        item.content = clean_text(item.content)
        if item.published_at and item.published_at.tzinfo is None:
            self.stats.inc_value("pipeline/normalise/naive_time")
        item.published_at = as_utc(item.published_at, self.default_tz)
        item.crawled_at = datetime.now(UTC)
        self._refuse_future(item)
        self._storable_extra(item)
        self.stats.inc_value("pipeline/normalise/comments")
        return item
