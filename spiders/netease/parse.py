"""网易新闻 news.163.com: `cm_*` list JSONP and article pages.

Lists are JSONP `data_callback([...])` at `news.163.com/special/cm_<channel>/`
(page 2+ `cm_<channel>_02/`), items `title, docurl, time, source, tienum, ...`; the
time is `MM/DD/YYYY HH:MM:SS`. Articles `www.163.com/news/article/<DOCID>.html` and
网易号 `www.163.com/dy/article/<DOCID>.html`: title `h1.post_title`, time
`html/@data-publishtime`, source and editor in `div.post_author` / `div.post_info`,
body `div.post_body`, the 网易号 account in `.post_wemedia_name a` (NC
`netease_news.py`; RSSHub `163/utils.tsx`).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from scrapy.http import Response, TextResponse

from yuqing_spiders.extract.kit.article import (
    PageParsers,
    UrlParsers,
    keywords,
    mark_completeness,
    meta_content,
    news_item,
)
from yuqing_spiders.extract.kit.byline import (
    byline_author,
    editor_from_text,
    source_from_text,
    strip_title_suffix,
)
from yuqing_spiders.extract.kit.errors import PayloadError
from yuqing_spiders.extract.kit.html import BODY_NOISE, first_node, first_text, paragraphs, squash
from yuqing_spiders.extract.kit.lists import ListEntry
from yuqing_spiders.extract.kit.numbers import to_count
from yuqing_spiders.extract.kit.payload import load_jsonp, response_text
from yuqing_spiders.extract.kit.records import isolated
from yuqing_spiders.model.items import Author, Metrics, OpinionItem
from yuqing_spiders.model.timeparse import find_datetime_in_text, parse_datetime

SOURCE = "netease"
CALLBACK = "data_callback"

ARTICLE_URL_RE = re.compile(
    r"^https?://(?:www\.163\.com/(?:news|dy)/article|[a-z0-9]+\.163\.com/\d{2}/\d{4}/\d{2})"
    r"/(?P<id>[0-9A-Z]{16})\.html(?:[?#].*)?$"
)
# The list's US-style time: 11/25/2026 09:41:22.
_US_TIME_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(.*)$")
# Editors sign with a staff code: 王凤枝_NN1189.
_EDITOR_CODE_RE = re.compile(r"_[A-Z]{1,4}\d+$")


def canonical_url(url: str) -> str:
    parts = urlsplit(url.strip())
    return f"https://{(parts.hostname or '').lower()}{parts.path}"


def native_id(url: str) -> str | None:
    match = ARTICLE_URL_RE.match(url.strip())
    return match["id"] if match else None


def list_time(value: str | None) -> str | None:
    """'11/25/2026 09:41:22' -> '2026-11-25 09:41:22' (dateparser reads it as Y-M-D)."""
    match = _US_TIME_RE.match(squash(value))
    if not match:
        return value
    return f"{match[3]}-{int(match[1]):02d}-{int(match[2]):02d}{match[4]}"


def parse_list(response: Response) -> list[ListEntry]:
    """Entries of one cm_* JSONP page; PayloadError when it is not `data_callback([...])`."""
    rows = load_jsonp(response_text(response), CALLBACK)
    if not isinstance(rows, list):
        raise PayloadError("unexpected_shape", "data_callback argument is not a list")
    return isolated(rows, _list_entry, SOURCE)


def _list_entry(row: dict[str, Any]) -> ListEntry | None:
    url = (row.get("docurl") or "").strip()
    if not ARTICLE_URL_RE.match(url):
        return None  # photo sets, videos and specials
    return ListEntry(
        url=url,
        title=squash(row.get("title")) or None,
        published_at=parse_datetime(list_time(row.get("time"))),
        media_name=squash(row.get("source")) or None,
        comments=to_count(row.get("tienum")),
        native_id=native_id(url),
    )


def parse_article(response: Response) -> OpinionItem:
    url = response.url
    canonical = canonical_url(url) if ARTICLE_URL_RE.match(url) else url
    item = news_item(response, SOURCE, native_id(url), canonical)
    if not isinstance(response, TextResponse):
        return mark_completeness(item)
    item.title = first_text(response, "h1.post_title", "h1") or strip_title_suffix(
        response.xpath("//title/text()").get()
    )
    # div.post_time_source: the 2020 template's meta line ("2020-05-11 10:23:45 来源: X").
    info = first_text(response, "div.post_info", "div.post_time_source") or ""
    item.published_at = (
        parse_datetime(response.xpath("/html/@data-publishtime").get())
        or parse_datetime(meta_content(response, "article:published_time"))
        or find_datetime_in_text(info)
    )
    author_block = first_text(response, "div.post_author") or ""
    wemedia = first_text(response, ".post_wemedia_name a", ".post_wemedia_name")
    item.media.name = source_from_text(info) or source_from_text(author_block) or wemedia
    lines = paragraphs(first_node(response, "div.post_body", "div.post_text"), BODY_NOISE)
    item.content = "\n".join(lines) or None
    item.author = Author(name=byline_author(lines) or wemedia)
    editor = editor_from_text(author_block) or editor_from_text(first_text(response, ".ep-editor"))
    item.editor = _EDITOR_CODE_RE.sub("", editor) if editor else None
    item.keywords = keywords(meta_content(response, "keywords"))
    if wemedia:
        item.extra["account"] = wemedia  # 网易号: a self-media account, not a newsroom
    item.metrics = Metrics()
    return mark_completeness(item)


# Pages this module reads whole (`yuqing extract`, search results): found by
# spiders/_base/registry.py, so a new source never edits a table elsewhere.
URL_PARSERS: UrlParsers = [(ARTICLE_URL_RE, parse_article)]

# List pages and API answers (`yuqing extract --file`): found by the same registry.
PAGE_PARSERS: PageParsers = [
    (re.compile(r"^https?://news\.163\.com/special/cm_\w+/"), parse_list),
]
