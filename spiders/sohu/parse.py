"""搜狐 news.sohu.com: odin `blockdata` lists and `www.sohu.com/a/` articles (§3.4).

List: `POST odin.sohu.com/odin/api/blockdata` with a JSON description of the page
component (`resourceList[].tplCompKey`, `content.productId/productType/size/page`)
and the cookies `SUV`, `itssohu=true`, `reqtype=pc` → `data[<tplCompKey>].list[]`
(`id, title, url, extraInfoList`) (RSSHub `sohu/mp.tsx`). Article
`www.sohu.com/a/<id>_<authorId>`: time `span#news-time` (or `span.time`), account
`meta[name=mediaid]` / `h4 a`, body `article#mp-editor` (NC `sohu_news.py`).
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
from yuqing_spiders.extract.kit.html import first_node, first_text, paragraphs, squash
from yuqing_spiders.extract.kit.lists import ListEntry
from yuqing_spiders.extract.kit.payload import dig, load_json, response_text
from yuqing_spiders.extract.kit.records import isolated
from yuqing_spiders.model.items import Author, OpinionItem
from yuqing_spiders.model.timeparse import find_datetime_in_text, parse_datetime

SOURCE = "sohu"
BLOCK_API = "https://odin.sohu.com/odin/api/blockdata"
FEED_COMPONENT = "TPLFeedMul_2_9_feedData"
COOKIES = {"itssohu": "true", "reqtype": "pc"}

ARTICLE_URL_RE = re.compile(
    r"^https?://(?:www|m)\.sohu\.com/a/(?P<id>\d+)_(?P<author>\d+)/?(?:[?#].*)?$"
)
# Inside #mp-editor: the "返回搜狐，查看更多" link and the editor line.
_NOISE_CSS = ("script", "style", "#backsohucom", ".backword", "p[data-role=editor-name]")


def canonical_url(url: str) -> str:
    parts = urlsplit(url.strip())
    return f"https://www.sohu.com{parts.path}" if ARTICLE_URL_RE.match(url.strip()) else url


def native_id(url: str) -> str | None:
    match = ARTICLE_URL_RE.match(url.strip())
    return match["id"] if match else None


def block_body(
    product_id: str, product_type: str, page: int, size: int, pv_id: str
) -> dict[str, Any]:
    """The JSON the channel page posts for one page of its feed component."""
    return {
        "pvId": pv_id,
        "pageId": pv_id,
        "mainContent": {
            "productType": product_type,
            "productId": product_id,
            "secureScore": "50",
            "categoryId": "47",
        },
        "resourceList": [
            {
                "tplCompKey": FEED_COMPONENT,
                "isServerRender": False,
                "content": {
                    "productId": product_id,
                    "productType": product_type,
                    "size": size,
                    "page": page,
                    "requestId": pv_id,
                    "spm": "smpc.channel_258.block3_77_O0F7zf_1_fd",
                },
            }
        ],
    }


def parse_blockdata(response: Response, component: str = FEED_COMPONENT) -> list[ListEntry]:
    data = load_json(response_text(response))
    if data.get("code") not in (0, "0", 200, None):
        raise PayloadError("api_error", f"code {data.get('code')}: {data.get('msg')}")
    rows = dig(data, "data", component, "list")
    if not isinstance(rows, list):
        raise PayloadError("unexpected_shape", f"data/{component}/list")
    return isolated(rows, _block_entry, SOURCE)


def _block_entry(row: dict[str, Any]) -> ListEntry | None:
    url = urljoin("https://www.sohu.com/", (row.get("url") or "").strip())
    if not ARTICLE_URL_RE.match(url):
        return None  # ads and video cards
    return ListEntry(
        url=canonical_url(url),
        title=squash(row.get("title")) or None,
        media_name=_extra(row, "source"),
        native_id=native_id(url),
    )


def _extra(row: dict[str, Any], kind: str) -> str | None:
    for info in row.get("extraInfoList") or ():
        if isinstance(info, dict) and info.get("type") == kind:
            return squash(info.get("text")) or None
    return None


def parse_article(response: Response) -> OpinionItem:
    url = response.url
    item = news_item(response, SOURCE, native_id(url), canonical_url(url))
    if not isinstance(response, TextResponse):
        return mark_completeness(item)
    item.title = first_text(response, ".text-title h1", "h1") or strip_title_suffix(
        meta_content(response, "og:title") or response.xpath("//title/text()").get()
    )
    shown = first_text(response, "span#news-time", "span.time")
    item.published_at = parse_datetime(
        meta_content(response, "article:published_time")
    ) or find_datetime_in_text(shown)
    account = meta_content(response, "mediaid") or first_text(response, "#user-info h4 a", "h4 a")
    body_html = response.css("article#mp-editor").get() or ""
    item.media.name = source_from_text(_original_source(body_html)) or account
    body = first_node(response, "article#mp-editor", "article.article")
    lines = paragraphs(body, _NOISE_CSS)
    item.content = "\n".join(lines) or None
    item.author = Author(name=byline_author(lines) or account)
    item.editor = editor_from_text(first_text(response, "p[data-role=editor-name]"))
    item.keywords = keywords(meta_content(response, "keywords"))
    if account:
        item.extra["account"] = account  # 搜狐号 that posted it
    return mark_completeness(item)


def _original_source(body_html: str) -> str:
    """A reposted story names its medium in the body's last lines ('来源：江西日报')."""
    text = re.sub(r"<[^>]+>", "\n", body_html)
    lines = [squash(line) for line in text.split("\n") if squash(line)]
    for line in reversed(lines[-4:]):
        if line.startswith(("来源", "（来源", "(来源")):
            return line
    return ""


# Pages this module reads whole (`yuqing extract`, search results): found by
# spiders/_base/registry.py, so a new source never edits a table elsewhere.
URL_PARSERS: UrlParsers = [(ARTICLE_URL_RE, parse_article)]

# List pages and API answers (`yuqing extract --file`): found by the same registry.
PAGE_PARSERS: PageParsers = [
    (re.compile(r"^https?://odin\.sohu\.com/odin/api/blockdata"), parse_blockdata),
]
