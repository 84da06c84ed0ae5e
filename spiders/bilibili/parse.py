"""哔哩哔哩 Bilibili API answers: JSON in, items, comments and profiles out (pure).

Facts (platforms.md §3; MC = MediaCrawler 2026-08, BAC = bilibili-API-collect):
- every answer is `{"code", "message", "data"}`; `code` 0 is success. -412 (blocked:
  too few cookies, no buvid3), -352 (risk control, with `data.v_voucher`), -799 (too
  frequent), -101 (not logged in), 12002 (comments closed). A bad WBI signature may
  also come back as `code 0` with only `data.v_voucher`.
- nav `data.wbi_img.{img_url, sub_url}`: the WBI keys (code -101 logged out still
  carries them).
- search `data.result[]` {aid, bvid, title with `<em class="keyword">`, description,
  author, mid, pubdate (epoch s), play, video_review, favorites, review, like},
  `data.numPages`; `order=pubdate` is newest first.
- detail `view/detail` `data.View.{aid, bvid, title, desc, pubdate, owner.{mid, name},
  stat.{view, like, coin, favorite, share, reply, danmaku}}`, `data.Card.{card.fans,
  card.Official, card.official_verify, follower}`.
- comments `data.replies[]` {rpid, parent, root, ctime, like, rcount,
  content.message, member.{mid, uname}, reply_control.location ("IP属地：江西")},
  pinned `data.top_replies` on page 1, paging `data.cursor.{is_end, next}`;
  replies `/x/v2/reply/reply` `data.replies`, `data.page.{num, size, count}`.
- card `data.card.{mid, name, fans, Official.{role, title, type},
  official_verify.{type, desc}}`, `data.follower`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from scrapy.http import TextResponse

from spiders.bilibili import wbi
from yuqing_spiders.extract.kit.article import UrlParsers, mark_completeness
from yuqing_spiders.extract.kit.errors import PayloadError
from yuqing_spiders.extract.kit.errors import block_reason as coded_block
from yuqing_spiders.extract.kit.html import squash
from yuqing_spiders.extract.kit.numbers import to_count
from yuqing_spiders.extract.kit.payload import dig, load_json, response_text
from yuqing_spiders.extract.kit.records import Records, isolated
from yuqing_spiders.model.identity import opinion_id
from yuqing_spiders.model.items import Author, CommentItem, Media, Metrics, OpinionItem

SOURCE = PLATFORM = "bilibili"
API = "https://api.bilibili.com"
NAV_URL = f"{API}/x/web-interface/nav"
SPI_URL = f"{API}/x/frontend/finger/spi"
SEARCH_API = f"{API}/x/web-interface/wbi/search/type"
DETAIL_API = f"{API}/x/web-interface/view/detail"
COMMENTS_API = f"{API}/x/v2/reply/wbi/main"
REPLIES_API = f"{API}/x/v2/reply/reply"
CARD_API = f"{API}/x/web-interface/card"
VIDEO_URL = "https://www.bilibili.com/video/{bvid}"
_VIDEO_PAGE_RE = re.compile(r"https?://(?:www\.|m\.)?bilibili\.com/video/(BV[0-9A-Za-z]{10})\b")

DETAIL_URL_RE = re.compile(
    r"^https?://api\.bilibili\.com/x/web-interface/view/detail\?(?:.*&)?bvid=(?P<id>BV\w{10})"
)
# Codes that mean the crawler is refused, not that there is nothing: reason per code.
BLOCK_CODES = {-412: "blocked", -352: "risk_control", -799: "too_frequent"}
_TAG_RE = re.compile(r"<[^>]+>")

# Official.role (BAC official_role.md) -> Weibo-style verified_type, so the shared
# big-V rules (analysis.yaml `verified_types`) read every platform alike:
# personal 1 知名UP主 2 大V达人 7 高能主播 9 社会知名人士 -> 0 (personal);
# 3 企业 -> 2, 4 组织 -> 7, 5 媒体 -> 3, 6 政府 -> 1.
_ROLE_TYPES = {1: 0, 2: 0, 7: 0, 9: 0, 3: 2, 4: 7, 5: 3, 6: 1}


# --- envelopes ----------------------------------------------------------------------------
def answer(response: TextResponse) -> dict[str, Any]:
    """The `data` of a successful answer; PayloadError("api_error", code) otherwise.

    `v_voucher` without a result is the risk-control wall (a bad or stale WBI signature)
    even when `code` says 0."""
    data = load_json(response_text(response))
    if not isinstance(data, dict) or "code" not in data:
        raise PayloadError("unexpected_shape", "no code envelope")
    code = data.get("code")
    if code != 0:
        raise PayloadError("api_error", str(code))
    body = data.get("data")
    if isinstance(body, dict) and body.get("v_voucher") and len(body) <= 2:
        raise PayloadError("api_error", "-352")
    return body if isinstance(body, dict) else {}


def block_reason(error: PayloadError) -> str | None:
    """The block an answer stands for, or None (an ordinary error)."""
    return coded_block(error, BLOCK_CODES)


def wbi_keys(response: TextResponse) -> tuple[str, str]:
    """nav: (img_key, sub_key); read whatever the code (logged out is -101)."""
    data = load_json(response_text(response))
    img = dig(data, "data", "wbi_img", "img_url")
    sub = dig(data, "data", "wbi_img", "sub_url")
    if not isinstance(img, str) or not isinstance(sub, str):
        code = dig(data, "code")
        raise PayloadError("api_error" if code else "unexpected_shape", str(code))
    return wbi.key_from_url(img), wbi.key_from_url(sub)


def visitor_cookie(text: str) -> str:
    """`finger/spi`: the buvid3 / buvid4 visitor pair as a Cookie header."""
    data = load_json(text)
    b3, b4 = dig(data, "data", "b_3"), dig(data, "data", "b_4")
    if dig(data, "code") != 0 or not b3:
        raise PayloadError("api_error", str(dig(data, "code")))
    return f"buvid3={b3}; buvid4={b4}" if b4 else f"buvid3={b3}"


# --- URLs ---------------------------------------------------------------------------------
def search_url(
    keyword: str, page: int, keys: tuple[str, str], wts: int, page_size: int = 20
) -> str:
    params = {
        "search_type": "video",
        "keyword": keyword,
        "page": page,
        "page_size": page_size,
        "order": "pubdate",  # newest first: paging stops once past the window
    }
    return f"{SEARCH_API}?{wbi.sign(params, *keys, wts)}"


def detail_url(bvid: str) -> str:
    return f"{DETAIL_API}?bvid={bvid}"


def video_url(bvid: str) -> str:
    return VIDEO_URL.format(bvid=bvid)


def bvid_of(url: str) -> str | None:
    """The BV id of a video page URL (what items store), or None."""
    match = _VIDEO_PAGE_RE.match(url)
    return match[1] if match else None


def comments_url(aid: int, cursor: int, keys: tuple[str, str], wts: int) -> str:
    # mode 2: newest first; `next` is the cursor page 1 leaves at 0.
    params = {"oid": aid, "type": 1, "mode": 2, "ps": 20, "next": cursor}
    return f"{COMMENTS_API}?{wbi.sign(params, *keys, wts)}"


def replies_url(aid: int, root: str, page: int, size: int = 20) -> str:
    return (
        f"{REPLIES_API}?{urlencode({'oid': aid, 'type': 1, 'root': root, 'pn': page, 'ps': size})}"
    )


def card_url(mid: str) -> str:
    return f"{CARD_API}?mid={mid}"


# --- search -------------------------------------------------------------------------------
@dataclass
class SearchPage:
    cards: Records[dict[str, Any]] = field(default_factory=Records)
    pages: int = 0
    oldest: float | None = None  # epoch s of the oldest result on the page


def parse_search(response: TextResponse) -> SearchPage:
    """One result page: a JSON-able card per video (what the detail request carries)."""
    data = answer(response)
    page = SearchPage(pages=to_count(data.get("numPages")) or 0)
    results = data.get("result") or []
    if not isinstance(results, list):
        raise PayloadError("unexpected_shape", "result is not a list")
    page.cards = isolated(results, _search_card, SOURCE)
    times = [c["pubdate"] for c in page.cards if c.get("pubdate")]
    page.oldest = float(min(times)) if times else None
    return page


def _search_card(raw: dict[str, Any]) -> dict[str, Any] | None:
    if raw.get("type") not in (None, "video"):
        return None
    bvid = str(raw["bvid"])
    if not bvid.startswith("BV"):
        raise ValueError("not a bvid")
    return {
        "bvid": bvid,
        "aid": int(raw["aid"]),
        "title": clean_title(raw.get("title")),
        "description": squash(raw.get("description")) or None,
        "author": squash(raw.get("author")) or None,
        "mid": str(raw.get("mid") or "") or None,
        "pubdate": int(raw["pubdate"]),
        "play": to_count(raw.get("play")),
        "likes": to_count(raw.get("like")),
        "comments": to_count(raw.get("review")),
        "collects": to_count(raw.get("favorites")),
        "danmaku": to_count(raw.get("video_review")),
    }


def clean_title(title: Any) -> str | None:
    """Search titles mark the keyword with `<em class="keyword">`."""
    return squash(_TAG_RE.sub("", str(title or ""))) or None


# --- detail -------------------------------------------------------------------------------
def parse_detail(response: TextResponse, card: dict[str, Any] | None = None) -> OpinionItem:
    """`view/detail`: the whole video; the search card fills what it lacks."""
    data = answer(response)
    view = data.get("View")
    if not isinstance(view, dict) or not view.get("bvid"):
        raise PayloadError("unexpected_shape", "no View")
    item = video_item(view, card)
    profile = card_profile(data.get("Card"))
    if profile is not None:
        item.extra["profile"] = profile
        _apply(item.author, profile)
    return mark_completeness(item)


def video_item(view: dict[str, Any], card: dict[str, Any] | None = None) -> OpinionItem:
    card = card or {}
    bvid = str(view["bvid"])
    stat = view.get("stat") or {}
    owner = view.get("owner") or {}
    title = squash(view.get("title")) or card.get("title")
    desc = squash(view.get("desc"))
    text = desc if desc and desc != "-" else card.get("description") or title
    pubdate = view.get("pubdate") or card.get("pubdate")
    url = video_url(bvid)
    item = OpinionItem(
        url=url,
        source=SOURCE,
        platform=PLATFORM,
        canonical_url=url,
        native_id=bvid,
        title=title,
        content=text,
        media=Media(name="哔哩哔哩", domain="www.bilibili.com"),
        author=Author(
            name=squash(owner.get("name")) or card.get("author"),
            id=str(owner.get("mid") or card.get("mid") or "") or None,
        ),
        published_at=datetime.fromtimestamp(int(pubdate), UTC) if pubdate else None,
        metrics=Metrics(
            comments=_first(stat.get("reply"), card.get("comments")),
            reposts=to_count(stat.get("share")),
            likes=_first(stat.get("like"), card.get("likes")),
            reads=_first(stat.get("view"), card.get("play")),
        ),
    )
    item.extra.update(
        aid=view.get("aid") or card.get("aid"),
        collects=_first(stat.get("favorite"), card.get("collects")),
        coins=to_count(stat.get("coin")),
        danmaku=_first(stat.get("danmaku"), card.get("danmaku")),
    )
    return item


def _first(*values: Any) -> int | None:
    for value in values:
        count = to_count(value)
        if count is not None:
            return count
    return None


def card_from_item(item: OpinionItem) -> dict[str, Any]:
    """What a search card said, rebuilt from a card-only item (queue-safe JSON)."""
    return {"bvid": item.native_id, "title": item.title}


# --- profiles -----------------------------------------------------------------------------
def card_profile(card: Any) -> dict[str, Any] | None:
    """`Card` of view/detail or `data` of x/web-interface/card: the cacheable profile."""
    if not isinstance(card, dict):
        return None
    inner = card.get("card") if isinstance(card.get("card"), dict) else None
    if inner is None:
        return None
    official = inner.get("Official") or {}
    verify = inner.get("official_verify") or {}
    role = to_count(official.get("role"))
    verified = bool(role) or to_count(verify.get("type")) in (0, 1)
    return {
        "name": squash(inner.get("name")) or None,
        "followers": _first(card.get("follower"), inner.get("fans")),
        "verified": verified,
        "verified_type": _ROLE_TYPES.get(role or 0) if verified else -1,
        "verify_label": squash(official.get("title") or verify.get("desc")) or None,
        "ip_location": None,  # cards do not show it (only comments do)
    }


def parse_card(response: TextResponse) -> dict[str, Any] | None:
    return card_profile(answer(response))


def _apply(author: Author, profile: dict[str, Any]) -> None:
    author.name = author.name or profile.get("name")
    author.followers = profile.get("followers")
    author.verified = profile.get("verified")
    author.verified_type = profile.get("verified_type")


# --- comments -----------------------------------------------------------------------------
@dataclass
class CommentPage:
    comments: Records[CommentItem] = field(default_factory=Records)
    next: int = 0
    is_end: bool = True
    with_replies: list[str] = field(default_factory=list)  # rpids whose replies to fetch


def parse_comments(response: TextResponse, bvid: str, *, first: bool) -> CommentPage:
    """`reply/wbi/main`: root comments (page 1 adds the pinned ones), the next cursor.

    The site may answer `next=0` with `is_end=false`: the caller tracks the page
    number rather than trusting the cursor alone (MC d594c20)."""
    data = answer(response)
    parent = opinion_id(SOURCE, bvid, video_url(bvid))
    raw = list(data.get("top_replies") or []) if first else []
    raw += list(data.get("replies") or [])
    built = isolated(raw, lambda r: comment_item(r, parent, bvid), SOURCE)
    page = CommentPage(comments=Records())
    page.comments.errors = built.errors
    for comment in built:
        if any(c.native_id == comment.native_id for c in page.comments):
            continue  # a pinned comment also listed among the others
        page.comments.append(comment)
        if comment.replies:
            page.with_replies.append(str(comment.native_id))
    cursor = data.get("cursor") or {}
    page.is_end = bool(cursor.get("is_end", True))
    page.next = to_count(cursor.get("next")) or 0
    return page


def parse_replies(response: TextResponse, bvid: str) -> tuple[Records[CommentItem], int]:
    """`reply/reply`: one page of replies under a root, and how many pages there are."""
    data = answer(response)
    parent = opinion_id(SOURCE, bvid, video_url(bvid))
    replies = isolated(data.get("replies") or [], lambda r: comment_item(r, parent, bvid), SOURCE)
    page = data.get("page") or {}
    size, count = to_count(page.get("size")) or 20, to_count(page.get("count")) or 0
    return replies, -(-count // size)


def comment_item(raw: dict[str, Any], parent: str, bvid: str) -> CommentItem:
    member = raw.get("member") or {}
    rpid = str(raw["rpid"])
    reply_to = str(raw.get("parent") or "") or None
    return CommentItem(
        opinion_id=parent,
        source=SOURCE,
        platform=PLATFORM,
        native_id=rpid,
        url=video_url(bvid),
        content=squash(dig(raw, "content", "message")) or None,
        author=Author(
            name=squash(member.get("uname")) or None, id=str(member.get("mid") or "") or None
        ),
        published_at=datetime.fromtimestamp(int(raw["ctime"]), UTC),
        reply_to=None if reply_to == "0" else reply_to,
        likes=to_count(raw.get("like")),
        replies=to_count(raw.get("rcount")),
        ip_location=ip_location(dig(raw, "reply_control", "location")),
        extra={"root": str(raw["root"])} if raw.get("root") else {},
    )


def ip_location(value: Any) -> str | None:
    """`IP属地：江西` -> `江西`."""
    text = squash(str(value or ""))
    return re.sub(r"^IP属地[:：]\s*", "", text) or None


def parse_detail_page(response: TextResponse) -> OpinionItem:
    """`yuqing extract` on a saved view/detail answer."""
    return parse_detail(response)


URL_PARSERS: UrlParsers = [(DETAIL_URL_RE, parse_detail_page)]
