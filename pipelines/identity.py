"""Stable `_id` for every item, so every write is an idempotent upsert.

`<source>:<native id>` where the platform numbers its items, else `url:` and the
SHA-1 of the canonical URL (docs/schema.md). The source key, not the platform, is the
namespace: the news platform spans many sites whose ids overlap.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Self

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from yuqing_spiders.items import OpinionItem


def opinion_id(source: str, native_id: str | None, canonical_url: str) -> str:
    if native_id:
        return f"{source}:{native_id}"
    return "url:" + hashlib.sha1(canonical_url.encode("utf-8"), usedforsecurity=False).hexdigest()


class IdentityPipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_item(self, item: OpinionItem) -> OpinionItem:
        item.id = opinion_id(item.source, item.native_id, item.canonical_url or item.url)
        kind = "native" if item.native_id else "url"
        self.stats.inc_value(f"pipeline/identity/{kind}")
        return item
