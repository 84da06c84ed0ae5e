"""新浪微博 Sina Weibo: pure parse functions for the pages and APIs the spider reads.

Shapes follow the public API: the m.weibo.cn container API (cards of `card_type` 9,
also inside `card_group`, each holding an `mblog`), the detail page's
`var $render_data = [...]`, the comments `hotflow` API (paged by `max_id`), the
profile container `100505<uid>` (`data.userInfo`), the passport visitor handshake,
and s.weibo.com's HTML result cards. Nothing here fetches anything.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any
from urllib.parse import parse_qs, urlsplit

from parsel import Selector
from scrapy.http import TextResponse

from yuqing_spiders.extract.kit.article import PageParsers, UrlParsers
from yuqing_spiders.extract.kit.errors import PayloadError
from yuqing_spiders.extract.kit.html import squash
from yuqing_spiders.extract.kit.numbers import INT64_MAX, INT64_MIN, to_count
from yuqing_spiders.extract.kit.payload import load_json, load_jsonp
from yuqing_spiders.extract.kit.records import Records, isolated
from yuqing_spiders.model.items import Author, CommentItem, Media, Metrics, OpinionItem
from yuqing_spiders.model.timeparse import parse_datetime

PLATFORM = "weibo"
DETAIL_URL = "https://m.weibo.cn/detail/{mid}"
MEDIA_NAME = "新浪微博"
# A title for a post (which has none): its first sentence, at most this long.
TITLE_CHARS = 40

_RENDER_DATA = re.compile(r"var \$render_data = (\[.*?\])\[0\] \|\| \{\};", re.S)
_TAG = re.compile(r"<[^>]+>")
_BR = re.compile(r"<br\s*/?>", re.I)
# Emoji are <img alt="[怒]"> inside <span class="url-icon">: the alt is the text.
_EMOJI = re.compile(r"<img[^>]*\balt=\"(\[[^\"]{1,8}\])\"[^>]*>", re.I)
# A truncated text ends with "...<a href="/status/<id>">全文</a>".
_FULL_TEXT_LINK = re.compile(r"<a[^>]*href=\"/status/[^\"]*\"[^>]*>全文</a>", re.I)
_TOPIC = re.compile(r"#([^#\n]{1,40})#")
_SENTENCE_END = re.compile(r"[。！？!?\n]")
# s.weibo.com's 展开 / 收起 links inside the text paragraphs.
_FOLD_LINK = re.compile(r"<a[^>]*action-type=\"fl_(?:un)?fold\".*?</a>", re.S)
# The number in an action link's text ("转发 25", "1.2万"); its label words are not.
_SHOWN_COUNT = re.compile(r"\d[\d,.]*\s*(?:万|亿|w|W)?\+?")


# --- small values ---------------------------------------------------------------------------


def html_to_text(fragment: str | None) -> str | None:
    """Post or comment HTML as plain text: line breaks kept, links as their text,
    emoji as their [name], the 全文 link dropped."""
    if not fragment:
        return None
    text = _FULL_TEXT_LINK.sub("", fragment)
    text = _EMOJI.sub(r"\1", _BR.sub("\n", text))
    text = html.unescape(_TAG.sub("", text))
    return text.strip() or None


def title_of(text: str | None) -> str | None:
    """The first sentence of a post, cut at TITLE_CHARS (posts have no title)."""
    if not text:
        return None
    first = _SENTENCE_END.split(text.strip(), maxsplit=1)[0].strip() or text.strip()
    return first if len(first) <= TITLE_CHARS else first[:TITLE_CHARS] + "…"


def ip_location(value: str | None) -> str | None:
    """ "发布于 江西" (posts), "来自江西" (comments) -> "江西"."""
    if not value:
        return None
    text = re.sub(r"^(发布于|来自)\s*", "", str(value).strip())
    return text or None


def author_from_user(user: dict[str, Any] | None) -> Author:
    user = user or {}
    uid = user.get("id") or user.get("idstr")
    verified = user.get("verified")
    vtype = user.get("verified_type")
    return Author(
        name=_text(user.get("screen_name")),
        id=str(uid) if uid else None,
        followers=to_count(user.get("followers_count", user.get("followers_count_str"))),
        verified=bool(verified) if verified is not None else None,
        verified_type=_small_int(vtype),
    )


def _text(value: Any) -> str | None:
    """A field that must be text: anything else (a number, a list) is no value."""
    return (value.strip() or None) if isinstance(value, str) else None


def _small_int(value: Any) -> int | None:
    """A code such as `verified_type` (-1, 0, 220): an int within int64, else None."""
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if INT64_MIN <= value <= INT64_MAX else None


def profile_fields(user: dict[str, Any] | None) -> dict[str, Any]:
    """What the per-user cache keeps: the fields the big-V judgement reads."""
    author = author_from_user(user)
    return {
        "name": author.name,
        "followers": author.followers,
        "verified": author.verified,
        "verified_type": author.verified_type,
        "verified_type_ext": (user or {}).get("verified_type_ext"),
        "location": (user or {}).get("location") or None,
    }


# --- posts ------------------------------------------------------------------------------------


def post_item(mblog: dict[str, Any], *, source: str = PLATFORM) -> OpinionItem:
    """One post (a search card's `mblog`, or the detail page's `status`)."""
    mid = str(mblog.get("mid") or mblog["id"])
    long_text = (mblog.get("longText") or {}).get("longTextContent")
    text = html_to_text(long_text or mblog.get("text"))
    user = mblog.get("user") or {}
    author = author_from_user(user)
    author.ip_location = ip_location(mblog.get("region_name"))
    retweeted = mblog.get("retweeted_status") or {}
    truncated = bool(mblog.get("isLongText")) and not long_text and not mblog.get("_full_text")
    extra: dict[str, Any] = {
        "bid": mblog.get("bid"),
        "client": html_to_text(_text(mblog.get("source"))),
        "topics": _TOPIC.findall(text or ""),
        "pictures": int(mblog.get("pic_num") or len(mblog.get("pic_ids") or [])),
    }
    if user.get("verified_type_ext") is not None:
        extra["verified_type_ext"] = user["verified_type_ext"]
    if truncated:
        extra["truncated"] = True  # only the search card's shortened text was seen
    # A repost whose original is gone may carry a stub without id: still a repost,
    # of something we cannot name.
    original = retweeted.get("mid") or retweeted.get("id") if isinstance(retweeted, dict) else None
    repost_of = f"{source}:{original}" if isinstance(original, str | int) and original else None
    if repost_of:
        # Also here: the event stage rewrites `repost_of` to its event's first publisher.
        extra["retweet_of"] = repost_of
    return OpinionItem(
        url=DETAIL_URL.format(mid=mid),
        source=source,
        platform=PLATFORM,
        native_id=mid,
        title=title_of(text),
        content=text,
        media=Media(name=MEDIA_NAME),
        author=author,
        published_at=parse_datetime(mblog.get("created_at")),
        metrics=Metrics(
            comments=to_count(mblog.get("comments_count")),
            reposts=to_count(mblog.get("reposts_count")),
            likes=to_count(mblog.get("attitudes_count")),
        ),
        repost_of=repost_of,
        extra={k: v for k, v in extra.items() if v not in (None, [], 0)},
    )


@dataclass
class SearchPage:
    """One page of m.weibo.cn search results."""

    ok: bool
    mblogs: list[dict[str, Any]] = field(default_factory=list)
    total: int | None = None
    next_page: int | None = None
    message: str | None = None


def _cards(cards: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    # A card or group of another shape is no post (checked here, before the per-post
    # isolation, because one card may hold many posts).
    for card in cards if isinstance(cards, list) else []:
        if not isinstance(card, dict):
            continue
        if card.get("card_type") == 9 and card.get("mblog"):
            found.append(card["mblog"])
        found.extend(_cards(card.get("card_group") or []))
    return found


def parse_search(data: dict[str, Any]) -> SearchPage:
    """The container API's answer: posts, the reported total, the next page number."""
    body = data.get("data") or {}
    info = body.get("cardlistInfo") or {}
    return SearchPage(
        ok=data.get("ok") == 1,
        mblogs=isolated(_cards(body.get("cards") or []), _readable_post, PLATFORM),
        total=to_count(info.get("total")),
        next_page=to_count(info.get("page")),
        message=data.get("msg"),
    )


