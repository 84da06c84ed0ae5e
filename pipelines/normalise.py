"""First stage: tidy text, make times UTC, fill crawl-time fields every item needs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Self
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from yuqing_spiders.model.identity import canonical_url
from yuqing_spiders.model.items import CommentItem, OpinionItem
from yuqing_spiders.model.text import as_utc, clean_text

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


class NormalisePipeline:
    def __init__(self, crawler: Crawler, default_tz: str) -> None:
        self.stats = crawler.stats
        self.default_tz = ZoneInfo(default_tz)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler, crawler.settings["YUQING_DEFAULT_TZ"])

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
        self.stats.inc_value("pipeline/normalise/items")
        return item

    def _comment(self, item: CommentItem) -> CommentItem:
        """The same text and time rules for a comment (it has no title or media)."""
        item.content = clean_text(item.content)
        if item.published_at and item.published_at.tzinfo is None:
            self.stats.inc_value("pipeline/normalise/naive_time")
        item.published_at = as_utc(item.published_at, self.default_tz)
        item.crawled_at = datetime.now(UTC)
        self.stats.inc_value("pipeline/normalise/comments")
        return item
