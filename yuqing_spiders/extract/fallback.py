"""The generic extractor behind every site parser, field by field.

A site parser knows its template; when the site changes one (an older channel, a
redesign, a page without `__NEXT_DATA__`), the parser finds nothing for a field while
the generic extractor still reads it from the page. `fill_from_generic` fills each
field the parser left empty from the generic reading of the same page, so a template
change costs one field's precision, never the item. What was filled is recorded in
`extra.generic_fields` (provenance) and counted by the caller as
`extract/fallback/<source>/<field>` (middlewares/generic_fallback.py in a crawl,
`yuqing extract` prints it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scrapy.http import Response, TextResponse

from yuqing_spiders.extract.generic import GenericPage
from yuqing_spiders.model.items import REQUIRED_NEWS_FIELDS, OpinionItem

# The fields the generic extractor can stand in for, as stats and `missing` name them.
FALLBACK_FIELDS: tuple[str, ...] = ("title", "published_at", "media.name", "author.name", "content")
# Platforms whose items are article pages; posts, threads, 问政 messages and search
# cards are read from their own structures, where a generic reading would be wrong.
ARTICLE_PLATFORMS = frozenset({"news", "toutiao", "wechat"})
PROVENANCE_KEY = "generic_fields"
STAT_PREFIX = "extract/fallback"

_READERS: dict[str, Callable[[GenericPage, OpinionItem], Any]] = {
    "title": lambda page, _: page.title,
    "published_at": lambda page, _: page.published_at,
    "media.name": lambda page, _: page.source,
    # The parser's own body serves the byline reader as well as ours (and is cheaper).
    "author.name": lambda page, item: page.author_beside(item.content or page.content),
    "content": lambda page, _: page.content,
}


def applies(item: object, response: Response | None) -> bool:
    """Whether `item` is an article read from the HTML page `response`."""
    if not isinstance(item, OpinionItem) or not isinstance(response, TextResponse):
        return False
    if item.platform not in ARTICLE_PLATFORMS or item.status is not None:
        return False  # a deleted article's page is the platform's notice
    if response.url not in (item.url, item.canonical_url):
        return False  # a list or search page's card about another URL
    head = response.body[:512].lstrip().lower()
    return not head.startswith((b"{", b"[")) and b"<" in head


def fill_from_generic(item: OpinionItem, response: TextResponse) -> list[str]:
    """Fill the fields the site parser left empty from the generic extractor; return
    their names (empty when nothing was missing or the generic reading had nothing)."""
    missing = [name for name in FALLBACK_FIELDS if not _get(item, name)]
    if not missing:
        return []
    page = GenericPage(response)
    filled = []
    for name in missing:
        value = _READERS[name](page, item)
        if value:
            _set(item, name, value)
            filled.append(name)
    if filled:
        item.extra[PROVENANCE_KEY] = sorted({*item.extra.get(PROVENANCE_KEY, []), *filled})
        # The parser judged completeness without these fields: judge again.
        item.missing = [f for f in REQUIRED_NEWS_FIELDS if not _get(item, f)]
        item.complete = not item.missing
    return filled


def fallback_stat(source: str, field: str) -> str:
    return f"{STAT_PREFIX}/{source}/{field}"


def _get(item: OpinionItem, dotted: str) -> Any:
    value: Any = item
    for part in dotted.split("."):
        value = getattr(value, part, None)
    return value


def _set(item: OpinionItem, dotted: str, value: Any) -> None:
    *path, last = dotted.split(".")
    target: Any = item
    for part in path:
        target = getattr(target, part)
    setattr(target, last, value)