def _readable_post(mblog: dict[str, Any]) -> dict[str, Any]:
    """The post when `post_item` can read it; a malformed field raises here, inside
    the per-record isolation, instead of in the spider where it cost the whole page."""
    post_item(mblog)
    return mblog


def newest_time(mblogs: list[dict[str, Any]]) -> datetime | None:
    times = [t for t in (parse_datetime(m.get("created_at")) for m in mblogs) if t]
    return max(times) if times else None


def parse_detail(page: str) -> dict[str, Any] | None:
    """The full `status` from a detail page's `$render_data`; None when the page has
    none (deleted, or not visible to this session)."""
    match = _RENDER_DATA.search(page)
    if not match:
        return None
    try:
        data = load_json(match.group(1))
    except PayloadError:
        return None
    status = data[0].get("status") if data and isinstance(data[0], dict) else None
    if status:
        status["_full_text"] = True  # the detail page carries the whole text
    return status


# --- comments -------------------------------------------------------------------------------


@dataclass
class CommentPage:
    comments: list[CommentItem]
    total: int | None = None
    max_id: int = 0  # 0: no further page
    max_id_type: int = 0


def comment_item(
    raw: dict[str, Any], opinion_id: str, url: str, reply_to: str | None
) -> CommentItem:
    author = author_from_user(raw.get("user"))
    return CommentItem(
        opinion_id=opinion_id,
        source=opinion_id.split(":", 1)[0],
        platform=PLATFORM,
        native_id=str(raw.get("id") or raw.get("mid") or "") or None,
        url=url,
        content=html_to_text(raw.get("text")),
        author=author,
        published_at=parse_datetime(raw.get("created_at")),
        floor=to_count(raw.get("floor_number")),
        reply_to=reply_to,
        likes=to_count(raw.get("like_count")),
        replies=to_count(raw.get("total_number")),
        ip_location=ip_location(raw.get("source")),
        extra={"rootid": str(raw["rootid"])} if raw.get("rootid") else {},
    )


