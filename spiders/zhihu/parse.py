"""知乎 Zhihu web API answers: JSON in, items, comments and profiles out (pure).

Facts (platforms.md §5; MC = MediaCrawler 2026-07, US = a 2026-09 scraper manual):
- API calls are GETs on www.zhihu.com with fixed headers (x-zse-93 `101_3_3.0`,
  x-api-version, x-app-za, x-requested-with) and `x-zse-96` = "2.0_" + the site's
  encoding of md5(`101_3_3.0+<path?query>+<d_c0>[+<x-zst-81>]`); `d_c0` is a cookie
  the site sets on a first visit and is mandatory;
- search `/api/v4/search_v3?t=general&q=…&offset&limit=20&lc_idx&search_source=Filter`
  with `time_interval` (a_day, a_week, a_month, three_months, half_a_year, a_year),
  `sort=created_time`; `data[]` of type `search_result` / `zvideo` → `object.{type
  (answer, article, zvideo), id, title and excerpt with <em>, content (HTML),
  created_time (zvideo: created_at), voteup_count, comment_count, author.{id, name,
  url_token}, question.id}`; `paging.is_end`;
- answers `/api/v4/answers/<id>?include=…,ip_info` and articles `/api/v4/articles/<id>`
  give the whole text and `ip_info`;
- comments (v5) `/api/v4/comment_v5/{answers|articles|zvideos}/<id>/root_comment` and
  `/api/v4/comment_v5/comment/<root>/child_comment` → `data[].{id, content (HTML),
  created_time, like_count, child_comment_count, reply_comment_id, author.{id, name},
  comment_tag[type == "ip_info"].text}`, `paging.{is_end, next}` (the next offset in
  its query; stop when it repeats);
- members `/api/v4/members/<url_token>?include=follower_count,…,is_org` (anonymous):
  `follower_count, is_org, badge[], badge_v2, ip_info`;
- refusals: `error.code` 40362 (请求存在异常), 10003 (+HTTP 403), 40352 (+ redirect to
  `/account/unhuman`), 101 (not logged in), 100 (header error).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

from scrapy.http import TextResponse

from yuqing_spiders.extract.kit.article import UrlParsers, mark_completeness
from yuqing_spiders.extract.kit.errors import PayloadError
from yuqing_spiders.extract.kit.errors import block_reason as coded_block
from yuqing_spiders.extract.kit.html import squash
from yuqing_spiders.extract.kit.numbers import to_count
from yuqing_spiders.extract.kit.payload import dig, load_json, response_text
from yuqing_spiders.extract.kit.records import Records, isolated
from yuqing_spiders.model.identity import opinion_id
from yuqing_spiders.model.items import Author, CommentItem, Media, Metrics, OpinionItem

SOURCE = PLATFORM = "zhihu"
WEB = "https://www.zhihu.com"
SEARCH_API = f"{WEB}/api/v4/search_v3"
ANSWER_API = f"{WEB}/api/v4/answers/{{id}}"
ARTICLE_API = f"{WEB}/api/v4/articles/{{id}}"
ROOT_COMMENTS_API = f"{WEB}/api/v4/comment_v5/{{kind}}s/{{id}}/root_comment"
CHILD_COMMENTS_API = f"{WEB}/api/v4/comment_v5/comment/{{root}}/child_comment"
MEMBER_API = f"{WEB}/api/v4/members/{{token}}"
SIGN_VERSION = "101_3_3.0"
ANSWER_INCLUDE = "content,voteup_count,comment_count,created_time,updated_time,ip_info"
MEMBER_INCLUDE = "follower_count,voteup_count,answer_count,badge,is_org,ip_info"
# time_interval presets (hours) of the search filter.
TIME_PRESETS = (
    (24, "a_day"),
    (24 * 7, "a_week"),
    (24 * 31, "a_month"),
    (24 * 92, "three_months"),
    (24 * 183, "half_a_year"),
    (24 * 366, "a_year"),
)
# Error codes that mean the crawler is refused: reason per code.
BLOCK_CODES = {40362: "abnormal_request", 10003: "client_check", 40352: "unhuman"}
DETAIL_URL_RE = re.compile(
    r"^https?://www\.zhihu\.com/api/v4/(?P<kind>answer|article)s/(?P<id>\d+)(?:\?.*)?$"
)
_TAG_RE = re.compile(r"<[^>]+>")
_BLOCK_TAGS_RE = re.compile(r"</?(?:p|br|li|h\d|blockquote|figure)\b[^>]*>", re.I)


# --- requests -----------------------------------------------------------------------------
def time_interval(hours: float) -> str | None:
    if hours <= 0:
        return None
    return next((name for limit, name in TIME_PRESETS if limit >= hours), None)


def search_url(keyword: str, offset: int, size: int, interval: str | None) -> str:
    params: dict[str, Any] = {
        "t": "general",
        "q": keyword,
        "correction": 1,
        "offset": offset,
        "limit": size,
        "lc_idx": offset,
        "search_source": "Filter",
        "sort": "created_time",  # newest first: paging stops past the window
    }
    if interval:
        params["time_interval"] = interval
    return f"{SEARCH_API}?{urlencode(params)}"


def detail_url(kind: str, native: str) -> str | None:
    if kind == "answer":
        return f"{ANSWER_API.format(id=native)}?{urlencode({'include': ANSWER_INCLUDE})}"
    if kind == "article":
        return ARTICLE_API.format(id=native)
    return None  # zvideo: the search result is the record


def comments_url(kind: str, native: str, offset: str = "") -> str:
    base = ROOT_COMMENTS_API.format(kind=kind, id=native)
    return f"{base}?{urlencode({'order_by': 'score', 'limit': 10, 'offset': offset})}"


def replies_url(root: str, offset: str = "") -> str:
    base = CHILD_COMMENTS_API.format(root=root)
    return f"{base}?{urlencode({'order_by': 'sort', 'limit': 10, 'offset': offset})}"


def member_url(token: str) -> str:
    return f"{MEMBER_API.format(token=token)}?{urlencode({'include': MEMBER_INCLUDE})}"


def sign_source(url: str, d_c0: str, zst_81: str = "") -> str:
    """What x-zse-96 is made from: version, path and query (no host), d_c0 [, x-zst-81]."""
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    pieces = [SIGN_VERSION, target, d_c0] + ([zst_81] if zst_81 else [])
    return "+".join(pieces)


def d_c0_cookie(set_cookies: list[str]) -> str | None:
    for header in set_cookies:
        match = re.search(r"(?:^|;\s*)d_c0=([^;]+)", header)
        if match:
            return match[1]
    return None


_ITEM_URL_RES = (
    ("answer", re.compile(r"https?://www\.zhihu\.com/question/\d+/answer/(\d+)\b")),
    ("article", re.compile(r"https?://zhuanlan\.zhihu\.com/p/(\d+)\b")),
)


def detail_of(url: str) -> tuple[str, str] | None:
    """(kind, id) of a stored answer or article URL, or None (a zvideo has no detail
    call: its search record is the whole item)."""
    for kind, pattern in _ITEM_URL_RES:
        if match := pattern.match(url):
            return kind, match[1]
    return None


def item_url(kind: str, native: str, question: str | None = None) -> str:
    if kind == "article":
        return f"https://zhuanlan.zhihu.com/p/{native}"
    if kind == "zvideo":
        return f"https://www.zhihu.com/zvideo/{native}"
    return f"https://www.zhihu.com/question/{question}/answer/{native}"


# --- envelopes ----------------------------------------------------------------------------
def answer(response: TextResponse) -> dict[str, Any]:
    """A successful answer; PayloadError("api_error", code) for an `error` envelope."""
    data = load_json(response_text(response))
    if not isinstance(data, dict):
        raise PayloadError("unexpected_shape", "not an object")
    code = dig(data, "error", "code")
    if code is not None:
        raise PayloadError("api_error", str(code))
    return data


def block_reason(error: PayloadError) -> str | None:
    """The block an answer stands for, or None (an ordinary error)."""
    return coded_block(error, BLOCK_CODES)


# --- search -------------------------------------------------------------------------------
@dataclass
class SearchPage:
    records: Records[dict[str, Any]] = field(default_factory=Records)
    is_end: bool = True
    oldest: float | None = None


def parse_search(response: TextResponse) -> SearchPage:
    data = answer(response)
    results = data.get("data") or []
    if not isinstance(results, list):
        raise PayloadError("unexpected_shape", "data is not a list")
    page = SearchPage(
        records=isolated(results, _search_record, SOURCE),
        is_end=bool(dig(data, "paging", "is_end")),
    )
    times = [r["created"] for r in page.records if r.get("created")]
    page.oldest = float(min(times)) if times else None
    return page


def _search_record(result: dict[str, Any]) -> dict[str, Any] | None:
    """One result as a queue-safe record; None for topics, users, ads."""
    if result.get("type") not in ("search_result", "zvideo"):
        return None
    obj = result["object"]
    kind = obj["type"]
    if kind not in ("answer", "article", "zvideo"):
        return None
    author = obj.get("author") or {}
    return {
        "kind": kind,
        "id": str(int(obj["id"])),
        "question": str(dig(obj, "question", "id") or "") or None,
        "title": plain(obj.get("title") or dig(obj, "question", "name")),
        "excerpt": plain(obj.get("excerpt")),
        "content": html_text(obj.get("content")),
        "created": int(obj.get("created_time") or obj["created_at"]),
        "likes": to_count(obj.get("voteup_count")),
        "comments": to_count(obj.get("comment_count")),
        "author": {
            "id": str(author.get("id") or "") or None,
            "name": plain(author.get("name")),
            "token": author.get("url_token") or None,
        },
    }


def record_item(record: dict[str, Any]) -> OpinionItem:
    """The item a search record makes (a zvideo's whole record; an answer's or an
    article's until its detail fills the text)."""
    url = item_url(record["kind"], record["id"], record.get("question"))
    author = record.get("author") or {}
    item = OpinionItem(
        url=url,
        source=SOURCE,
        platform=PLATFORM,
        canonical_url=url,
        native_id=f"{record['kind']}:{record['id']}",
        title=record.get("title"),
        # A zvideo may have no text but its title: the title is what it says.
        content=record.get("content") or record.get("excerpt") or record.get("title"),
        media=Media(name="知乎", domain=urlsplit(url).hostname),
        author=Author(name=author.get("name"), id=author.get("token") or author.get("id")),
        published_at=datetime.fromtimestamp(int(record["created"]), UTC),
        metrics=Metrics(likes=record.get("likes"), comments=record.get("comments")),
    )
    item.extra["kind"] = record["kind"]
    return mark_completeness(item)


# --- detail -------------------------------------------------------------------------------
def parse_detail(response: TextResponse, record: dict[str, Any] | None = None) -> OpinionItem:
    """An answer's or article's API object; the search record fills what it lacks."""
    data = answer(response)
    match = DETAIL_URL_RE.match(response.url)
    kind = record["kind"] if record else (match["kind"] if match else "answer")
    native = str(int(data["id"]))
    question = str(dig(data, "question", "id") or (record or {}).get("question") or "") or None
    author = data.get("author") or {}
    base = record or {
        "kind": kind,
        "id": native,
        "question": question,
        "title": plain(
            data.get("title") or dig(data, "question", "title") or dig(data, "question", "name")
        ),
        "created": data.get("created_time") or data.get("created"),
        "author": {
            "id": author.get("id"),
            "name": plain(author.get("name")),
            "token": author.get("url_token"),
        },
    }
    item = record_item({**base, "question": question})
    item.content = html_text(data.get("content")) or item.content
    item.metrics.likes = _first(data.get("voteup_count"), item.metrics.likes)
    item.metrics.comments = _first(data.get("comment_count"), item.metrics.comments)
    item.author.ip_location = ip_location(data.get("ip_info"))
    return mark_completeness(item)


def _first(*values: Any) -> int | None:
    for value in values:
        count = to_count(value)
        if count is not None:
            return count
    return None


# --- text ---------------------------------------------------------------------------------
def plain(value: Any) -> str | None:
    """A one-line text: tags (search <em>) removed."""
    return squash(_TAG_RE.sub("", str(value or ""))) or None


def html_text(value: Any) -> str | None:
    """An HTML body as paragraphs, one per line."""
    if not value:
        return None
    text = _TAG_RE.sub("", _BLOCK_TAGS_RE.sub("\n", str(value)))
    lines = [squash(line) for line in text.splitlines()]
    return "\n".join(line for line in lines if line) or None


def ip_location(value: Any) -> str | None:
    text = squash(str(value or ""))
    return re.sub(r"^IP\s*属地[:：]?\s*", "", text) or None


# --- profiles -----------------------------------------------------------------------------
def parse_member(response: TextResponse) -> dict[str, Any]:
    """members/<token>: the cacheable profile. `is_org` accounts are institutional
    (Weibo's verified_type 7), a badge (优秀回答者, identity) personal (0)."""
    data = answer(response)
    badges = [b for b in (data.get("badge") or []) if isinstance(b, dict)]
    label = plain(dig(data, "badge_v2", "title")) or next(
        (plain(b.get("description")) for b in badges if b.get("description")), None
    )
    is_org = bool(data.get("is_org"))
    return {
        "name": plain(data.get("name")),
        "followers": to_count(data.get("follower_count")),
        "verified": is_org or bool(badges) or bool(label),
        "verified_type": 7 if is_org else 0 if (badges or label) else -1,
        "verify_label": label,
        "ip_location": ip_location(data.get("ip_info")),
    }


# --- comments -----------------------------------------------------------------------------
@dataclass
class CommentPage:
    comments: Records[CommentItem] = field(default_factory=Records)
    next_offset: str | None = None
    with_replies: list[str] = field(default_factory=list)


def parse_comments(response: TextResponse, parent_url: str, parent_native: str) -> CommentPage:
    """root_comment or child_comment: one page, and the next offset (None at the end)."""
    data = answer(response)
    parent = opinion_id(SOURCE, parent_native, parent_url)
    page = CommentPage(
        comments=isolated(
            data.get("data") or [], lambda c: comment_item(c, parent, parent_url), SOURCE
        )
    )
    page.with_replies = [str(c.native_id) for c in page.comments if c.replies]
    paging = data.get("paging") or {}
    if not paging.get("is_end"):
        offset = parse_qs(urlsplit(str(paging.get("next") or "")).query).get("offset")
        current = parse_qs(urlsplit(response.url).query).get("offset", [""])
        # A repeated offset would loop forever (MC): the end.
        page.next_offset = offset[0] if offset and offset != current else None
    return page


def comment_item(raw: dict[str, Any], parent: str, url: str) -> CommentItem:
    author = raw.get("author") or {}
    tags = [t for t in (raw.get("comment_tag") or []) if isinstance(t, dict)]
    ip = next((t.get("text") for t in tags if t.get("type") == "ip_info"), None)
    reply_to = str(raw.get("reply_comment_id") or "0")
    return CommentItem(
        opinion_id=parent,
        source=SOURCE,
        platform=PLATFORM,
        native_id=str(int(raw["id"])),
        url=url,
        content=html_text(raw.get("content")),
        author=Author(name=plain(author.get("name")), id=str(author.get("id") or "") or None),
        published_at=datetime.fromtimestamp(int(raw["created_time"]), UTC),
        reply_to=None if reply_to == "0" else reply_to,
        likes=to_count(raw.get("like_count")),
        replies=to_count(raw.get("child_comment_count")),
        ip_location=ip_location(ip) or ip_location(raw.get("address_text")),
    )


def parse_detail_page(response: TextResponse) -> OpinionItem:
    """`yuqing extract` on a saved answer or article API object."""
    return parse_detail(response)


URL_PARSERS: UrlParsers = [(DETAIL_URL_RE, parse_detail_page)]
