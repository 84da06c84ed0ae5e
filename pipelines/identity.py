"""Give every item its stable `_id` (yuqing_spiders/model/identity.py has the rule)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from yuqing_spiders.model.identity import comment_id, opinion_id
from yuqing_spiders.model.items import CommentItem, OpinionItem

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector


class IdentityPipeline:
    def __init__(self, stats: StatsCollector) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        assert crawler.stats is not None
        return cls(crawler.stats)

    def process_item(self, item: OpinionItem | CommentItem) -> OpinionItem | CommentItem:
        if isinstance(item, CommentItem):
            author = item.author.id or item.author.name
            item.id = comment_id(item.opinion_id, item.native_id, item.content, author)
            self.stats.inc_value("pipeline/identity/comment")
            return item
        item.id = opinion_id(item.source, item.native_id, item.canonical_url or item.url)
        kind = "native" if item.native_id else "url"
        self.stats.inc_value(f"pipeline/identity/{kind}")
        return item
