"""问政江西 (大江网) wenz.jxnews.com.cn: message pages walked by id.

Public facts: detail pages are static, `/ms/viewpage/YYYYMM/view_<id>.html`, ids grow
with time (340107 in 2023-08, 481718 in 2025-09), and each page holds the citizen's
message followed by a labelled official reply; no list or search endpoint is known.
The page layout below (a title, a line of labelled fields — 留言人, 留言时间, 类型,
问政对象, 状态 — the message, then a 回复单位 / 回复时间 / reply block) is modelled on
that description; the labels are read by their words, not their positions, so a
reordered template still parses.
"""

from __future__ import annotations

import re

from scrapy.http import Response, TextResponse

from spiders._base.wenzheng import labelled_fields, normalise_status, official_reply
from yuqing_spiders.extract.kit.article import UrlParsers, mark_completeness
from yuqing_spiders.extract.kit.byline import strip_title_suffix
from yuqing_spiders.extract.kit.html import block_text, squash
from yuqing_spiders.model.items import Author, Media, OpinionItem
from yuqing_spiders.model.timeparse import parse_datetime

SOURCE = "wenz_jx"
HOST = "https://wenz.jxnews.com.cn"
VIEW_URL_RE = re.compile(r"/ms/viewpage/(?P<month>\d{6})/view_(?P<id>\d+)\.html")
ARTICLE_URL_RE = re.compile(r"^https?://wenz\.jxnews\.com\.cn/ms/viewpage/\d{6}/view_\d+\.html")
_GONE_MARKERS = ("信息不存在", "未通过审核", "已被删除", "页面不存在")


def view_url(message_id: int, month: str) -> str:
    return f"{HOST}/ms/viewpage/{month}/view_{message_id}.html"


def next_month(month: str) -> str:
    """'202611' → '202612', '202612' → '202701'."""
    year, number = int(month[:4]), int(month[4:])
    return f"{year + number // 12}{number % 12 + 1:02d}"


def is_message(response: Response) -> bool:
    """A real message page, not the site's "no such message" page."""
    if response.status != 200 or not isinstance(response, TextResponse):
        return False
    if any(marker in response.text for marker in _GONE_MARKERS) and not response.css(
        ".view_content"
    ):
        return False
    return bool(response.css(".view_content") or response.css(".view_title h1"))


def parse_view(response: TextResponse, source: str = SOURCE) -> OpinionItem:
    """One message page as an item, with its official reply and state."""
    match = VIEW_URL_RE.search(response.url)
    info = labelled_fields(response.css(".view_info span, .view_info li"))
    reply_info = labelled_fields(response.css(".reply_info span, .reply_info li"))
    reply = official_reply(
        reply_info.get("回复单位"),
        block_text(response.css(".reply_content"), blocks=True),
        parse_datetime(reply_info.get("回复时间")),
    )
    label = info.get("状态") or info.get("办理状态")
    item = OpinionItem(
        url=response.url,
        source=source,
        platform="wenzheng",
        canonical_url=response.url,
        native_id=match["id"] if match else None,
        title=squash(" ".join(response.css(".view_title h1 ::text").getall()))
        or strip_title_suffix(response.css("title::text").get()),
        content=block_text(response.css(".view_content"), blocks=True),
        author=Author(name=info.get("留言人") or info.get("网友") or None),
        published_at=parse_datetime(info.get("留言时间") or info.get("发布时间")),
        media=Media(name="问政江西", domain="wenz.jxnews.com.cn"),
        encoding=response.encoding,
        status=normalise_status(label, reply is not None),
    )
    item.extra.update(
        {
            k: v
            for k, v in {
                "status_label": label,
                "type": info.get("类型") or info.get("留言类型"),
                "addressee": info.get("问政对象") or info.get("留言对象"),
            }.items()
            if v
        }
    )
    if reply:
        item.extra["official_replies"] = [reply]
    return mark_completeness(item)


# Pages this module reads whole (`yuqing extract`, search results): found by
# spiders/_base/registry.py, so a new source never edits a table elsewhere.
URL_PARSERS: UrlParsers = [(ARTICLE_URL_RE, parse_view)]
