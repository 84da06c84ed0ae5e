"""First stage: tidy text, make times UTC, fill crawl-time fields every item needs."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Self
from urllib.parse import urlsplit

from w3lib.url import canonicalize_url

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from yuqing_spiders.items import OpinionItem

_SPACES = re.compile(r"[ \t\u3000\xa0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def clean_text(text: str | None) -> str | None:
    """NFC, one space for runs of spaces (full-width ones too), no empty lines."""
    if text is None:
        return None
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    cleaned = _BLANK_LINES.sub("\n", "\n".join(line for line in lines if line))
    return cleaned or None


def canonical_url(url: str) -> str:
    """The URL as the same page is always named: no fragment, sorted query."""
    return canonicalize_url(url, keep_fragments=False)


def as_utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        # Parsers must give aware times; a naive one here is a parser bug, not Shanghai time.
        raise ValueError(f"naive datetime {value!r} reached the pipeline")
    return value.astimezone(UTC)


class NormalisePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_item(self, item: OpinionItem) -> OpinionItem:
        item.title = clean_text(item.title)
        item.content = clean_text(item.content)
        item.canonical_url = canonical_url(item.canonical_url or item.url)
        item.media.domain = item.media.domain or urlsplit(item.url).hostname
        item.published_at = as_utc(item.published_at)
        item.crawled_at = datetime.now(UTC)
        self.stats.inc_value("pipeline/normalise/items")
        return item
