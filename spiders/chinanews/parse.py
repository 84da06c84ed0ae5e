"""中新网 chinanews.com.cn / chinanews.com.

Rolling list `scroll-news/news1.html`, article links in `.dd_bt a`. Articles
`/<channel>/YYYY/MM-DD/<id>.shtml` come in several templates and in two encodings:
the current one (UTF-8; body `div.content_desc`, source link `a.source`, the
"发布时间…来源" line in `.left p` / `.content_left_time`) and the older one (GBK or
GB2312; body `div.left_zw`, time and source in `div.left-t`). The encoding is
decided per page by middlewares/encoding.py from header, <meta> and the bytes.
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
from yuqing_spiders.extract.kit.html import all_text, first_node, first_text, paragraphs, squash
from yuqing_spiders.extract.kit.lists import ListPage, unique_links
from yuqing_spiders.model.items import Author, OpinionItem
from yuqing_spiders.model.timeparse import find_datetime_in_text

SOURCE = "chinanews"

ARTICLE_URL_RE = re.compile(
    r"^https?://(?:[a-z0-9-]+\.)*chinanews\.com(?:\.cn)?(?::\d+)?"
    r"/(?P<channel>[a-z0-9]+)/(?P<year>\d{4})/(?P<mmdd>\d{2}-\d{2})/(?P<id>\d+)\.shtml$",
    re.IGNORECASE,
)
_META_LINE_CSS = (".content_left_time", ".left p", "div.left-t", ".left-time")
_BODY_CSS = ("div.content_desc", "div.left_zw", "div.t3")
_TITLE_CSS = (".content_left_title", "div.content > h1", ".content h1", "h1")
_EDITOR_CSS = ".adEditor, .left_name, #editor"
# Image captions' frames, ad slots and the editor line inside the body.
_NOISE = (".adEditor", ".left_name", ".adInContent", "table")


def is_article_url(url: str) -> bool:
    return bool(ARTICLE_URL_RE.match(url.strip()))


def parse_list(response: TextResponse) -> ListPage:
    """Article links of a rolling-news page, in page order."""
    hrefs = response.css(".dd_bt a::attr(href)").getall()
    if not hrefs:
        hrefs = response.xpath("//a/@href").getall()  # a redesigned list: any article link
    return ListPage(article_urls=unique_links(response, hrefs, ARTICLE_URL_RE))


def parse_article(response: Response) -> OpinionItem:
    """One article, either template; incomplete (never an exception) when fields lack."""
    match = ARTICLE_URL_RE.match(response.url)
    item = news_item(response, SOURCE, match["id"] if match else None)
    if not isinstance(response, TextResponse):
        return mark_completeness(item)
    item.canonical_url = find_canonical_url(response)
    item.title = first_text(response, *_TITLE_CSS) or strip_title_suffix(
        response.xpath("//title/text()").get()
    )
    line = first_text(response, *_META_LINE_CSS, where=_is_meta_line)
    item.published_at = find_datetime_in_text(line)
    item.media.name = squash(response.css("a.source::text").get()) or source_from_text(line)
    lines = paragraphs(first_node(response, *_BODY_CSS), _NOISE)
    item.content = "\n".join(lines) or None
    item.author = Author(name=author_from_text(lines[0]) if lines else None)
    item.editor = editor_from_text(all_text(response, _EDITOR_CSS))
    return mark_completeness(item)


def _is_meta_line(text: str) -> bool:
    return "来源" in text or "20" in text


# Pages this module reads whole (`yuqing extract`, search results): found by
# spiders/_base/registry.py, so a new source never edits a table elsewhere.
URL_PARSERS: UrlParsers = [(ARTICLE_URL_RE, parse_article)]

# List pages and API answers (`yuqing extract --file`): found by the same registry.
PAGE_PARSERS: PageParsers = [
    (re.compile(r"^https?://www\.chinanews\.com(?:\.cn)?/scroll-news/"), parse_list),
]
