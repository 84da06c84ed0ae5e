"""Which parser reads which URL, and one-shot extraction from saved bytes.

Site parsers are listed as (URL pattern, parse function); a new source adds one
line to `SITE_PARSERS`. Pages no pattern claims go to the generic extractor.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from scrapy.http import HtmlResponse, TextResponse
from w3lib.encoding import html_body_declared_encoding, read_bom

from yuqing_spiders.extract.generic import extract_article
from yuqing_spiders.items import OpinionItem
from yuqing_spiders.parsers import people

logger = logging.getLogger(__name__)

Parser = Callable[[TextResponse], OpinionItem]

SITE_PARSERS: list[tuple[re.Pattern[str], Parser]] = [
    (people.ARTICLE_URL_RE, people.parse_article),
]

# Tried in order for a page that declares no charset: Chinese sites without a
# <meta charset> are UTF-8 or GBK, and GB18030 is the superset browsers use for GBK.
_UNDECLARED_CANDIDATES = ("utf-8", "gb18030")


def parser_for(url: str) -> Parser | None:
    """The site parser for `url`, or None when only the generic extractor applies."""
    for pattern, parser in SITE_PARSERS:
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
