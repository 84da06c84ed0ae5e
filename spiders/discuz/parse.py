"""Discuz! X boards: 大江论坛 bbs.jxnews.com.cn and any Discuz board in sources.yaml.

Facts: board lists `forum-<fid>-<page>.html` (or
`forum.php?mod=forumdisplay&fid=`), threads `thread-<tid>-<page>-1.html`, readable
without login; thread rows are `tbody[id^=normalthread_]` (title `a.s.xst`, author
the first `td.by cite a`, post time its `em`, replies/views `td.num`, last reply the
second `td.by`) (unattributed `Dj_spider`); a post's text is `td.t_f`. Installs are
often GBK. Discuz's own markup (X3): posts `div#postlist > div[id^=post_]`, floor in
`a[id^=postnum] em`, time in `em[id^=authorposton]` ("发表于 …", or a `span[title]`
when shown as "3 天前"), views and replies in `div.hm span.xi1`, pages in `div.pg`
(`a.nxt`), and `#messagetext` for "no permission" / "please log in" notices.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any
from urllib.parse import urlsplit

from parsel import Selector
from scrapy.http import TextResponse

from yuqing_spiders.extract.kit.article import UrlParsers, mark_completeness
from yuqing_spiders.extract.kit.html import block_text, node_text, squash
from yuqing_spiders.extract.kit.numbers import to_count
from yuqing_spiders.extract.kit.records import isolated
from yuqing_spiders.model.items import Author, CommentItem, Media, Metrics, OpinionItem
from yuqing_spiders.model.timeparse import find_datetime_in_text, parse_datetime

# 大江论坛's threads; other Discuz boards are read through their sources.yaml entry.
ARTICLE_URL_RE = re.compile(r"^https?://bbs\.jxnews\.com\.cn/thread-\d+-\d+-\d+\.html")
_TID_RE = re.compile(r"(?:thread-(\d+)-\d+-\d+\.html|[?&]tid=(\d+))")
_THREAD_PAGE_RE = re.compile(r"thread-\d+-(\d+)-\d+\.html")
# Discuz names the first floors instead of numbering them.
_FLOOR_NAMES = {"楼主": 1, "沙发": 2, "板凳": 3, "地板": 4}
# Inside a post: quoted posts, "edited by" notes, attachment notices, scripts.
_POST_NOISE = ("div.quote", "i.pstatus", "div.attach_nopermission", "script")


@dataclass
class ThreadRow:
    """A thread as the board list shows it."""

    tid: str
    url: str
    title: str | None = None
    author: str | None = None
    posted: str | None = None
    replies: int | None = None
    views: int | None = None
    sticky: bool = False

    def to_meta(self) -> dict[str, Any]:
        return self.__dict__.copy()


@dataclass
class BoardPage:
    board: str | None = None
    threads: list[ThreadRow] = field(default_factory=list)
    next_page: str | None = None


@dataclass
class ThreadPage:
    tid: str | None
    item: OpinionItem | None = None
    floors: list[CommentItem] = field(default_factory=list)
    page: int = 1
    next_page: str | None = None


def restriction(response: TextResponse) -> str | None:
    """The notice Discuz shows instead of the page (no permission, log in), or None."""
    box = response.css("#messagetext")
    if not box:
        return None
    first = box.css("p")  # the notice; later paragraphs are "back" links and scripts
    return node_text(first[0] if first else box[0]) or None


def tid_of(url: str) -> str | None:
    match = _TID_RE.search(url)
    return (match[1] or match[2]) if match else None


def parse_board(response: TextResponse, thread_url: str) -> BoardPage:
    """Thread rows of a board page; `thread_url` is the source's template with {tid}."""
    page = BoardPage(board=_board_name(response))
    rows = response.css("tbody[id^=normalthread_], tbody[id^=stickthread_]")
    page.threads = isolated(rows, partial(_thread_row, thread_url), "discuz")
    href = response.css("div.pg a.nxt::attr(href)").get()
    page.next_page = response.urljoin(href.strip()) if href else None
    return page


_ANONYMOUS = "匿名"


def _row(body: Selector, thread_url: str) -> ThreadRow | None:
    link = body.css("a.s.xst, a.xst")
    tid = tid_of(link.attrib.get("href", "")) if link else None
    if not tid:
        tid = (body.attrib.get("id") or "").rpartition("_")[2] or None
    if not tid or not tid.isdigit():
        return None
    by = body.css("td.by")
    posted = None
    if by:
        span = by[0].css("em span")
        posted = (span.attrib.get("title") if span else None) or squash(
            " ".join(by[0].css("em ::text").getall())
        )
    return ThreadRow(
        tid=tid,
        url=thread_url.format(tid=tid, page=1),
        title=node_text(link[0]) if link else None,
        # An anonymous thread's cite holds 匿名 as plain text, no profile link.
        author=squash(" ".join(by[0].css("cite ::text").getall())) or None if by else None,
        posted=posted or None,
        replies=to_count(body.css("td.num a::text").get()),
        views=to_count(body.css("td.num em::text").get()),
        sticky=(body.attrib.get("id") or "").startswith("stickthread_"),
    )


def _thread_row(thread_url: str, body: Selector) -> ThreadRow | None:
    return _row(body, thread_url)


