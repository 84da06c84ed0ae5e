"""百度贴吧 tieba.baidu.com: the 2026 signed PC JSON API and the legacy HTML (§6.1).

JSON (MC `tieba/client.py`, commit f328ee3 2026-04-30): tbs from
`GET /c/s/pc/sync?subapp_type=pc&_client_type=20`; a bar's threads from
`POST /c/f/frs/page_pc` (form `kw, pn, sort_type=-1, is_newfrs=1, is_newfeed=1, rn=30,
rn_need, tbs, subapp_type=pc, _client_type=20`) → `forum.name`, `forum.tids`; a thread
from `POST /c/f/pb/page_pc` (`kz=<tid>, pn, lz=0, r=2, tbs, ...`) → `thread{id, title,
reply_num, create_time}`, `first_floor`, `post_list[]{id, author_id, time, content[],
sub_post_number}`, `user_list[]`, `page.total_page`. Every form carries
`sign = md5(sorted "k=v" pairs + secret)`.

Legacy HTML (RSSHub `baidu/tieba/forum.tsx`, `tieba/post.tsx`): a bar page
`/f?kw=<bar>&ie=utf-8&pn=<offset>` hides its list in an HTML comment inside
`code#pagelet_html_frs-list/pagelet/thread_list`; rows `li.j_thread_list[data-field]`
(JSON `id, author_name, reply_num`), title `a.j_th_tit`. A thread `/p/<tid>`: title
`.core_title_txt@title`, floors `.p_postlist > [data-field]` (JSON `author`,
`content.post_no/post_id[/date]`), text `.j_d_post_content`, `.post-tail-wrap
.tail-info` (client, floor, time, IP属地), `[max-page]`.

Blocks: the 百度安全验证 captcha (`wappass.baidu.com/static/captcha`).
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any
from urllib.parse import quote, urlsplit

from parsel import Selector
from scrapy.http import Response, TextResponse

from yuqing_spiders.extract.kit.article import PageParsers, UrlParsers, mark_completeness
from yuqing_spiders.extract.kit.errors import PayloadError
from yuqing_spiders.extract.kit.html import node_text, single_root, squash
from yuqing_spiders.extract.kit.numbers import to_count
from yuqing_spiders.extract.kit.payload import dig, load_json
from yuqing_spiders.extract.kit.records import isolated, record_errors
from yuqing_spiders.model.items import Author, CommentItem, Media, Metrics, OpinionItem
from yuqing_spiders.model.timeparse import parse_datetime

SOURCE = "tieba"
HOST = "https://tieba.baidu.com"
SYNC_URL = f"{HOST}/c/s/pc/sync?subapp_type=pc&_client_type=20"
FRS_URL = f"{HOST}/c/f/frs/page_pc"
PB_URL = f"{HOST}/c/f/pb/page_pc"
CLIENT = {"subapp_type": "pc", "_client_type": "20"}
THREADS_PER_PAGE = 30
LEGACY_THREADS_PER_PAGE = 50

ARTICLE_URL_RE = re.compile(r"^https?://tieba\.baidu\.com/p/(?P<tid>\d+)")
_CAPTCHA_MARKERS = ("百度安全验证", "wappass.baidu.com/static/captcha")
_FLOOR_RE = re.compile(r"^(\d+)楼$")
_IP_RE = re.compile(r"IP属地[:：]\s*(\S+)")
_LIST_COMMENT_RE = re.compile(r"<!--(.*?)-->", re.DOTALL)


# --- the signature ---------------------------------------------------------------------


def sign(params: Mapping[str, Any], secret: str) -> str:
    """md5 (lower-case hex) of every `k=v` pair sorted by key, no separator, plus the
    secret. `sign` itself is never part of what is signed."""
    text = "".join(f"{key}={params[key]}" for key in sorted(params) if key != "sign")
    return hashlib.md5((text + secret).encode("utf-8"), usedforsecurity=False).hexdigest()


def signed_form(params: Mapping[str, Any], tbs: str, secret: str) -> dict[str, str]:
    """A form of the PC API: the call's fields, tbs, the client fields and the sign."""
    form = {k: str(v) for k, v in {**params, "tbs": tbs, **CLIENT}.items()}
    form["sign"] = sign(form, secret)
    return form


def frs_form(bar: str, page: int, tbs: str, secret: str) -> dict[str, str]:
    params = {
        "kw": bar,
        "pn": page,
        "sort_type": -1,
        "is_newfrs": 1,
        "is_newfeed": 1,
        "rn": THREADS_PER_PAGE,
        "rn_need": THREADS_PER_PAGE,
    }
    return signed_form(params, tbs, secret)


def pb_form(tid: str, page: int, tbs: str, secret: str) -> dict[str, str]:
    return signed_form({"kz": tid, "pn": page, "lz": 0, "r": 2}, tbs, secret)


