"""Mark what a parser could not find, so nothing partial is stored as complete.

Incomplete items are still stored (with `complete: false` and `missing`), because a
page that lost its body is itself a signal; the writer never lets one overwrite a
complete record. Per-source field coverage is counted here for crawl health.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Self

from yuqing_spiders.model.items import REQUIRED_NEWS_FIELDS, CommentItem, OpinionItem

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

# Fields whose presence is counted per source (`coverage/<source>/<field>`).
COVERED_FIELDS = ("title", "content", "published_at", "media.name", "author.name", "editor")
# The same for comments (`coverage/<source>/comment/<field>`); they are never dropped.
COVERED_COMMENT_FIELDS = ("content", "published_at", "author.name", "likes", "ip_location")


def _value(item: OpinionItem | CommentItem, dotted: str) -> object:
    value: object = item
    for part in dotted.split("."):
        value = getattr(value, part, None)
    return value


class CompletenessPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self._warned: set[tuple[str, str]] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_item(self, item: OpinionItem | CommentItem) -> OpinionItem | CommentItem:
        if isinstance(item, CommentItem):
            self._count_comment(item)
            return item
        missing = sorted(
            set(item.missing) | {f for f in REQUIRED_NEWS_FIELDS if not _value(item, f)}
        )
        item.missing = missing
        item.complete = not missing
        self._count(item)
        for field in missing:
            self._warn_once(item, field)
        return item

    def _count(self, item: OpinionItem) -> None:
        self.stats.inc_value(f"coverage/{item.source}/items")
        for field in COVERED_FIELDS:
            if _value(item, field):
                self.stats.inc_value(f"coverage/{item.source}/{field}")
        self.stats.inc_value("items/complete" if item.complete else "items/incomplete")

    def _count_comment(self, item: CommentItem) -> None:
        self.stats.inc_value(f"coverage/{item.source}/comment/items")
        for field in COVERED_COMMENT_FIELDS:
            # 0 likes is a value shown, not a gap.
            if _value(item, field) not in (None, ""):
                self.stats.inc_value(f"coverage/{item.source}/comment/{field}")

    def _warn_once(self, item: OpinionItem, field: str) -> None:
        self.stats.inc_value(f"items/missing/{item.source}/{field}")
        if (item.source, field) in self._warned:
            return
        self._warned.add((item.source, field))
        logger.warning(
            "%s: item without %s, stored as incomplete (first case: %s; further ones only counted)",
            item.source,
            field,
            item.url,
        )
