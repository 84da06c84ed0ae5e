"""Which parser reads which URL — found in the source folders, no table to keep —
and one-shot reading of saved responses (`yuqing extract`).

Every source folder whose `parse.py` reads whole pages declares them:

    URL_PARSERS: UrlParsers = [(ARTICLE_URL_RE, parse_article)]      # -> an item
    PAGE_PARSERS: PageParsers = [(LIST_URL_RE, parse_list)]          # -> records, links

`url_parsers()` / `page_parsers()` collect those lists from `spiders/<source>/parse.py`
(folders whose name starts with `_` are shared code, not sources). A new source is
found by being there. Patterns of different sources must not claim the same URL (a
test checks every fixture URL); article pages no pattern claims go to the generic
extractor, list pages to the generic list extractor.

A saved response is decoded as the crawl decodes it (yuqing_spiders/fetch/encoding.py,
the rule middlewares/encoding.py applies), and an article item gets the generic
extractor's reading for each field its site parser missed, as in a crawl
(yuqing_spiders/extract/fallback.py).
"""

from __future__ import annotations

import dataclasses
import importlib
import logging
from datetime import datetime
from functools import cache
from typing import Any

from scrapy.http import HtmlResponse, TextResponse

from spiders._base.folders import SOURCES_PACKAGE, source_modules
from yuqing_spiders.extract.fallback import applies, fill_from_generic
from yuqing_spiders.extract.generic import extract_article
from yuqing_spiders.extract.kit.article import ArticleParser, PageParser, PageParsers, UrlParsers
from yuqing_spiders.extract.listing import extract_links
from yuqing_spiders.fetch.encoding import detect_encoding, least_lossy_encoding
from yuqing_spiders.model.items import OpinionItem

logger = logging.getLogger(__name__)

# An unknown page with at least this much generic body text reads as an article.
_ARTICLE_BODY_CHARS = 150


@cache
def url_parsers(package: str = SOURCES_PACKAGE) -> UrlParsers:
    """Every source's `URL_PARSERS`, in folder order."""
    return _collect("URL_PARSERS", package)


@cache
def page_parsers(package: str = SOURCES_PACKAGE) -> PageParsers:
    """Every source's `PAGE_PARSERS` (list pages, API answers), in folder order."""
    return _collect("PAGE_PARSERS", package)


def _collect(name: str, package: str) -> list[Any]:
    found: list[Any] = []
    # A source without page parsers (a hot list, a search front) has no parse.py.
    for module in source_modules("parse", package):
        found.extend(getattr(importlib.import_module(module), name, ()))
    return found


def parser_for(url: str) -> ArticleParser | None:
    """The site parser for `url`, or None when only the generic extractor applies."""
    for pattern, parser in url_parsers():
        if pattern.match(url.strip()):
            return parser
    return None


def page_parser_for(url: str) -> PageParser | None:
    """The source's reader of the list page or API answer at `url`, or None."""
    for pattern, parser in page_parsers():
        if pattern.match(url.strip()):
            return parser
    return None


def saved_response(url: str, body: bytes, encoding: str | None = None) -> HtmlResponse:
    """The response a crawl would hand a parser for these bytes: `encoding` if forced,
    else the charset the bytes are really in, whatever they declare."""
    if encoding is None:
        encoding = detect_encoding(body, None) or least_lossy_encoding(body, None)
    return HtmlResponse(url=url, body=body, encoding=encoding)


def extract(url: str, body: bytes, encoding: str | None = None) -> OpinionItem:
    """Parse a saved article page: the site parser for `url` if there is one, else the
    generic one; fields the site parser missed are read by the generic extractor."""
    response = saved_response(url, body, encoding)
    parser = parser_for(url) or extract_article
    logger.debug("extracting %s with %s (%s)", url, parser.__qualname__, response.encoding)
    return _with_fallback(parser(response), response)


def read(url: str, body: bytes, encoding: str | None = None) -> Any:
    """What the project makes of any saved response, as JSON-ready data: the item of an
    article page; the records or links a source's list or API parser yields; for an
    unknown URL, the generic item when the page reads as an article, else the generic
    list's entries."""
    response = saved_response(url, body, encoding)
    if (article := parser_for(url)) is not None:
        return as_json(_with_fallback(article(response), response))
    if (page := page_parser_for(url)) is not None:
        logger.debug("reading %s with %s", url, page.__qualname__)
        return as_json(page(response))
    item = extract_article(response)
    if len(item.content or "") >= _ARTICLE_BODY_CHARS or not (links := extract_links(response)):
        return as_json(item)
    return as_json({"url": url, "entries": links})


def _with_fallback(item: OpinionItem, response: TextResponse) -> OpinionItem:
    if applies(item, response):
        fill_from_generic(item, response)
    return item


def as_json(value: Any) -> Any:
    """Parser output (items, dataclasses, counters, tuples, datetimes) as JSON data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: as_json(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [as_json(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)
