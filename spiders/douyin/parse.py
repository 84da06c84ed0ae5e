"""抖音 Douyin web API answers: JSON in, items, comments and profiles out (pure).

Facts (platforms.md §1; MC = MediaCrawler, TD = TikTokDownloader, EV = Douyin_TikTok
_Download_API):
- every call is a GET on www.douyin.com with ~25 fingerprint params (device_platform
  webapp, aid 6383, channel channel_pc_web, ...) and a signature `a_bogus` over the
  query, the body and the User-Agent (made by the site's own script, fetch/signer.py);
- search `/aweme/v1/web/general/search/single/` (keyword, offset, count, search_id,
  sort_type 2 = newest, publish_time = preset days); results in
  `data[].aweme_info` or `data[].aweme_mix_info.mix_items[0]`; `has_more`, `cursor`;
  next `search_id` = `extra.logid`. A verification wall is `status_code 0`, no data,
  `search_nil_info.search_nil_type == "verify_check"`, never "no results";
- detail `/aweme/v1/web/aweme/detail/?aweme_id=` -> `aweme_detail`: aweme_id, desc
  (also the title), create_time (epoch s), author.{uid, sec_uid, nickname},
  statistics.{digg_count, comment_count, share_count, collect_count, play_count},
  ip_label;
- comments `/aweme/v1/web/comment/list/` (aweme_id, cursor, count) -> comments[].{cid,
  text, create_time, digg_count, reply_comment_total, reply_id, ip_label, user}; replies
  `/aweme/v1/web/comment/list/reply/` (item_id, comment_id, cursor, count); `has_more`;
- profile `/aweme/v1/web/user/profile/other/?sec_user_id=` -> user.{nickname,
  follower_count, mplatform_followers_count, custom_verify (黄V),
  enterprise_verify_reason (蓝V), ip_location "IP属地：江西"};
- an empty 200 body or the body `blocked` is an account or IP block.
"""

from __future__ import annotations

import re
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
from yuqing_spiders.extract.kit.payload import dig, load_json, response_text
from yuqing_spiders.extract.kit.records import Records, isolated
from yuqing_spiders.model.identity import opinion_id
from yuqing_spiders.model.items import Author, CommentItem, Media, Metrics, OpinionItem

SOURCE = PLATFORM = "douyin"
WEB = "https://www.douyin.com"
SEARCH_API = f"{WEB}/aweme/v1/web/general/search/single/"
DETAIL_API = f"{WEB}/aweme/v1/web/aweme/detail/"
COMMENTS_API = f"{WEB}/aweme/v1/web/comment/list/"
REPLIES_API = f"{WEB}/aweme/v1/web/comment/list/reply/"
PROFILE_API = f"{WEB}/aweme/v1/web/user/profile/other/"
TTWID_URL = "https://ttwid.bytedance.com/ttwid/union/register/"
VIDEO_URL = "https://www.douyin.com/video/{aweme_id}"
_VIDEO_PAGE_RE = re.compile(r"https?://www\.douyin\.com/(?:video|note)/(\d+)\b")

# The fingerprint every web call carries. The page sends ~25 (browser_*, os_*,
# screen_*, version_*); these are the ones every public client agrees on, short enough
# for a replay fixture's file name. The full set needs a live check (docs/platforms.md).
COMMON_PARAMS = {"device_platform": "webapp", "aid": "6383", "channel": "channel_pc_web"}
# The site's publish-time presets (days): the nearest one covering the window is asked for.
PUBLISH_PRESETS = (1, 7, 180)
DETAIL_URL_RE = re.compile(
    r"^https?://www\.douyin\.com/aweme/v1/web/aweme/detail/\?(?:.*&)?aweme_id=(?P<id>\d{15,20})"
)
_TTWID_RE = re.compile(r"(?:^|;\s*)ttwid=([^;]+)")


# --- requests (the unsigned query; the spider appends a_bogus) ----------------------------
def publish_preset(hours: float) -> int:
    """The smallest preset (days) covering `hours`; 0 (any time) when none does."""
    if hours <= 0:
        return 0
    return next((days for days in PUBLISH_PRESETS if days * 24 >= hours), 0)


def search_params(keyword: str, offset: int, size: int, search_id: str, preset: int) -> str:
    # sort_type 2 = newest first; publish_time = preset days (the older flat form of
    # `filter_selected`, which TD still sends).
    params = {
        **COMMON_PARAMS,
        "search_channel": "aweme_general",
        "keyword": keyword,
        "sort_type": "2",
        "publish_time": str(preset),
        "offset": offset,
        "count": size,
        "search_id": search_id,
    }
    return urlencode(params)


