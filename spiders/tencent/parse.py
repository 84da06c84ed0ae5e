"""腾讯新闻 news.qq.com: the PC channel-list API and `window.DATA` articles (§3.3).

List: `POST i.news.qq.com/web_feed/getPCList` (JSON body with `channel_id`,
`flush_num`, a random 36-character `qimei36`/`device_id`) → `data[]` with `id, title,
publish_time`; aggregate cards (`articletype` 525, or carrying `sub_item`) are not
articles. Article `news.qq.com/rain/a/<id>`: metadata in `window.DATA = {...}`
(`title`, `media`, `pubtime`), body `.rich_media_content` (alt `#article-content`,
`.article-content-wrap`) (NC `tencent_news.py`).
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
    news_item,
)
from yuqing_spiders.extract.kit.byline import byline_author, strip_title_suffix
from yuqing_spiders.extract.kit.errors import PayloadError
from yuqing_spiders.extract.kit.html import BODY_NOISE, first_node, first_text, paragraphs, squash
from yuqing_spiders.extract.kit.lists import ListEntry
from yuqing_spiders.extract.kit.payload import (
    load_assigned_json,
    load_json,
    require_list,
    response_text,
)
from yuqing_spiders.extract.kit.records import isolated
from yuqing_spiders.model.items import Author, OpinionItem
from yuqing_spiders.model.timeparse import find_datetime_in_text, parse_datetime

SOURCE = "tencent"
LIST_API = "https://i.news.qq.com/web_feed/getPCList"
ARTICLE_URL_RE = re.compile(
    r"^https?://(?:new\.qq\.com|news\.qq\.com)/(?:rain/a|omn(?:/\d{8})?)/(?P<id>\d{8}[A-Z0-9]{8})"
    r"(?:\.html)?/?(?:[?#].*)?$"
)
AGGREGATE_TYPES = {"525"}
# The 2024 template first, then the rain/a template of 2019-2023 (div.LEFT: h1,
# div.content-article, .media-name, a time in the media line).
_BODY_CSS = (
    ".rich_media_content",
    "#article-content",
    ".article-content-wrap",
    "div.content-article",
    "#ArticleContent",
)
_TITLE_CSS = ("div.LEFT h1", "h1.article-title", "h1")
_MEDIA_CSS = (".media-name", ".author-name", ".media-info .name", ".author")
_TIME_CSS = (".media-meta", ".article-time", "span.time", ".media-info")


def canonical_url(url: str) -> str:
    """The id names the article on every host and path: news.qq.com/rain/a/<id>."""
    match = ARTICLE_URL_RE.match(url.strip())
    if match:
        return f"https://news.qq.com/rain/a/{match['id']}"
    parts = urlsplit(url.strip())
    return f"https://{(parts.hostname or '').lower()}{parts.path}"


def native_id(url: str) -> str | None:
    match = ARTICLE_URL_RE.match(url.strip())
    return match["id"] if match else None


def list_body(
    channel_id: str, device_id: str, flush_num: int = 1, count: int = 12
) -> dict[str, Any]:
    """The JSON the PC site posts for one page of a channel."""
    return {
        "base_req": {"from": "pc"},
        "forward": "2",
        "qimei36": device_id,
        "device_id": device_id,
        "flush_num": flush_num,
        "channel_id": channel_id,
        "item_count": count,
        "is_local_chlid": "0",
    }


def parse_list(response: Response) -> list[ListEntry]:
    data = load_json(response_text(response))
    if data.get("ret") not in (0, None):
        raise PayloadError("api_error", f"ret {data.get('ret')}: {data.get('msg')}")
    return isolated(require_list(data, "data"), _list_entry, SOURCE)


def _list_entry(row: dict[str, Any]) -> ListEntry | None:
    if row.get("sub_item") or str(row.get("articletype")) in AGGREGATE_TYPES:
        return None
    url = (row.get("link_info") or {}).get("url") or f"https://news.qq.com/rain/a/{row.get('id')}"
    if not ARTICLE_URL_RE.match(url):
        return None
    return ListEntry(
        url=canonical_url(url),
        title=squash(row.get("title")) or None,
        published_at=parse_datetime(row.get("publish_time")),
        media_name=squash((row.get("media_info") or {}).get("chl_name")) or None,
        native_id=native_id(url),
    )


def _page_data(response: TextResponse) -> dict[str, Any]:
    try:
        data = load_assigned_json(response.text, "window.DATA")
    except PayloadError:
        return {}
    return data if isinstance(data, dict) else {}


def parse_article(response: Response) -> OpinionItem:
    url = response.url
    item = news_item(response, SOURCE, native_id(url), canonical_url(url))
    if not isinstance(response, TextResponse):
        return mark_completeness(item)
    data = _page_data(response)
    item.title = (
        squash(data.get("title"))
        or first_text(response, *_TITLE_CSS)
        or strip_title_suffix(response.xpath("//title/text()").get())
    )
    item.published_at = parse_datetime(
        data.get("pubtime") or data.get("pub_time")
    ) or find_datetime_in_text(first_text(response, *_TIME_CSS, where=_has_date))
    item.media.name = squash(data.get("media")) or first_text(response, *_MEDIA_CSS)
    lines = paragraphs(first_node(response, *_BODY_CSS), BODY_NOISE)
    item.content = "\n".join(lines) or None
    item.author = Author(name=byline_author(lines))
    tags = data.get("tags")
    item.keywords = keywords(tags) if isinstance(tags, str) else []
    return mark_completeness(item)


def _has_date(text: str) -> bool:
    return find_datetime_in_text(text) is not None


# Pages this module reads whole (`yuqing extract`, search results): found by
# spiders/_base/registry.py, so a new source never edits a table elsewhere.
URL_PARSERS: UrlParsers = [(ARTICLE_URL_RE, parse_article)]

# List pages and API answers (`yuqing extract --file`): found by the same registry.
PAGE_PARSERS: PageParsers = [
    (re.compile(r"^https?://i\.news\.qq\.com/web_feed/getPCList"), parse_list),
]
