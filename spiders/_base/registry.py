"""Which parser reads which URL — found in the source folders, no table to keep —
and one-shot extraction from saved bytes.

Every source folder whose `parse.py` reads whole pages declares them:

    URL_PARSERS: UrlParsers = [(ARTICLE_URL_RE, parse_article)]

`url_parsers()` collects those lists from `spiders/<source>/parse.py` (folders whose
name starts with `_` are shared code, not sources). A new source is found by being
there. Patterns of different sources must not claim the same URL (a test checks every
fixture URL); pages no pattern claims go to the generic extractor.
"""

from __future__ import annotations

import importlib
import logging
from functools import cache

from scrapy.http import HtmlResponse
from w3lib.encoding import html_body_declared_encoding, read_bom

from spiders._base.folders import SOURCES_PACKAGE, source_modules
from yuqing_spiders.extract.generic import extract_article
from yuqing_spiders.extract.kit.article import ArticleParser, UrlParsers
from yuqing_spiders.model.items import OpinionItem

logger = logging.getLogger(__name__)

# Tried in order for a page that declares no charset: Chinese sites without a
# <meta charset> are UTF-8 or GBK, and GB18030 is the superset browsers use for GBK.
_UNDECLARED_CANDIDATES = ("utf-8", "gb18030")


@cache
def url_parsers(package: str = SOURCES_PACKAGE) -> UrlParsers:
    """Every source's `URL_PARSERS`, in folder order."""
    found: UrlParsers = []
    # A source without page parsers (a hot list, a search front) has no parse.py.
    for name in source_modules("parse", package):
        found.extend(getattr(importlib.import_module(name), "URL_PARSERS", ()))
    return found


def parser_for(url: str) -> ArticleParser | None:
    """The site parser for `url`, or None when only the generic extractor applies."""
    for pattern, parser in url_parsers():
        if pattern.match(url.strip()):
            return parser
    return None


def extract(url: str, body: bytes, encoding: str | None = None) -> OpinionItem:
    """Parse a saved page: the site parser for `url` if there is one, else the generic one.

    `encoding` forces the charset; without it a BOM or the page's <meta> decides, and
    a page that declares nothing is tried as UTF-8, then GB18030.
    """
    response = HtmlResponse(url=url, body=body, encoding=encoding or _undeclared_encoding(body))
    parser = parser_for(url) or extract_article
    logger.debug("extracting %s with %s (%s)", url, parser.__qualname__, response.encoding)
    return parser(response)


def _undeclared_encoding(body: bytes) -> str | None:
    """A charset for a body that names none; None leaves it to the BOM or <meta>."""
    if read_bom(body)[0] or html_body_declared_encoding(body):
        return None
    for candidate in _UNDECLARED_CANDIDATES:
        try:
            body.decode(candidate)
        except UnicodeDecodeError:
            continue
        return candidate
    return None