def detail_params(aweme_id: str) -> str:
    return urlencode({**COMMON_PARAMS, "aweme_id": aweme_id})


def comments_params(aweme_id: str, cursor: int) -> str:
    return urlencode(
        {**COMMON_PARAMS, "aweme_id": aweme_id, "cursor": cursor, "count": 20, "item_type": 0}
    )


def replies_params(aweme_id: str, comment_id: str, cursor: int) -> str:
    query = {"item_id": aweme_id, "comment_id": comment_id, "cursor": cursor, "count": 20}
    return urlencode({**COMMON_PARAMS, **query})


def profile_params(sec_uid: str) -> str:
    query = {
        "sec_user_id": sec_uid,
        "publish_video_strategy_type": 2,
        "personal_center_strategy": 1,
    }
    return urlencode({**COMMON_PARAMS, **query})


def signed_url(api: str, params: str, a_bogus: str) -> str:
    return f"{api}?{params}&{urlencode({'a_bogus': a_bogus})}"


def video_url(aweme_id: str) -> str:
    return VIDEO_URL.format(aweme_id=aweme_id)


def aweme_id_of(url: str) -> str | None:
    """The aweme id of a video page URL (what items store), or None."""
    match = _VIDEO_PAGE_RE.match(url)
    return match[1] if match else None


def ttwid_cookie(set_cookies: list[str]) -> str | None:
    """The `ttwid` of a register answer's Set-Cookie headers, as a Cookie header."""
    for header in set_cookies:
        match = _TTWID_RE.search(header)
        if match:
            return f"ttwid={match[1]}"
    return None


# --- envelopes ----------------------------------------------------------------------------
def answer(response: TextResponse) -> dict[str, Any]:
    """A successful answer; PayloadError: `blocked` (empty body, `blocked`),
    `verify_check` (the search wall), `api_error` (status_code != 0)."""
    text = response_text(response).strip()
    if not text or text == "blocked":
        raise PayloadError("blocked", "empty body" if not text else "blocked body")
    data = load_json(text)
    if not isinstance(data, dict):
        raise PayloadError("unexpected_shape", "not an object")
    if dig(data, "search_nil_info", "search_nil_type") == "verify_check":
        raise PayloadError("verify_check", "verification wall")
    code = data.get("status_code", 0)
    if code not in (0, None):
        raise PayloadError("api_error", str(code))
    return data


BLOCK_REASONS = ("blocked", "verify_check")


def block_reason(error: PayloadError) -> str | None:
    """The block an answer stands for (a verification wall), or None."""
    return coded_block(error, {}, BLOCK_REASONS)


# --- search -------------------------------------------------------------------------------
@dataclass
class SearchPage:
    awemes: Records[dict[str, Any]] = field(default_factory=Records)
    has_more: bool = False
    cursor: int = 0
    search_id: str = ""
    oldest: float | None = None


def parse_search(response: TextResponse) -> SearchPage:
    data = answer(response)
    results = data.get("data") or []
    if not isinstance(results, list):
        raise PayloadError("unexpected_shape", "data is not a list")
    page = SearchPage(
        awemes=isolated(results, _search_aweme, SOURCE),
        has_more=bool(data.get("has_more")),
        cursor=to_count(data.get("cursor")) or 0,
        search_id=str(dig(data, "extra", "logid") or dig(data, "log_pb", "impr_id") or ""),
    )
    times = [a["create_time"] for a in page.awemes if a.get("create_time")]
    page.oldest = float(min(times)) if times else None
    return page


def _search_aweme(result: dict[str, Any]) -> dict[str, Any] | None:
    """The aweme of one result (a video, or the first of a mix); None for users etc."""
    aweme = result.get("aweme_info") or dig(result, "aweme_mix_info", "mix_items", 0)
    if not aweme:
        return None
    return {"aweme_id": str(int(aweme["aweme_id"])), "create_time": int(aweme["create_time"])}


# --- videos -------------------------------------------------------------------------------
def parse_detail(response: TextResponse) -> OpinionItem:
    aweme = answer(response).get("aweme_detail")
    if not isinstance(aweme, dict):
        raise PayloadError("unexpected_shape", "no aweme_detail")
    return aweme_item(aweme)


