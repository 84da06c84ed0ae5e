"""今视网 jxntv.cn (江西网络广播电视台).

Channel lists (`news.jxntv.cn/?ch=<id>`) are filled by JavaScript, so the spider has
them rendered in chromium; the rendered page's links to articles
`{news|v|finance|health|edu|fa}.jxntv.cn/YYYY/MMDD/<id>.shtml` are taken. Articles are
static: title `h1`, time in `div.info` (`span.date` on video pages), source
`span.source`, body `div.content` (alt `div.thumbbox`).
"""

from __future__ import annotations

import re

from scrapy.http import Response, TextResponse

from yuqing_spiders.extract.generic import find_canonical_url
from yuqing_spiders.extract.kit.article import PageParsers, UrlParsers, mark_completeness, news_item
from yuqing_spiders.extract.kit.byline import (
    author_from_text,
    editor_from_text,
    source_from_text,
    strip_title_suffix,
)
from yuqing_spiders.extract.kit.html import all_text, first_node, paragraphs, squash
from yuqing_spiders.extract.kit.lists import ListPage, unique_links
from yuqing_spiders.model.items import Author, OpinionItem
from yuqing_spiders.model.timeparse import find_datetime_in_text

SOURCE = "jxntv"

ARTICLE_URL_RE = re.compile(
    r"^https?://(?P<sub>news|v|finance|health|edu|fa)\.jxntv\.cn(?::\d+)?"
    r"/(?P<year>\d{4})/(?P<mmdd>\d{4})/(?P<id>\d+)\.shtml$",
    re.IGNORECASE,
)
_NOISE = (".editor", ".share", ".related")


def parse_list(response: TextResponse) -> ListPage:
    """Article links of a rendered channel page."""
    hrefs = response.xpath("//a/@href").getall()
    return ListPage(article_urls=unique_links(response, hrefs, ARTICLE_URL_RE))


def parse_article(response: Response) -> OpinionItem:
    match = ARTICLE_URL_RE.match(response.url)
    item = news_item(response, SOURCE, match["id"] if match else None)
    if not isinstance(response, TextResponse):
        return mark_completeness(item)
    item.canonical_url = find_canonical_url(response)
    item.title = squash(" ".join(response.css("h1 ::text").getall())) or strip_title_suffix(
        response.xpath("//title/text()").get()
    )
    info = all_text(response, "div.info, span.date")
    item.published_at = find_datetime_in_text(info)
    source = squash(" ".join(response.css("span.source ::text").getall()))
    item.media.name = source_from_text(source) or source_from_text(info) or source or None
    lines = paragraphs(first_node(response, "div.content", "div.thumbbox"), _NOISE)
    item.content = "\n".join(lines) or None
    item.author = Author(
        name=author_from_text(info) or (author_from_text(lines[0]) if lines else None)
    )
    item.editor = editor_from_text(all_text(response, ".editor"))
    return mark_completeness(item)


# Pages this module reads whole (`yuqing extract`, search results): found by
# spiders/_base/registry.py, so a new source never edits a table elsewhere.
URL_PARSERS: UrlParsers = [(ARTICLE_URL_RE, parse_article)]

# List pages and API answers (`yuqing extract --file`): found by the same registry.
PAGE_PARSERS: PageParsers = [
    (re.compile(r"^https?://news\.jxntv\.cn/(?:\?|index)"), parse_list),
]
