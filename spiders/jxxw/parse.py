"""江西新闻客户端 (江西日报社's app), its JSON API on www.jxxw.com.cn.

The app sends `platform: 2`, `deviceid`, `version: 5.5.1`, `siteid: 55` and the
okhttp User-Agent. List `GET /app/v4/news/index?modelid=&categoryId=&page=&type=`
holds items (`contentid, title, type, commentNum, titlePics`) and banners
(`falshList`); item type 1 is news, 2 topic, 3 photo set, 4 link, 5 live. Detail
`GET /app/v4/news/show?modelid=1&contentid=` gives the body HTML in `data.data` and
the web page in `data.share.webLink`. Evidence is from 2020; the time, source and
counter fields (`inputtime` epoch seconds, relative `showtime` on list rows,
`copyfrom`, `author`, `views`) are modelled, not documented.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from scrapy.http import Response

from yuqing_spiders.extract.kit.article import PageParsers, UrlParsers, mark_completeness
from yuqing_spiders.extract.kit.byline import author_from_text, names_from_byline
from yuqing_spiders.extract.kit.errors import PayloadError
from yuqing_spiders.extract.kit.html import inline_text, paragraphs
from yuqing_spiders.extract.kit.lists import query_value
from yuqing_spiders.extract.kit.numbers import to_count
from yuqing_spiders.extract.kit.payload import dig, load_json, response_text
from yuqing_spiders.extract.kit.records import Records, isolated
from yuqing_spiders.model.items import Author, Media, Metrics, OpinionItem
from yuqing_spiders.model.timeparse import parse_datetime

SOURCE = "jxxw"
SITE_NAME = "江西新闻客户端"
API_HOST = "http://www.jxxw.com.cn"
DETAIL_URL = API_HOST + "/app/v4/news/show?modelid=1&contentid={id}"
DETAIL_URL_RE = re.compile(r"^https?://www\.jxxw\.com\.cn/app/v4/news/show\?")
_WEB_LINK_RE = re.compile(r"^https?://(?:www\.)?jxxw\.com\.cn/.*content_(?P<id>\d+)\.htm$")
# Item types of the list API; only news (1) has an article behind it.
TYPES = {1: "news", 2: "topic", 3: "photos", 4: "link", 5: "live"}


def app_headers() -> dict[str, str]:
    """The headers the app sends; one device id per crawler process, like one phone."""
    return dict(_APP_HEADERS)


_APP_HEADERS = {
    "platform": "2",
    "deviceid": uuid.uuid4().hex,
    "version": "5.5.1",
    "siteid": "55",
    "User-Agent": "okhttp/3.9.1",
    "Accept": "application/json",
}


@dataclass(frozen=True)
class AppRow:
    content_id: str
    title: str | None
    kind: str  # news | topic | photos | link | live | unknown
    comments: int | None
    show_time: str | None  # "3小时前", read against the crawl time


def content_id(url: str) -> str | None:
    """The item id of a detail-API URL or of the web link (`.../content_<id>.htm`)."""
    if DETAIL_URL_RE.match(url):
        return query_value(url, "contentid")
    match = _WEB_LINK_RE.search(url)
    return match["id"] if match else None


def parse_list(response: Response) -> list[AppRow]:
    """Banner and list rows of one list page, once each; PayloadError for a bad answer."""
    data = dig(load_json(response_text(response)), "data")
    if not isinstance(data, dict):
        raise PayloadError("unexpected_shape", "no `data` object in the list answer")
    raws = [*_rows(data.get("falshList")), *_rows(data.get("list"))]
    found = isolated(raws, _row, "jxxw")
    rows: dict[str, AppRow] = {}
    for row in found:
        rows.setdefault(row.content_id, row)
    unique = Records(rows.values())
    unique.errors = found.errors
    return unique


def _rows(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def page_url(list_url: str, page: int) -> str:
    """The same list URL with `page` set (query order kept: it names the fixture)."""
    parts = urlsplit(list_url)
    query = [
        (k, str(page) if k == "page" else v[0])
        for k, v in parse_qs(parts.query, keep_blank_values=True).items()
    ]
    return urlunsplit(parts._replace(query=urlencode(query)))


def list_page_number(list_url: str) -> int:
    page = query_value(list_url, "page") or "1"
    return int(page) if page.isdigit() else 1


def parse_detail(
    response: Response, row: AppRow | None = None, now: datetime | None = None
) -> OpinionItem:
    """A news item from the detail answer; the list row fills what the detail lacks."""
    native = row.content_id if row else content_id(response.url)
    item = OpinionItem(url=response.url, source=SOURCE, platform="news", native_id=native)
    try:
        data = dig(load_json(response_text(response)), "data")
    except PayloadError:
        data = None
    if not isinstance(data, dict):
        item.media = Media(name=SITE_NAME, domain="www.jxxw.com.cn")
        return mark_completeness(item)
    web = dig(data, "share", "webLink")
    if isinstance(web, str) and web.startswith("http"):
        item.url = item.canonical_url = web
    item.media = Media(
        name=inline_text(data.get("copyfrom")) or SITE_NAME, domain=urlsplit(item.url).hostname
    )
    item.title = inline_text(data.get("title")) or (row.title if row else None)
    item.published_at = _published_at(data, row, now)
    lines = paragraphs(data.get("data"))
    item.content = "\n".join(lines) or None
    byline = inline_text(data.get("author"))
    item.author = Author(
        name=(byline and names_from_byline(byline))
        or (author_from_text(lines[0]) if lines else None)
    )
    comments = to_count(data.get("commentNum"))
    if comments is None and row is not None:
        comments = row.comments  # 0 is a count; only a missing one falls back to the list
    item.metrics = Metrics(comments=comments, reads=to_count(data.get("views")))
    return mark_completeness(item)


def _row(raw: dict[str, Any]) -> AppRow | None:
    content_id = str(raw.get("contentid") or "").strip()
    if not content_id.isdigit():
        return None
    kind = TYPES.get(to_count(raw.get("type")) or 0, "unknown")
    show = raw.get("showtime") if isinstance(raw.get("showtime"), str) else None
    return AppRow(
        content_id, inline_text(raw.get("title")), kind, to_count(raw.get("commentNum")), show
    )


def _published_at(
    data: dict[str, Any], row: AppRow | None, now: datetime | None
) -> datetime | None:
    for value in (data.get("inputtime"), data.get("updatetime")):
        if value not in (None, "") and (moment := parse_datetime(str(value), now=now)):
            return moment
    # Only the list's relative time ("3小时前") is left: read against the crawl time.
    return parse_datetime(row.show_time, now=now) if row and row.show_time else None


# Pages this module reads whole (`yuqing extract`, search results): found by
# spiders/_base/registry.py, so a new source never edits a table elsewhere.
URL_PARSERS: UrlParsers = [
    (DETAIL_URL_RE, parse_detail),  # the app's detail answer (JSON)
]

# List pages and API answers (`yuqing extract --file`): found by the same registry.
PAGE_PARSERS: PageParsers = [
    (re.compile(r"^https?://www\.jxxw\.com\.cn/app/v4/news/index\?"), parse_list),
]
