"""澎湃新闻 thepaper.cn: channel list API, search-result rows, article pages.

Channel lists: `POST api.thepaper.cn/contentapi/nodeCont/getByChannelId` with JSON
`{channelId}` → `data.list[]` (`contId, name, pubTimeLong, link` for external items,
`nodeInfo.name`). The search API (`POST api.thepaper.cn/search/web/news`, keyword
field `word`) answers rows of the same shape with `<font>` highlights in `name`:
`parse_rows` reads both, so a search spider reuses it. Articles
(`www.thepaper.cn/newsDetail_forward_<contId>`, `m.thepaper.cn/detail/<contId>`)
carry everything in `#__NEXT_DATA__` → `props.pageProps.detailData.contentDetail`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from scrapy.http import Response, TextResponse

from yuqing_spiders.extract.kit.article import UrlParsers, mark_completeness
from yuqing_spiders.extract.kit.byline import author_from_text, names_from_byline, source_from_text
from yuqing_spiders.extract.kit.errors import PayloadError
from yuqing_spiders.extract.kit.html import inline_text, paragraphs, squash
from yuqing_spiders.extract.kit.numbers import to_count
from yuqing_spiders.extract.kit.payload import dig, load_json
from yuqing_spiders.extract.kit.records import isolated
from yuqing_spiders.model.items import Author, Media, Metrics, OpinionItem
from yuqing_spiders.model.timeparse import parse_datetime

SOURCE = "thepaper"
SITE_NAME = "澎湃新闻"
CHANNEL_API = "https://api.thepaper.cn/contentapi/nodeCont/getByChannelId"
CHANNEL_PAGE_RE = re.compile(r"^https?://(?:www\.|m\.)?thepaper\.cn/channel_(?P<id>\d+)")
ARTICLE_URL_RE = re.compile(
    r"^https?://(?:www\.|m\.)?thepaper\.cn/(?:newsDetail_forward_|detail/)(?P<id>\d+)(?:[?#].*)?$"
)


@dataclass(frozen=True)
class PaperRow:
    """A list or search row: an article of thepaper.cn, or a link to another site."""

    cont_id: str
    title: str | None
    published_at: datetime | None
    url: str | None  # the article page; None for a row that links elsewhere
    external_url: str | None
    node: str | None  # the column (nodeInfo.name), e.g. 南昌发布 on 澎湃号·政务
    summary: str | None
    likes: int | None


def channel_id(url: str) -> str | None:
    """'https://www.thepaper.cn/channel_25950' -> '25950'."""
    match = CHANNEL_PAGE_RE.match(url.strip())
    return match["id"] if match else None


def channel_request_body(channel: str) -> dict[str, str]:
    return {"channelId": channel}


def article_url(cont_id: str) -> str:
    return f"https://www.thepaper.cn/newsDetail_forward_{cont_id}"


def parse_rows(payload: Any) -> list[PaperRow]:
    """Rows of a channel-list or search answer; PayloadError when `data.list` is missing."""
    rows = dig(payload, "data", "list")
    if not isinstance(rows, list):
        code = dig(payload, "code")
        raise PayloadError("unexpected_shape", f"no data.list in the answer (code {code!r})")
    return isolated(rows, _row, "thepaper")


def parse_article(response: Response) -> OpinionItem:
    """An article page from its `__NEXT_DATA__`; incomplete when the data lacks fields."""
    match = ARTICLE_URL_RE.match(response.url)
    item = OpinionItem(
        url=response.url,
        source=SOURCE,
        platform="news",
        native_id=match["id"] if match else None,
        canonical_url=article_url(match["id"]) if match else None,
        media=Media(domain=urlsplit(response.url).hostname),
    )
    detail = _content_detail(response)
    if detail is None or not isinstance(response, TextResponse):
        # An older or other template (no __NEXT_DATA__): the generic extractor reads
        # each field from the page (extract/fallback.py), the outlet it names included.
        return mark_completeness(item)
    item.media.name = _source(detail)
    item.encoding = response.encoding
    item.title = inline_text(detail.get("name"))
    item.published_at = parse_datetime(detail.get("publishTime") or detail.get("pubTimeLong"))
    lines = paragraphs(detail.get("content"))
    item.content = "\n".join(lines) or None
    byline = inline_text(detail.get("author"))
    item.author = Author(name=(byline and names_from_byline(byline)) or _body_author(lines))
    item.keywords = [
        t["tag"] for t in detail.get("tagList") or [] if isinstance(t, dict) and t.get("tag")
    ]
    item.metrics = Metrics(likes=to_count(detail.get("praiseTimes")))
    item.extra["node"] = inline_text(dig(detail, "nodeInfo", "name"))
    return mark_completeness(item)


def _row(raw: dict[str, Any]) -> PaperRow | None:
    cont_id = str(raw.get("contId") or "").strip()
    if not cont_id:
        return None
    link = raw.get("link") if isinstance(raw.get("link"), str) and raw.get("link") else None
    return PaperRow(
        cont_id=cont_id,
        title=inline_text(raw.get("name")),  # search rows wrap the terms in <font>
        published_at=parse_datetime(raw.get("pubTimeLong") or raw.get("pubTime")),
        url=None if link else article_url(cont_id),
        external_url=link,
        node=inline_text(dig(raw, "nodeInfo", "name")),
        summary=inline_text(raw.get("summary")),
        likes=to_count(raw.get("praiseTimes")),
    )


def _content_detail(response: Response) -> dict[str, Any] | None:
    if not isinstance(response, TextResponse):
        return None
    raw = response.css("script#__NEXT_DATA__::text").get()
    try:
        data = load_json(raw or "")
    except PayloadError:
        return None
    detail = dig(data, "props", "pageProps", "detailData", "contentDetail")
    return detail if isinstance(detail, dict) else None


def _source(detail: dict[str, Any]) -> str:
    """The outlet the article names ('来源：江西日报' closing a reprint, a `source`
    field), else 澎湃新闻 itself."""
    named = detail.get("source")
    if isinstance(named, str) and squash(named):
        return squash(named)
    tail = (inline_text(detail.get("content")) or "")[-120:]
    return source_from_text(tail) or SITE_NAME


def _body_author(lines: list[str]) -> str | None:
    return author_from_text(lines[0]) if lines else None


# Pages this module reads whole (`yuqing extract`, search results): found by
# spiders/_base/registry.py, so a new source never edits a table elsewhere.
URL_PARSERS: UrlParsers = [(ARTICLE_URL_RE, parse_article)]