def aweme_item(aweme: dict[str, Any]) -> OpinionItem:
    aweme_id = str(int(aweme["aweme_id"]))
    stats = aweme.get("statistics") or {}
    author = aweme.get("author") or {}
    text = squash(aweme.get("desc")) or None
    url = video_url(aweme_id)
    item = OpinionItem(
        url=url,
        source=SOURCE,
        platform=PLATFORM,
        canonical_url=url,
        native_id=aweme_id,
        title=_title(text),
        content=text,
        media=Media(name="抖音", domain="www.douyin.com"),
        author=Author(
            name=squash(author.get("nickname")) or None,
            id=str(author.get("sec_uid") or author.get("uid") or "") or None,
            followers=to_count(author.get("follower_count")) or None,
            ip_location=ip_location(aweme.get("ip_label")),
        ),
        published_at=_epoch(aweme.get("create_time")),
        metrics=Metrics(
            comments=to_count(stats.get("comment_count")),
            reposts=to_count(stats.get("share_count")),
            likes=to_count(stats.get("digg_count")),
            # play_count is often 0 on the web (platforms.md): 0 means "not shown".
            reads=to_count(stats.get("play_count")) or None,
        ),
    )
    item.extra.update(
        collects=to_count(stats.get("collect_count")),
        uid=str(author.get("uid") or "") or None,
    )
    return mark_completeness(item)


def _title(text: str | None) -> str | None:
    """desc is also the title (platforms.md): its first line, hashtags dropped."""
    if not text:
        return None
    first = re.split(r"[\n。！？!?]", text, maxsplit=1)[0]
    return squash(re.sub(r"#\S+", "", first)) or text[:60]


def _epoch(value: Any) -> datetime | None:
    seconds = to_count(value)
    return datetime.fromtimestamp(seconds, UTC) if seconds else None


def ip_location(value: Any) -> str | None:
    text = squash(str(value or ""))
    return re.sub(r"^IP属地[:：]\s*", "", text) or None


# --- profiles -----------------------------------------------------------------------------
def parse_profile(response: TextResponse) -> dict[str, Any]:
    user = answer(response).get("user")
    if not isinstance(user, dict):
        raise PayloadError("unexpected_shape", "no user")
    return profile_fields(user)


def profile_fields(user: dict[str, Any]) -> dict[str, Any]:
    """The cacheable profile. 黄V (custom_verify) is personal, 蓝V (enterprise reason)
    institutional: Weibo's verified_type 0 and 2, so the shared big-V rules apply."""
    personal = squash(user.get("custom_verify"))
    enterprise = squash(user.get("enterprise_verify_reason"))
    followers = to_count(user.get("follower_count"))
    return {
        "name": squash(user.get("nickname")) or None,
        "followers": max(followers or 0, to_count(user.get("mplatform_followers_count")) or 0),
        "verified": bool(personal or enterprise),
        "verified_type": 2 if enterprise else 0 if personal else -1,
        "verify_label": enterprise or personal or None,
        "ip_location": ip_location(user.get("ip_location")),
    }


# --- comments -----------------------------------------------------------------------------
@dataclass
class CommentPage:
    comments: Records[CommentItem] = field(default_factory=Records)
    cursor: int = 0
    has_more: bool = False
    with_replies: list[str] = field(default_factory=list)


def parse_comments(response: TextResponse, aweme_id: str) -> CommentPage:
    """comment/list and comment/list/reply: one page of comments (or replies)."""
    data = answer(response)
    parent = opinion_id(SOURCE, aweme_id, video_url(aweme_id))
    page = CommentPage(
        comments=isolated(data.get("comments") or [], lambda c: comment_item(c, parent), SOURCE),
        cursor=to_count(data.get("cursor")) or 0,
        has_more=bool(data.get("has_more")),
    )
    page.with_replies = [str(c.native_id) for c in page.comments if c.replies]
    return page


def comment_item(raw: dict[str, Any], parent: str) -> CommentItem:
    user = raw.get("user") or {}
    reply_id = str(raw.get("reply_id") or "0")
    to_reply = str(raw.get("reply_to_reply_id") or "0")
    return CommentItem(
        opinion_id=parent,
        source=SOURCE,
        platform=PLATFORM,
        native_id=str(int(raw["cid"])),
        url=video_url(parent.split(":", 1)[1]),
        content=squash(raw.get("text")) or None,
        author=Author(
            name=squash(user.get("nickname")) or None,
            id=str(user.get("sec_uid") or user.get("uid") or "") or None,
        ),
        published_at=_epoch(raw["create_time"]),
        reply_to=(to_reply if to_reply != "0" else reply_id) if reply_id != "0" else None,
        likes=to_count(raw.get("digg_count")),
        replies=to_count(raw.get("reply_comment_total")),
        ip_location=ip_location(raw.get("ip_label")),
    )


def parse_detail_page(response: TextResponse) -> OpinionItem:
    """`yuqing extract` on a saved aweme/detail answer."""
    return parse_detail(response)


URL_PARSERS: UrlParsers = [(DETAIL_URL_RE, parse_detail_page)]