# --- blocks and envelopes --------------------------------------------------------------


def is_antispider(response: Response) -> bool:
    """百度安全验证 (a captcha page, or a redirect to wappass's captcha)."""
    if "wappass.baidu.com" in response.url:
        return True
    # Text, not CSS: the captcha also comes under a JSON content type.
    head = getattr(response, "text", "")[:4096]
    return any(marker in head for marker in _CAPTCHA_MARKERS)


def api_error(data: Any) -> str | None:
    """The error code of a JSON answer, 'invalid_json' for no JSON, None when fine."""
    if not isinstance(data, dict):
        return "invalid_json"
    code = data.get("error_code", data.get("errno", 0))
    return None if str(code) in ("0", "") else str(code)


def parse_tbs(response: TextResponse) -> str | None:
    try:
        data = load_json(response.text)
    except PayloadError:
        return None
    tbs = dig(data, "data", "tbs") or dig(data, "tbs") or dig(data, "anti", "tbs")
    return str(tbs) if tbs else None


# --- thread lists ----------------------------------------------------------------------


@dataclass
class ThreadRef:
    """A thread as a bar's list shows it (enough for an incomplete item)."""

    tid: str
    title: str | None = None
    abstract: str | None = None
    author: str | None = None
    replies: int | None = None
    created: int | str | None = None

    def to_meta(self) -> dict[str, Any]:
        return self.__dict__.copy()


@dataclass
class BarPage:
    bar: str | None
    threads: list[ThreadRef] = field(default_factory=list)
    has_more: bool = False


def thread_url(tid: str) -> str:
    return f"{HOST}/p/{tid}"


def legacy_bar_url(bar: str, page: int = 1) -> str:
    offset = (page - 1) * LEGACY_THREADS_PER_PAGE
    return f"{HOST}/f?kw={quote(bar)}&ie=utf-8&pn={offset}"


def parse_frs(data: dict[str, Any]) -> BarPage:
    """A bar's thread list from the JSON API (`thread_list`, else `forum.tids`)."""
    page = BarPage(bar=squash(dig(data, "forum", "name")) or None)
    page.threads = isolated(dig(data, "thread_list") or [], _frs_ref, SOURCE)
    if not page.threads and not record_errors(page.threads):
        tids = dig(data, "forum", "tids")
        listed = tids.split(",") if isinstance(tids, str) else tids or []
        page.threads = [ThreadRef(tid=str(t).strip()) for t in listed if str(t).strip()]
    page.has_more = bool(to_count(dig(data, "page", "has_more")))
    return page


def _frs_ref(row: dict[str, Any]) -> ThreadRef | None:
    tid = row.get("tid") or row.get("id")
    if not tid:
        return None
    created = row.get("create_time")
    return ThreadRef(
        tid=str(tid),
        title=squash(row.get("title")) or None,
        abstract=_content_text(row.get("abstract")) or None,
        author=squash(dig(row, "author", "name_show") or dig(row, "author", "name")) or None,
        replies=to_count(row.get("reply_num")),
        created=created if isinstance(created, str) else to_count(created),
    )


def parse_legacy_bar(response: TextResponse) -> BarPage:
    """A legacy bar page: the thread list is inside an HTML comment (BigPipe)."""
    # The page as served closes </body></html> after its header (~30 KB) and puts the
    # pagelets after it, under a second root that a CSS query from the first never sees.
    response = single_root(response)
    bar = squash(response.css("a.card_title_fname::text").get()).removesuffix("吧") or None
    code = response.css('code[id="pagelet_html_frs-list/pagelet/thread_list"]').get() or ""
    hidden = "".join(_LIST_COMMENT_RE.findall(code)) or response.text
    listing = Selector(text=hidden)
    rows = listing.css("li.j_thread_list")
    page = BarPage(bar=bar)
    for row in rows:
        data = _data_field(row)
        tid = data.get("id") or _tid_from(row.css("a.j_th_tit::attr(href)").get())
        if not tid:
            continue
        page.threads.append(
            ThreadRef(
                tid=str(tid),
                title=squash(row.css("a.j_th_tit::attr(title)").get())
                or squash(row.css("a.j_th_tit::text").get())
                or None,
                abstract=squash(" ".join(row.css(".threadlist_abs ::text").getall())) or None,
                author=squash(data.get("author_nickname") or data.get("author_name")) or None,
                replies=to_count(data.get("reply_num")),
                created=squash(row.css(".is_show_create_time::text").get()) or None,
            )
        )
    page.has_more = bool(listing.css("a.next.pagination-item"))  # the pager is hidden too
    return page


