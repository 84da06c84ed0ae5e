"""The item an article parser starts from and finishes with, and the page fields
every news template has (meta tags, keywords)."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from parsel import Selector
from scrapy.http import Response, TextResponse

from yuqing_spiders.extract.kit.html import squash
from yuqing_spiders.model.items import REQUIRED_NEWS_FIELDS, Media, OpinionItem

logger = logging.getLogger(__name__)

# A parser of whole pages, and the (URL pattern, parser) list each source's parse
# module declares as `URL_PARSERS` (spiders/_base/registry.py finds them).
ArticleParser = Callable[[TextResponse], OpinionItem]
UrlParsers = list[tuple[re.Pattern[str], ArticleParser]]
# A reader of a list page or an API answer (whatever records or links it yields), and
# the `PAGE_PARSERS` list a source declares so `yuqing extract` can read saved answers.
PageParser = Callable[[TextResponse], Any]
PageParsers = list[tuple[re.Pattern[str], PageParser]]


def news_item(
    response: Response, source: str, native_id: str | None, canonical: str | None = None
) -> OpinionItem:
    """The item every news and portal article parser starts from: URL, ids, site,
    encoding."""
    host = (urlsplit(response.url).hostname or "").lower() or None
    item = OpinionItem(
        url=response.url,
        source=source,
        platform="news",
        canonical_url=canonical,
        native_id=native_id,
        media=Media(domain=host),
    )
    if isinstance(response, TextResponse):
        item.encoding = response.encoding
    return item


def mark_completeness(item: OpinionItem) -> OpinionItem:
    """Set `complete`/`missing` from the fields a news item must have."""
    item.missing = [name for name in REQUIRED_NEWS_FIELDS if not getattr(item, name)]
    item.complete = not item.missing
    if item.missing:
        logger.info("incomplete article %s: missing %s", item.url, ", ".join(item.missing))
    return item


def meta_content(sel: Selector | TextResponse, key: str) -> str | None:
    """A <meta> value by name or property (exact, as portals write them)."""
    value = sel.xpath(f"//meta[@name='{key}' or @property='{key}']/@content").get()
    return squash(value) or None


def keywords(value: str | None) -> list[str]:
    """'南昌,地铁，早高峰' -> ['南昌', '地铁', '早高峰']."""
    return [k for k in (squash(p) for p in re.split(r"[,，;；\s]+", value or "")) if k]