def _board_name(response: TextResponse) -> str | None:
    heading = response.css("div.bm_h h1.xs2 a::text").get()
    # The breadcrumb: 首页 › 论坛 › <board> (› <thread>); the board is the last forum link.
    crumbs = response.css("#pt a[href*='forum-']::text, #pt a[href*='fid=']::text").getall()
    return squash(heading) or (squash(crumbs[-1]) if crumbs else None) or None


def parse_thread(
    response: TextResponse, source: str, thread_url: str, row: dict[str, Any] | None = None
) -> ThreadPage:
    """A thread page: floor 1 as the item (on page 1), other floors as comments."""
    tid = tid_of(response.url) or (row or {}).get("tid")
    number_match = _THREAD_PAGE_RE.search(response.url)
    result = ThreadPage(tid=tid, page=int(number_match[1]) if number_match else 1)
    if tid is None:
        return result
    url = thread_url.format(tid=tid, page=1)
    opinion = f"{source}:{tid}"
    for position, post in enumerate(response.css("#postlist > div[id^=post_]"), start=1):
        floor = _floor(post, opinion, source, url, position)
        if floor is None:
            continue
        if floor.floor == 1:
            result.item = _thread_item(response, source, tid, url, floor, row)
        else:
            result.floors.append(floor)
    href = response.css("div.pg a.nxt::attr(href)").get()
    result.next_page = response.urljoin(href.strip()) if href else None
    return result


def _thread_item(
    response: TextResponse,
    source: str,
    tid: str,
    url: str,
    first: CommentItem,
    row: dict[str, Any] | None,
) -> OpinionItem:
    views, replies = _counts(response)
    item = OpinionItem(
        url=url,
        source=source,
        platform="forum",
        canonical_url=url,
        native_id=tid,
        title=squash(" ".join(response.css("#thread_subject ::text").getall()))
        or (row or {}).get("title"),
        content=first.content,
        author=first.author,
        published_at=first.published_at,
        media=Media(name=_board_name(response) or (row or {}).get("board")),
        metrics=Metrics(
            comments=replies if replies is not None else (row or {}).get("replies"),
            reads=views if views is not None else (row or {}).get("views"),
        ),
        encoding=response.encoding,
    )
    return mark_completeness(item)


def _counts(response: TextResponse) -> tuple[int | None, int | None]:
    """(views, replies) from the 查看/回复 line over the first post."""
    values = [to_count(v) for v in response.css("div.hm span.xi1::text").getall()]
    if len(values) >= 2:
        return values[0], values[1]
    return None, None


def _floor(
    post: Selector, opinion: str, source: str, url: str, position: int
) -> CommentItem | None:
    pid = (post.attrib.get("id") or "").removeprefix("post_")
    if not pid.isdigit():
        return None  # Discuz's ad and "post_new" rows
    body = post.css("td.t_f")
    label = squash(" ".join(post.css("a[id^=postnum] ::text").getall())).rstrip("#")
    floor = _FLOOR_NAMES.get(label) or to_count(label.removesuffix("楼")) or position
    return CommentItem(
        opinion_id=opinion,
        source=source,
        platform="forum",
        native_id=pid,
        url=f"{url}#pid{pid}",
        content=_post_text(body[0]) if body else None,
        author=Author(
            name=squash(post.css("div.authi a.xw1::text").get()) or _anonymous(post),
            id=_uid(post.css("div.authi a.xw1::attr(href)").get()),
        ),
        published_at=_posted_at(post),
        floor=floor,
    )


def _anonymous(post: Selector) -> str | None:
    """匿名 for a post made anonymously: Discuz prints the word, with no profile link,
    where the poster's name would be."""
    shown = squash(" ".join(post.css("div.pls div.authi ::text, div.authi em::text").getall()))
    return _ANONYMOUS if _ANONYMOUS in shown else None


def _posted_at(post: Selector) -> datetime | None:
    """'发表于 2026-11-25 20:15:33', or a span whose title holds it ('3 天前')."""
    posted = post.css("em[id^=authorposton]")
    if not posted:
        return None
    stamp = posted.css("span::attr(title)").get()
    return parse_datetime(stamp) if stamp else find_datetime_in_text(node_text(posted[0]))


def _post_text(node: Selector) -> str | None:
    """A post's text without quoted posts, edit notes and attachment notices."""
    return block_text(node, _POST_NOISE, blocks=True)


def _uid(href: str | None) -> str | None:
    match = re.search(r"(?:space-uid-|uid=)(\d+)", href or "")
    return match[1] if match else None


def parse_article(response: TextResponse) -> OpinionItem:
    """A thread page of 大江论坛 as one item (`yuqing extract`); incomplete when unreadable."""
    host = urlsplit(response.url)
    template = f"{host.scheme}://{host.netloc}/thread-{{tid}}-{{page}}-1.html"
    page = parse_thread(response, "dajiang_bbs", template)
    if page.item is not None:
        return page.item
    return mark_completeness(OpinionItem(url=response.url, source="dajiang_bbs", platform="forum"))


# Pages this module reads whole (`yuqing extract`, search results): found by
# spiders/_base/registry.py, so a new source never edits a table elsewhere.
URL_PARSERS: UrlParsers = [
    (ARTICLE_URL_RE, parse_article),  # 大江论坛 threads
]