def _data_field(node: Selector) -> dict[str, Any]:
    """The JSON a legacy row or floor carries in `data-field`; {} when it has none."""
    try:
        data = load_json(html.unescape(node.attrib.get("data-field", "")))
    except PayloadError:
        return {}
    return data if isinstance(data, dict) else {}


def _tid_from(href: str | None) -> str | None:
    match = re.search(r"/p/(\d+)", href or "")
    return match[1] if match else None


# --- threads ---------------------------------------------------------------------------


@dataclass
class Thread:
    """A thread page: the item (first floor) and the other floors as comments."""

    tid: str | None
    item: OpinionItem | None = None
    floors: list[CommentItem] = field(default_factory=list)
    total_pages: int = 1
    page: int = 1


def ref_item(ref: Mapping[str, Any], source: str = SOURCE) -> OpinionItem:
    """What a bar's list says of a thread, when the thread itself stays unreachable."""
    url = thread_url(ref["tid"])
    item = _thread_item(source, ref["tid"], url, ref.get("title"), ref.get("abstract"))
    item.content = None  # an abstract is not the post: stored incomplete
    if ref.get("abstract"):
        item.extra["abstract"] = ref["abstract"]
    item.author = Author(name=ref.get("author"))
    item.metrics = Metrics(comments=ref.get("replies"))
    item.published_at = parse_datetime(ref.get("created"))
    return mark_completeness(item)


def parse_pb(data: dict[str, Any], source: str = SOURCE) -> Thread:
    """A thread from the JSON API: the first floor as the item, later floors as comments."""
    tid = str(dig(data, "thread", "id") or dig(data, "thread", "tid") or "") or None
    thread = Thread(
        tid=tid,
        total_pages=to_count(dig(data, "page", "total_page")) or 1,
        page=to_count(dig(data, "page", "current_page")) or 1,
    )
    if tid is None:
        return thread
    users = {str(u.get("id")): u for u in dig(data, "user_list") or [] if isinstance(u, dict)}
    posts = [p for p in dig(data, "post_list") or [] if isinstance(p, dict)]
    first = dig(data, "first_floor") or next((p for p in posts if p.get("floor") == 1), None)
    url = thread_url(tid)
    if thread.page == 1:
        item = _thread_item(source, tid, url, dig(data, "thread", "title"), None)
        item.content = _content_text(dig(first, "content")) or None
        item.published_at = parse_datetime(dig(data, "thread", "create_time") or dig(first, "time"))
        item.author = _author(users.get(str(dig(first, "author_id"))))
        item.metrics = Metrics(comments=to_count(dig(data, "thread", "reply_num")))
        item.media.name = _bar_name(dig(data, "forum", "name"))
        thread.item = mark_completeness(item)
    thread.floors = isolated(posts, partial(_pb_floor, source, tid, url, users), source)
    return thread


def _pb_floor(
    source: str, tid: str, url: str, users: dict[str, Any], post: dict[str, Any]
) -> CommentItem | None:
    floor = to_count(post.get("floor"))
    if floor is None or floor <= 1:
        return None
    user = users.get(str(post.get("author_id")))
    return CommentItem(
        opinion_id=f"{source}:{tid}",
        source=source,
        platform="tieba",
        native_id=str(post.get("id")) if post.get("id") else None,
        url=f"{url}?pid={post.get('id')}#{post.get('id')}" if post.get("id") else url,
        content=_content_text(post.get("content")) or None,
        author=_author(user),
        published_at=parse_datetime(post.get("time")),
        floor=floor,
        replies=to_count(post.get("sub_post_number")),
        likes=to_count(dig(post, "agree", "agree_num")),
        ip_location=squash(dig(user, "ip_address")) or None,
    )


def parse_legacy_thread(response: TextResponse, source: str = SOURCE) -> Thread:
    """A legacy thread page: floor 1 as the item, the later floors as comments."""
    match = ARTICLE_URL_RE.match(response.url)
    tid = match["tid"] if match else None
    thread = Thread(
        tid=tid,
        total_pages=to_count(response.css("[max-page]::attr(max-page)").get()) or 1,
        page=to_count(response.css("span.tP::text").get()) or 1,
    )
    if tid is None:
        return thread
    url = thread_url(tid)
    title = (
        response.css(".core_title_txt::attr(title)").get()
        or response.css(".core_title_txt::text").get()
    )
    opinion = f"{source}:{tid}"
    replies = to_count(response.css("li.l_reply_num span.red::text").get())
    for node in response.css(".p_postlist > [data-field]"):
        floor = _legacy_floor(node, opinion, source, url)
        if floor is None:
            continue
        if floor.floor == 1:
            item = _thread_item(source, tid, url, title, floor.content)
            item.published_at = floor.published_at
            item.author = floor.author
            item.metrics = Metrics(comments=replies)
            item.media.name = _bar_name(response.css("a.card_title_fname::text").get())
            item.encoding = response.encoding
            thread.item = mark_completeness(item)
        else:
            thread.floors.append(floor)
    return thread


