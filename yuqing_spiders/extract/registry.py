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
from yuqing_spiders.parsers import (
    baijiahao,
    cctv,
    chinanews,
    configured,
    discuz,
    ifeng,
    jxntv,
    jxrb,
    jxxw,
    netease,
    people,
    sina,
    sohu,
    tencent,
    thepaper,
    tieba,
    toutiao,
    weixin,
    wenz,
    xinhua,
)

logger = logging.getLogger(__name__)

Parser = Callable[[TextResponse], OpinionItem]

SITE_PARSERS: list[tuple[re.Pattern[str], Parser]] = [
    (people.ARTICLE_URL_RE, people.parse_article),
    (sina.ARTICLE_URL_RE, sina.parse_article),
    (netease.ARTICLE_URL_RE, netease.parse_article),
    (tencent.ARTICLE_URL_RE, tencent.parse_article),
    (sohu.ARTICLE_URL_RE, sohu.parse_article),
    (ifeng.ARTICLE_URL_RE, ifeng.parse_article),
    (baijiahao.ARTICLE_URL_RE, baijiahao.parse_article),
    (xinhua.ARTICLE_URL_RE, xinhua.parse_article),
    (xinhua.LEGACY_URL_RE, xinhua.parse_article),
    (cctv.API_URL_RE, cctv.parse_api_article),  # the article API answer (JSON)
    (chinanews.ARTICLE_URL_RE, chinanews.parse_article),
    (thepaper.ARTICLE_URL_RE, thepaper.parse_article),
    (jxntv.ARTICLE_URL_RE, jxntv.parse_article),
    (jxrb.ARTICLE_URL_RE, jxrb.parse_article),
    (jxxw.DETAIL_URL_RE, jxxw.parse_detail),  # the app's detail answer (JSON)
    (weixin.ARTICLE_URL_RE, weixin.parse_article),
    (toutiao.ARTICLE_URL_RE, toutiao.parse_article),
    (tieba.ARTICLE_URL_RE, tieba.parse_article),  # legacy HTML thread pages
    (discuz.ARTICLE_URL_RE, discuz.parse_article),  # 大江论坛 threads
    (wenz.ARTICLE_URL_RE, wenz.parse_view),
    # Every `type: news_config` site of settings/sources.yaml, with its selectors.
    *configured.site_parsers(configured.DEFAULT_SOURCES_FILE),
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
