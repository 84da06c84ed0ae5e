"""凤凰网 news.ifeng.com: channel pages and articles with embedded JSON (§3.5).

Channel pages (`news.ifeng.com/shanklist/<id>/`) embed `var allData = {...}` whose
`newsstream` array is the list (`title, url, newsTime, thumbnails`); article pages
(`news.ifeng.com/c/<id>`) embed the same variable with `docData`: `title, newsTime,
source, editorName, keywords` and `contentData.contentList[]` (HTML paragraphs, video
attachments) (RSSHub `ifeng/news.tsx`). Read as JSON, no JS engine needed.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy.http import Response, TextResponse

from yuqing_spiders.extract.kit.article import (
    PageParsers,
    UrlParsers,
    keywords,
    mark_completeness,
    news_item,
)
from yuqing_spiders.extract.kit.byline import byline_author, strip_title_suffix
from yuqing_spiders.extract.kit.errors import PayloadError
from yuqing_spiders.extract.kit.html import BODY_NOISE, paragraphs, squash
from yuqing_spiders.extract.kit.lists import ListEntry
from yuqing_spiders.extract.kit.payload import dig, load_assigned_json, response_text
from yuqing_spiders.extract.kit.records import isolated
from yuqing_spiders.model.items import Author, OpinionItem
from yuqing_spiders.model.timeparse import parse_datetime

SOURCE = "ifeng"
ARTICLE_URL_RE = re.compile(r"^https?://news\.ifeng\.com/c/(?P<id>[0-9A-Za-z]{8,16})/?(?:[?#].*)?$")


def canonical_url(url: str) -> str:
    parts = urlsplit(url.strip())
    return f"https://{(parts.hostname or '').lower()}{parts.path.rstrip('/')}"


def native_id(url: str) -> str | None:
    match = ARTICLE_URL_RE.match(url.strip())
    return match["id"] if match else None


def page_data(response: Response) -> dict[str, Any]:
    """The page's `allData` object; PayloadError when the page has none (a redesign)."""
    data = load_assigned_json(response_text(response), "allData")
    if not isinstance(data, dict):
        raise PayloadError("unexpected_shape", "allData is not an object")
    return data


def parse_list(response: Response, key: str = "newsstream") -> list[ListEntry]:
    rows = page_data(response).get(key)
    if not isinstance(rows, list):
        raise PayloadError("unexpected_shape", key)
    return isolated(rows, _list_entry, SOURCE)


def _list_entry(row: dict[str, Any]) -> ListEntry | None:
    href = (row.get("url") or "").strip()
    url = urljoin("https://news.ifeng.com/", href)
    if not href or not ARTICLE_URL_RE.match(url):
        return None  # videos (v.ifeng.com) and specials
    return ListEntry(
        url=canonical_url(url),
        title=squash(row.get("title")) or None,
        published_at=parse_datetime(row.get("newsTime")),
        media_name=squash(row.get("source")) or None,
        native_id=native_id(url),
    )


def parse_article(response: Response) -> OpinionItem:
    url = response.url
    item = news_item(response, SOURCE, native_id(url), canonical_url(url))
    if not isinstance(response, TextResponse):
        return mark_completeness(item)
    try:
        data = page_data(response)
    except PayloadError:
        data = {}
    doc = data.get("docData") or {}
    item.title = squash(doc.get("title")) or strip_title_suffix(
        response.xpath("//title/text()").get()
    )
    item.published_at = parse_datetime(doc.get("newsTime"))
    # Since 2022 凤凰号 pages leave `source` empty and name the account instead.
    item.media.name = (
        _name(doc.get("source"))
        or _name(dig(doc, "subscribe", "catename"))
        or _name(dig(doc, "fhhAccountDetail", "catename"))
        or _name(dig(data, "fhhAccountDetail", "catename"))
        or None
    )
    parts = dig(doc, "contentData", "contentList") or []
    html = "".join(
        p.get("data", "") for p in parts if isinstance(p, dict) and p.get("type") == "text"
    )
    lines = paragraphs(html, BODY_NOISE)
    item.content = "\n".join(lines) or None
    item.author = Author(name=byline_author(lines))
    item.editor = squash(doc.get("editorName")) or None
    item.keywords = keywords(doc.get("keywords") if isinstance(doc.get("keywords"), str) else "")
    return mark_completeness(item)


def _name(value: Any) -> str:
    return squash(value) if isinstance(value, str) else ""


# Pages this module reads whole (`yuqing extract`, search results): found by
# spiders/_base/registry.py, so a new source never edits a table elsewhere.
URL_PARSERS: UrlParsers = [(ARTICLE_URL_RE, parse_article)]

# List pages and API answers (`yuqing extract --file`): found by the same registry.
PAGE_PARSERS: PageParsers = [
    (re.compile(r"^https?://news\.ifeng\.com/shanklist/"), parse_list),
]
