"""Stable `_id` for every item, so every write is an idempotent upsert.

`<source>:<native id>` where the platform numbers its items, else `url:` and the
SHA-1 of the canonical URL (docs/schema.md). The source key, not the platform, is the
namespace: the news platform spans many sites whose ids overlap. A comment is
`<opinion _id>#<native id>`: its id is only unique under its item (a floor number).
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Self

from yuqing_spiders.items import CommentItem, OpinionItem

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


def opinion_id(source: str, native_id: str | None, canonical_url: str) -> str:
    if native_id:
        return f"{source}:{native_id}"
    return "url:" + hashlib.sha1(canonical_url.encode("utf-8"), usedforsecurity=False).hexdigest()


def comment_id(
    parent_id: str, native_id: str | None, content: str | None, author: str | None
) -> str:
    """`<opinion _id>#<native id>`; a comment shown without an id (rare) is named by a
    digest of its author and text, so the same comment still gets the same `_id`."""
    if native_id:
        return f"{parent_id}#{native_id}"
    text = f"{author or ''}\n{content or ''}".encode()
    return f"{parent_id}#h:" + hashlib.sha1(text, usedforsecurity=False).hexdigest()[:16]


class IdentityPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

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