def parse_article(response: TextResponse) -> OpinionItem:
    """A legacy thread page as one item (`yuqing extract`); incomplete when unreadable."""
    thread = parse_legacy_thread(response)
    if thread.item is not None:
        return thread.item
    url = thread_url(thread.tid) if thread.tid else response.url
    return mark_completeness(_thread_item(SOURCE, thread.tid or "", url, None, None))


def _legacy_floor(node: Selector, opinion: str, source: str, url: str) -> CommentItem | None:
    data = _data_field(node)
    content = data.get("content") or {}
    # IP属地 sits in a plain <span> beside the tail-info ones (client, floor, time).
    tails = [squash(t) for t in node.css(".post-tail-wrap span::text").getall()]
    floor = to_count(content.get("post_no")) or next(
        (int(m[1]) for t in tails if (m := _FLOOR_RE.match(t))), None
    )
    if floor is None:
        return None
    stamp = content.get("date") or next(
        (t for t in tails if re.match(r"\d{4}-\d{2}-\d{2}", t)), None
    )
    ip = next((m[1] for t in tails if (m := _IP_RE.search(t))), None)
    post_id = content.get("post_id")
    author = data.get("author") or {}
    name = author.get("user_nickname") or author.get("user_name")
    if not name and node.css(".d_name a"):
        name = node_text(node.css(".d_name a")[0])
    body = node.css(".j_d_post_content")
    return CommentItem(
        opinion_id=opinion,
        source=source,
        platform="tieba",
        native_id=str(post_id) if post_id else None,
        url=f"{url}?pid={post_id}#{post_id}" if post_id else url,
        content=_legacy_text(body[0]) if body else None,
        author=Author(name=squash(name) or None, id=str(author.get("user_id") or "") or None),
        published_at=parse_datetime(stamp) if stamp else None,
        floor=floor,
        replies=to_count(content.get("comment_num")),
        ip_location=ip,
    )


def _legacy_text(node: Selector) -> str | None:
    body = re.sub(r"(?i)<br\s*/?>", "\n", node.get())
    lines = [
        squash(line) for line in "".join(Selector(text=body).xpath("//text()").getall()).split("\n")
    ]
    return "\n".join(line for line in lines if line) or None


def _thread_item(
    source: str, tid: str, url: str, title: str | None, content: str | None
) -> OpinionItem:
    return OpinionItem(
        url=url,
        source=source,
        platform="tieba",
        canonical_url=url,
        native_id=tid,
        title=squash(title) or None,
        content=content,
        media=Media(domain=urlsplit(url).hostname),
    )


def _bar_name(name: str | None) -> str | None:
    name = squash(name)
    return f"{name.removesuffix('吧')}吧" if name else None


def _author(user: Mapping[str, Any] | None) -> Author:
    if not user:
        return Author()
    return Author(
        name=squash(user.get("name_show") or user.get("name")) or None,
        id=str(user.get("id")) if user.get("id") else None,
    )


def _content_text(parts: Any) -> str:
    """The text of a post's `content[]` parts (type 0 text, 1 link, 2 emoticon, 4 @)."""
    if isinstance(parts, str):
        return squash(parts)
    if not isinstance(parts, list):
        return ""
    texts = []
    for part in parts:
        if isinstance(part, dict):
            if part.get("type") in (0, 1, 4, "0", "1", "4") and part.get("text"):
                texts.append(str(part["text"]))
            elif part.get("type") in (2, "2") and part.get("c"):
                texts.append(f"[{part['c']}]")
    return "\n".join(line.strip() for line in "".join(texts).split("\n") if line.strip())


# Pages this module reads whole (`yuqing extract`, search results): found by
# spiders/_base/registry.py, so a new source never edits a table elsewhere.
URL_PARSERS: UrlParsers = [
    (ARTICLE_URL_RE, parse_article),  # legacy HTML thread pages
]

# List pages and API answers (`yuqing extract --file`): found by the same registry.
PAGE_PARSERS: PageParsers = [
    (re.compile(r"^https?://tieba\.baidu\.com/f\?"), parse_legacy_bar),
    # The JSON APIs (POST; a saved answer is read by its path).
    (
        re.compile(r"^https?://tieba\.baidu\.com/c/f/frs/page_pc"),
        lambda r: parse_frs(load_json(r.text)),
    ),
    (
        re.compile(r"^https?://tieba\.baidu\.com/c/f/pb/page_pc"),
        lambda r: parse_pb(load_json(r.text)),
    ),
    (re.compile(r"^https?://tieba\.baidu\.com/c/s/pc/sync"), parse_tbs),
]