def _comment_thread(opinion_id: str, url: str, raw: dict[str, Any]) -> list[CommentItem]:
    """A root comment and its nested replies (`comments`, `false` when there are none)."""
    replies = raw.get("comments") or []
    return [
        comment_item(raw, opinion_id, url, None),
        *(comment_item(r, opinion_id, url, str(raw.get("id"))) for r in replies),
    ]


def parse_comments(data: dict[str, Any], opinion_id: str, url: str) -> CommentPage:
    """hotflow: `data.data[]` root comments, their nested replies in `comments`."""
    body = data.get("data") or {}
    if data.get("ok") != 1 or not isinstance(body, dict):
        return CommentPage([])
    threads = isolated(
        body.get("data") or [], partial(_comment_thread, opinion_id, url), opinion_id
    )
    comments: Records[CommentItem] = Records(c for thread in threads for c in thread)
    comments.errors = threads.errors
    return CommentPage(
        comments,
        total=to_count(body.get("total_number")),
        max_id=int(body.get("max_id") or 0),
        max_id_type=int(body.get("max_id_type") or 0),
    )


# --- users, login state, visitor cookies ------------------------------------------------------


def parse_profile(data: dict[str, Any]) -> dict[str, Any] | None:
    """`containerid=100505<uid>`: the cacheable profile, or None."""
    user = (data.get("data") or {}).get("userInfo")
    return profile_fields(user) if data.get("ok") == 1 and user else None


def parse_login_state(data: dict[str, Any]) -> bool | None:
    """`m.weibo.cn/api/config`: True logged in, False not, None unreadable."""
    login = (data.get("data") or {}).get("login")
    return login if isinstance(login, bool) else None


def _jsonp(text: str) -> dict[str, Any]:
    """The object a passport callback carries; PayloadError (a ValueError) otherwise."""
    try:
        data = load_jsonp(text)
    except PayloadError as exc:
        # Not the answer's text in the message: genvisitor2's carries the cookie values.
        raise PayloadError(exc.reason, "not a JSONP callback") from None
    if not isinstance(data, dict):
        raise PayloadError("unexpected_shape", "the callback's argument is not an object")
    return data


def parse_genvisitor(text: str) -> str:
    """`passport.weibo.com/visitor/genvisitor`: the visitor's `tid`."""
    data = _jsonp(text)
    tid = (data.get("data") or {}).get("tid")
    if data.get("retcode") != 20000000 or not tid:
        raise ValueError(f"genvisitor refused (retcode {data.get('retcode')})")
    return str(tid)


def parse_genvisitor2(text: str) -> str:
    """`genvisitor2`: the SUB/SUBP pair m.weibo.cn's WAF checks, as a Cookie header."""
    data = _jsonp(text)
    body = data.get("data") or {}
    if data.get("retcode") != 20000000 or not body.get("sub") or not body.get("subp"):
        raise ValueError(f"genvisitor2 refused (retcode {data.get('retcode')})")
    return f"SUB={body['sub']}; SUBP={body['subp']}"


# --- s.weibo.com (logged in) -----------------------------------------------------------------

