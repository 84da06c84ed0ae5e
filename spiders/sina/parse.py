"""新浪新闻 news.sina.com.cn: the rolling feed API and article pages.

Lists come from `feed.mix.sina.com.cn/api/roll/get?pageid=153&lid=<lid>&...` (JSON
`result.data[]`: title, url, media_name, intime/ctime in unix seconds, docid; RSSHub
`sina/utils.tsx`). Articles `news.sina.com.cn/<channel>/YYYY-MM-DD/doc-<id>.shtml`:
time in `meta[property=article:published_time]` or `.date`/`#pub_date`, source in
`meta[property=article:author]`, body `#article` (news) or `#artibody` (finance,
sports), keywords in `meta[name=keywords]`.
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
from yuqing_spiders.extract.kit.byline import byline_author, editor_from_text, strip_title_suffix
from yuqing_spiders.extract.kit.errors import PayloadError
from yuqing_spiders.extract.kit.html import BODY_NOISE, first_node, first_text, paragraphs, squash
from yuqing_spiders.extract.kit.lists import ListEntry
from yuqing_spiders.extract.kit.payload import load_json, require_list, response_text
from yuqing_spiders.extract.kit.records import isolated
from yuqing_spiders.model.items import Author, OpinionItem
from yuqing_spiders.model.timeparse import find_datetime_in_text, has_time_of_day, parse_datetime

SOURCE = "sina"

ARTICLE_URL_RE = re.compile(
    r"^https?://(?:[a-z0-9-]+\.)*sina\.com\.cn(?::\d+)?/(?:[\w-]+/)*\d{4}-\d{2}-\d{2}/"
    r"doc-(?P<id>i[a-z0-9]+)\.shtml(?:[?#].*)?$",
    re.IGNORECASE,
)

_BODY_CSS = ("#article", "#artibody", "div.article")


def canonical_url(url: str) -> str:
    """https, lower-case host, no query (the feed adds none; shares add `?from=`)."""
    parts = urlsplit(url.strip())
    return f"https://{(parts.hostname or '').lower()}{parts.path}"


def native_id(url: str) -> str | None:
    match = ARTICLE_URL_RE.match(url.strip())
    return match["id"] if match else None


def parse_feed(response: Response) -> list[ListEntry]:
    """Entries of one roll-feed page; PayloadError when it is not the feed's JSON."""
    data = load_json(response_text(response))
    status = (data.get("result") or {}).get("status") or {}
    if status.get("code") not in (0, "0", None):
        raise PayloadError("api_error", f"code {status.get('code')}: {status.get('msg')}")
    return isolated(require_list(data, "result", "data"), _feed_entry, SOURCE)


def _feed_entry(row: dict[str, Any]) -> ListEntry | None:
    url = (row.get("url") or row.get("wapurl") or "").strip()
    if not ARTICLE_URL_RE.match(url):
        return None  # video and slideshow entries have other URLs
    return ListEntry(
        url=url,
        title=squash(row.get("title")) or None,
        published_at=parse_datetime(row.get("ctime") or row.get("intime")),
        media_name=squash(row.get("media_name")) or None,
        native_id=native_id(url),
    )


def parse_article(response: Response) -> OpinionItem:
    url = response.url
    canonical = canonical_url(url) if ARTICLE_URL_RE.match(url) else url
    item = news_item(response, SOURCE, native_id(url), canonical)
    if not isinstance(response, TextResponse):
        return mark_completeness(item)
    item.title = (
        first_text(response, "h1.main-title", "#artibodyTitle", "h1")
        or strip_title_suffix(meta_content(response, "og:title"))
        or strip_title_suffix(response.xpath("//title/text()").get())
    )
    published = meta_content(response, "article:published_time")
    shown = first_text(response, ".date-source .date", "#pub_date", "span.date", ".date")
    # The shown time is the publication; article:published_time follows later updates
    # (hours off on real pages), so it only stands in when no time is shown.
    shown_at = find_datetime_in_text(shown) if shown and has_time_of_day(shown) else None
    item.published_at = shown_at or (parse_datetime(published) if published else None)
    item.published_at = item.published_at or find_datetime_in_text(shown)
    item.media.name = meta_content(response, "article:author") or first_text(
        response, ".date-source .source", "a.source", "span.source", "#media_name"
    )
    lines = paragraphs(first_node(response, *_BODY_CSS), BODY_NOISE)
    item.content = "\n".join(lines) or None
    item.author = Author(name=byline_author(lines))
    item.editor = editor_from_text(first_text(response, ".show_author", "#article_editor"))
    item.keywords = keywords(meta_content(response, "keywords"))
    return mark_completeness(item)


# Pages this module reads whole (`yuqing extract`, search results): found by
# spiders/_base/registry.py, so a new source never edits a table elsewhere.
URL_PARSERS: UrlParsers = [(ARTICLE_URL_RE, parse_article)]

# List pages and API answers (`yuqing extract --file`): found by the same registry.
PAGE_PARSERS: PageParsers = [
    (re.compile(r"^https?://feed\.mix\.sina\.com\.cn/api/roll/get\?"), parse_feed),
]
