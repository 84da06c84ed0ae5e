"""小红书 Xiaohongshu answers and pages: JSON or HTML in, items, comments, profiles out (pure).

Facts (platforms.md §4; MC = MediaCrawler 2026-08, XD = XHS-Downloader, US = a 2026-09
scraper manual):
- API calls go to edith.xiaohongshu.com with `X-s` / `X-t` made by the site's script
  over the URI (path and query) and the body; answers are `{"code", "success", "msg",
  "data"}`, `code` 0 ok; 300011 (account abnormal), 300012 (IP blocked), 300013 (too
  frequent), -104 (no permission), -510000/-510001 (note missing);
- search POST `/api/sns/web/v1/search/notes` {keyword, page, page_size, search_id,
  sort, note_type, filters}: `data.items[].{id, xsec_token, model_type (note;
  rec_query / hot_query are not notes), note_card.{display_title, type, user.{user_id,
  nickname, red_official_verify_type}, interact_info.liked_count}}`, `data.has_more`;
  `search_id` is made by the client: base36((ms << 64) + a 31-bit random);
- a note page GET `/explore/<id>?xsec_token=…` (no login, no signature) holds
  `window.__INITIAL_STATE__` (JS: `undefined` values) → `note.noteDetailMap[<id>].note`
  {noteId, type, title, desc, time (ms), lastUpdateTime, ipLocation, user.{userId,
  nickname}, interactInfo.{likedCount, collectedCount, commentCount, shareCount} (as
  strings, "1.2万" rounded), tagList[].name};
- comments GET `/api/sns/web/v2/comment/page?note_id&cursor&top_comment_id&
  image_formats&xsec_token` → `data.{comments[], cursor, has_more}`; a comment {id,
  content, create_time (ms), ip_location, like_count, sub_comment_count (strings),
  sub_comments[], sub_comment_has_more, sub_comment_cursor, target_comment.id,
  user_info}; replies GET `/api/sns/web/v2/comment/sub/page?note_id&root_comment_id&
  num=10&cursor&xsec_token`; `has_more` may be missing: stop when the cursor stops moving;
- a profile page `/user/profile/<id>` → `user.userPageData.{basicInfo.{nickname,
  redId, ipLocation}, interactions[{type: fans, count}]}`.
"""

from __future__ import annotations

import json
import random
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from scrapy.http import TextResponse

from yuqing_spiders.extract.kit.article import UrlParsers, mark_completeness
from yuqing_spiders.extract.kit.errors import PayloadError
from yuqing_spiders.extract.kit.errors import block_reason as coded_block
from yuqing_spiders.extract.kit.html import squash
from yuqing_spiders.extract.kit.numbers import to_count
from yuqing_spiders.extract.kit.payload import dig, load_assigned_json, load_json, response_text
from yuqing_spiders.extract.kit.records import Records, isolated
from yuqing_spiders.model.identity import opinion_id
from yuqing_spiders.model.items import Author, CommentItem, Media, Metrics, OpinionItem

SOURCE = PLATFORM = "xiaohongshu"
WEB = "https://www.xiaohongshu.com"
API = "https://edith.xiaohongshu.com"
SEARCH_URI = "/api/sns/web/v1/search/notes"
COMMENTS_URI = "/api/sns/web/v2/comment/page"
REPLIES_URI = "/api/sns/web/v2/comment/sub/page"
# The site's filter_note_time presets (hours).
TIME_PRESETS = ((24, "一天内"), (24 * 7, "一周内"), (24 * 183, "半年内"))
BLOCK_CODES = {300011: "account_abnormal", 300012: "ip_blocked", 300013: "too_frequent"}
NOTE_URL_RE = re.compile(
    r"^https?://www\.xiaohongshu\.com/(?:explore|discovery/item)/(?P<id>[0-9a-f]{24})"
)
_UNDEFINED_RE = re.compile(r"(?<=[:\[,])\s*undefined\b")
_BASE36 = "0123456789abcdefghijklmnopqrstuvwxyz"


# --- requests -----------------------------------------------------------------------------
def search_id(now_ms: int | None = None, salt: int | None = None) -> str:
    """base36((ms << 64) + a 31-bit random), as the web client makes it."""
    ms = int(time.time() * 1000) if now_ms is None else now_ms
    value = (ms << 64) + (random.randint(0, 2**31 - 1) if salt is None else salt)  # noqa: S311
    digits = ""
    while value:
        value, rest = divmod(value, 36)
        digits = _BASE36[rest] + digits
    return digits or "0"


def time_filter(hours: float) -> str:
    if hours <= 0:
        return "不限"
    return next((name for limit, name in TIME_PRESETS if limit >= hours), "不限")