# The badge in `div.avator` (WS search.py): colour -> (verified_type, verified_type_ext).
# Blue V is an organisation of an unknown kind (1-7): verified, type not shown.
BADGES = {
    "woo_svg_vblue": (None, None),
    "woo_svg_vyellow": (0, 0),
    "woo_svg_vorange": (0, 1),
    "woo_svg_vgold": (0, 2),
}


@dataclass
class PcCard:
    mid: str
    text: str | None
    author: Author
    time_text: str | None
    pc_url: str | None
    metrics: Metrics
    badge: str | None = None


@dataclass
class PcSearchPage:
    cards: list[PcCard]
    pages: int  # the page list's length: the site shows at most 50
    has_next: bool
    empty: bool


def _act_count(card: Selector, action: str) -> int | None:
    text = squash(" ".join(card.css(f'a[action-type="{action}"] ::text').getall()))
    shown = _SHOWN_COUNT.search(text)
    return to_count(shown[0]) if shown else 0  # "转发" with no number is 0 shown as a word


def _pc_card(card: Selector) -> PcCard:
    full = card.css('p[node-type="feed_list_content_full"]')
    body = full or card.css('p[node-type="feed_list_content"]')
    text = html_to_text(_FOLD_LINK.sub("", body.get("") or ""))
    name = card.css("div.info a.name")
    badge = next((b for b in BADGES if card.css(f"div.avator svg#{b}")), None)
    vtype = BADGES[badge][0] if badge else None
    uid = re.search(r"weibo\.com/(\d+)", name.attrib.get("href", ""))
    time_link = card.css("div.from a")[:1]  # the first link: time, to the post
    href = time_link.attrib.get("href", "")
    time_text = " ".join(time_link.css("::text").getall()).strip()
    return PcCard(
        mid=card.attrib["mid"],
        text=text,
        author=Author(
            name=name.attrib.get("nick-name") or None,
            id=uid[1] if uid else None,
            verified=badge is not None,
            verified_type=vtype,
        ),
        time_text=time_text or None,
        pc_url=("https:" + href.split("?")[0]) if href.startswith("//") else None,
        metrics=Metrics(
            reposts=_act_count(card, "feed_list_forward"),
            comments=_act_count(card, "feed_list_comment"),
            likes=to_count(card.css("span.woo-like-count::text").get()) or 0,
        ),
        badge=badge,
    )


def parse_pc_search(page: str) -> PcSearchPage:
    sel = Selector(text=page)
    cards = [_pc_card(c) for c in sel.css("div.card-wrap[mid]") if c.css("div.card-feed")]
    return PcSearchPage(
        cards=cards,
        pages=max(1, len(sel.css("ul.s-scroll li"))),
        has_next=bool(sel.css("div.m-page a.next")),
        empty=bool(sel.css("div.card-no-result")),
    )


# --- saved responses (`yuqing extract --file`), found by spiders/_base/registry.py ----------


def parse_detail_page(response: TextResponse) -> OpinionItem:
    """A post's detail page as its item; incomplete (status deleted) when the page holds
    no post (deleted, or not visible to the session that saved it)."""
    status = parse_detail(response.text)
    if status is None:
        item = OpinionItem(url=response.url, source=PLATFORM, platform=PLATFORM, status="deleted")
        item.complete, item.missing = False, ["content"]
        return item
    return post_item(status)


def _answer(response: TextResponse) -> dict[str, Any]:
    data = load_json(response.text)
    if not isinstance(data, dict):
        raise PayloadError("unexpected_shape", "the answer is not an object")
    return data


def _saved_comments(response: TextResponse) -> CommentPage:
    mid = parse_qs(urlsplit(response.url).query).get("mid", [""])[0]
    return parse_comments(_answer(response), f"{PLATFORM}:{mid}", DETAIL_URL.format(mid=mid))


_M_API = r"^https?://m\.weibo\.cn/"
URL_PARSERS: UrlParsers = [
    (re.compile(_M_API + r"(?:detail|status)/(?P<mid>\w+)"), parse_detail_page),
]
PAGE_PARSERS: PageParsers = [
    (
        re.compile(_M_API + r"api/container/getIndex\?containerid=100103"),
        lambda response: parse_search(_answer(response)),
    ),
    (
        re.compile(_M_API + r"api/container/getIndex\?containerid=100505"),
        lambda response: parse_profile(_answer(response)),
    ),
    (re.compile(_M_API + r"comments/hotflow\?"), _saved_comments),
    (re.compile(_M_API + r"api/config"), lambda response: parse_login_state(_answer(response))),
    (
        re.compile(r"^https?://s\.weibo\.com/weibo\?"),
        lambda response: parse_pc_search(response.text),
    ),
]