def search_body(keyword: str, page: int, size: int, sid: str, window: str) -> str:
    """The JSON body, compact (it is signed as sent)."""
    body = {
        "keyword": keyword,
        "page": page,
        "page_size": size,
        "search_id": sid,
        "sort": "time_descending",  # newest first
        "note_type": 0,
        "filters": [
            {"tags": ["time_descending"], "type": "sort_type"},
            {"tags": ["不限"], "type": "filter_note_type"},
            {"tags": [window], "type": "filter_note_time"},
        ],
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


_NOTE_URL_RE = re.compile(
    r"https?://www\.xiaohongshu\.com/(?:explore|discovery/item)/([0-9a-f]{24})\b"
)


def note_url(note_id: str, xsec_token: str) -> str:
    query = urlencode({"xsec_token": xsec_token, "xsec_source": "pc_search"})
    return f"{WEB}/explore/{note_id}?{query}"


def canonical_note_url(note_id: str) -> str:
    return f"{WEB}/explore/{note_id}"


def note_id_of(url: str) -> str | None:
    """The note id of a stored note URL (`/explore/<id>`, `/discovery/item/<id>`)."""
    match = _NOTE_URL_RE.match(url)
    return match[1] if match else None


def comments_uri(note_id: str, cursor: str, xsec_token: str) -> str:
    query = {
        "note_id": note_id,
        "cursor": cursor,
        "top_comment_id": "",
        "image_formats": "jpg,webp,avif",
        "xsec_token": xsec_token,
    }
    # Commas unencoded: the query sent must be the one signed, byte for byte (MC).
    return f"{COMMENTS_URI}?{urlencode(query, safe=',')}"


def replies_uri(note_id: str, root: str, cursor: str, xsec_token: str) -> str:
    query = {
        "note_id": note_id,
        "root_comment_id": root,
        "num": 10,
        "cursor": cursor,
        "image_formats": "jpg,webp,avif",
        "xsec_token": xsec_token,
    }
    return f"{REPLIES_URI}?{urlencode(query, safe=',')}"


def profile_url(user_id: str) -> str:
    return f"{WEB}/user/profile/{user_id}"


# --- envelopes ----------------------------------------------------------------------------
def answer(response: TextResponse) -> dict[str, Any]:
    data = load_json(response_text(response))
    if not isinstance(data, dict):
        raise PayloadError("unexpected_shape", "not an object")
    code = data.get("code", 0)
    if code != 0:
        raise PayloadError("api_error", str(code))
    body = data.get("data")
    return body if isinstance(body, dict) else {}


def block_reason(error: PayloadError) -> str | None:
    """The block an answer stands for, or None (an ordinary error)."""
    return coded_block(error, BLOCK_CODES, ("verify_page",))


def initial_state(response: TextResponse) -> dict[str, Any]:
    """`window.__INITIAL_STATE__` of a page, JS `undefined` read as null."""
    text = response_text(response)
    if "请通过验证" in text[:20000]:
        raise PayloadError("verify_page", "verification page")
    state = load_assigned_json(_UNDEFINED_RE.sub("null", text), "window.__INITIAL_STATE__")
    if not isinstance(state, dict):
        raise PayloadError("unexpected_shape", "state is not an object")
    return state


# --- search -------------------------------------------------------------------------------
@dataclass
class SearchPage:
    cards: Records[dict[str, Any]] = field(default_factory=Records)
    has_more: bool = False


def parse_search(response: TextResponse) -> SearchPage:
    data = answer(response)
    items = data.get("items") or []
    if not isinstance(items, list):
        raise PayloadError("unexpected_shape", "items is not a list")
    return SearchPage(cards=isolated(items, _card, SOURCE), has_more=bool(data.get("has_more")))


def _card(raw: dict[str, Any]) -> dict[str, Any] | None:
    if raw.get("model_type") != "note":
        return None  # rec_query, hot_query: suggestions, not notes
    note_id = str(raw["id"])
    if not re.fullmatch(r"[0-9a-f]{24}", note_id):
        raise ValueError("not a note id")
    user = dig(raw, "note_card", "user") or {}
    return {
        "id": note_id,
        "xsec_token": str(raw["xsec_token"]),
        "title": squash(dig(raw, "note_card", "display_title")) or None,
        "likes": to_count(dig(raw, "note_card", "interact_info", "liked_count")),
        "verify_type": to_count(user.get("red_official_verify_type")),
    }


# --- notes --------------------------------------------------------------------------------
def parse_note_page(response: TextResponse, card: dict[str, Any] | None = None) -> OpinionItem:
    """`/explore/<id>`: the note from the page state; the search card's exact like count
    wins over the page's rounded one."""
    state = initial_state(response)
    match = NOTE_URL_RE.match(response.url)
    details = dig(state, "note", "noteDetailMap") or {}
    note_id = (card or {}).get("id") or (match["id"] if match else None)
    note = dig(details, note_id, "note") if note_id else None
    if not isinstance(note, dict):
        raise PayloadError("unexpected_shape", "no note in the page state")
    return note_item(note, card)


def note_item(note: dict[str, Any], card: dict[str, Any] | None = None) -> OpinionItem:
    card = card or {}
    note_id = str(note.get("noteId") or card["id"])
    interact = note.get("interactInfo") or {}
    user = note.get("user") or {}
    url = canonical_note_url(note_id)
    desc = squash(note.get("desc")) or None
    millis = to_count(note.get("time"))
    item = OpinionItem(
        url=url,
        source=SOURCE,
        platform=PLATFORM,
        canonical_url=url,
        native_id=note_id,
        title=squash(note.get("title")) or card.get("title") or (desc or "")[:40] or None,
        content=desc,
        media=Media(name="小红书", domain="www.xiaohongshu.com"),
        author=Author(
            name=squash(user.get("nickname")) or None,
            id=str(user.get("userId") or "") or None,
            ip_location=squash(note.get("ipLocation")) or None,
        ),
        published_at=datetime.fromtimestamp(millis / 1000, UTC) if millis else None,
        metrics=Metrics(
            comments=to_count(interact.get("commentCount")),
            reposts=to_count(interact.get("shareCount")),
            likes=card.get("likes")
            if card.get("likes") is not None
            else to_count(interact.get("likedCount")),
        ),
    )
    item.keywords = [
        t["name"] for t in note.get("tagList") or [] if isinstance(t, dict) and t.get("name")
    ]
    item.extra.update(
        collects=to_count(interact.get("collectedCount")),
        note_type=note.get("type"),
        xsec_token=card.get("xsec_token") or note.get("xsecToken"),
    )
    verify = card.get("verify_type")
    if verify is not None:
        # red_official_verify_type: 0 none, 1 personal, 2 institutional (→ Weibo 0 / 7).
        item.author.verified = verify in (1, 2)
        item.author.verified_type = {1: 0, 2: 7}.get(verify, -1)
    return mark_completeness(item)


# --- profiles -----------------------------------------------------------------------------
def parse_profile_page(response: TextResponse) -> dict[str, Any]:
    data = dig(initial_state(response), "user", "userPageData")
    if not isinstance(data, dict):
        raise PayloadError("unexpected_shape", "no userPageData")
    basic = data.get("basicInfo") or {}
    counts = {
        i.get("type"): to_count(i.get("count"))
        for i in data.get("interactions") or []
        if isinstance(i, dict)
    }
    return {
        "name": squash(basic.get("nickname")) or None,
        "followers": counts.get("fans"),
        "ip_location": squash(basic.get("ipLocation")) or None,
    }


# --- comments -----------------------------------------------------------------------------
@dataclass
class CommentPage:
    comments: Records[CommentItem] = field(default_factory=Records)
    cursor: str = ""
    has_more: bool = False
    more_replies: list[tuple[str, str]] = field(default_factory=list)  # (root, cursor)


def parse_comments(response: TextResponse, note_id: str, *, cursor_sent: str = "") -> CommentPage:
    """comment/page or comment/sub/page: comments with their embedded replies."""
    data = answer(response)
    parent = opinion_id(SOURCE, note_id, canonical_note_url(note_id))
    url = canonical_note_url(note_id)
    page = CommentPage()
    page.comments.errors.update(_collect(data.get("comments") or [], parent, url, page))
    page.cursor = str(data.get("cursor") or "")
    more = data.get("has_more")
    # has_more may be missing: go on only while the cursor moves (US).
    page.has_more = bool(page.cursor) and page.cursor != cursor_sent and more is not False
    return page


def _collect(raw: list[Any], parent: str, url: str, page: CommentPage) -> Any:
    roots = isolated(raw, lambda c: comment_item(c, parent, url), SOURCE)
    by_id = {str(c.get("id")): c for c in raw if isinstance(c, dict)}
    for root in roots:
        page.comments.append(root)
        source = by_id.get(str(root.native_id)) or {}
        subs = isolated(
            source.get("sub_comments") or [], lambda c: comment_item(c, parent, url), SOURCE
        )
        for sub in subs:
            sub.reply_to = sub.reply_to or str(root.native_id)  # a reply answers its root
        page.comments.extend(subs)
        roots.errors.update(subs.errors)
        if source.get("sub_comment_has_more") and source.get("sub_comment_cursor"):
            page.more_replies.append((str(root.native_id), str(source["sub_comment_cursor"])))
    return roots.errors


def comment_item(raw: dict[str, Any], parent: str, url: str) -> CommentItem:
    user = raw.get("user_info") or {}
    millis = int(raw["create_time"])
    return CommentItem(
        opinion_id=parent,
        source=SOURCE,
        platform=PLATFORM,
        native_id=str(raw["id"]),
        url=url,
        content=squash(raw.get("content")) or None,
        author=Author(
            name=squash(user.get("nickname")) or None, id=str(user.get("user_id") or "") or None
        ),
        published_at=datetime.fromtimestamp(millis / 1000, UTC),
        reply_to=str(dig(raw, "target_comment", "id") or "") or None,
        likes=to_count(raw.get("like_count")),
        replies=to_count(raw.get("sub_comment_count")),
        ip_location=squash(raw.get("ip_location")) or None,
    )


URL_PARSERS: UrlParsers = [(NOTE_URL_RE, parse_note_page)]
