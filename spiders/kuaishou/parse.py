"""快手 Kuaishou answers: JSON in, items, comments and profiles out (pure).

Facts (platforms.md §2; MC = MediaCrawler 2026-08):
- search POST `/rest/v/search/feed?__NS_hxfalcon=<sig>&caver=2` with `{keyword,
  pcursor, page: "search", searchSessionId}`; the signature covers the body (re-sign on
  retry) → `{result, pcursor, feeds[], searchSessionId}`; a feed: `photo.{id, caption,
  timestamp (ms), realLikeCount, likeCount, viewCount, commentCount, collectCount (?),
  duration}`, `author.{id, name}`; `pcursor` "no_more" or empty `feeds` ends it;
- comments POST `/rest/v/photo/comment/list` `{photoId, pcursor}` (unsigned) →
  `rootCommentsV2[].{comment_id (int), author_id, author_name, content, timestamp (ms),
  likeCount, hasSubComments, replyToUserName}`, `pcursorV2`, `commentCountV2`; replies
  `/rest/v/photo/comment/sublist` (+ `rootCommentId` as an int) → `subCommentsV2`;
  GraphQL's older camelCase (`commentId, authorName, likedCount`) is read too;
- profile GraphQL POST `/graphql` `visionProfile(userId)` →
  `data.visionProfile.{result, userProfile.{ownerCount.{fan, follow, photo_public},
  profile.{user_name, user_id}}}`; no verification field and no IP属地 are public;
- video detail GraphQL POST `/graphql` `visionVideoDetail(photoId)` (unsigned, like
  the profile) → `data.visionVideoDetail.{status, author.{id, name}, photo}`, the
  photo as in a search feed: the refresh of a tracked video reads its counters there;
- `result` 1 ok, 2 rate limited, 50 signature failed, 2001 captcha (`captchaConfig`);
  GraphQL `errors`; a silent block is `result` 1 with an empty first page.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from scrapy.http import TextResponse

from yuqing_spiders.extract.kit.article import UrlParsers, mark_completeness
from yuqing_spiders.extract.kit.errors import PayloadError
from yuqing_spiders.extract.kit.errors import block_reason as coded_block
from yuqing_spiders.extract.kit.html import squash
from yuqing_spiders.extract.kit.numbers import to_count
from yuqing_spiders.extract.kit.payload import dig, load_json, response_text
from yuqing_spiders.extract.kit.records import RECORD_ERRORS, Records, isolated
from yuqing_spiders.model.identity import opinion_id
from yuqing_spiders.model.items import Author, CommentItem, Media, Metrics, OpinionItem

SOURCE = PLATFORM = "kuaishou"
WEB = "https://www.kuaishou.com"
SEARCH_PATH = "/rest/v/search/feed"
COMMENTS_API = f"{WEB}/rest/v/photo/comment/list"
REPLIES_API = f"{WEB}/rest/v/photo/comment/sublist"
GRAPHQL_API = f"{WEB}/graphql"
VIDEO_URL = "https://www.kuaishou.com/short-video/{id}"
NO_MORE = "no_more"
# `result` codes that mean the crawler is refused: reason per code.
BLOCK_CODES = {2: "rate_limited", 2001: "captcha"}
PROFILE_QUERY = (
    "query visionProfile($userId: String) { visionProfile(userId: $userId) { result "
    "hostName userProfile { ownerCount { fan photo follow photo_public __typename } "
    "profile { gender user_name user_id headurl user_text __typename } __typename } "
    "__typename } }"
)
# Only the fields parse_detail reads (the web page asks for many more).
DETAIL_QUERY = (
    "query visionVideoDetail($photoId: String, $page: String) { "
    "visionVideoDetail(photoId: $photoId, page: $page) { status "
    "author { id name __typename } "
    "photo { id caption timestamp duration likeCount realLikeCount viewCount "
    "commentCount __typename } __typename } }"
)
VIDEO_ID = re.compile(r"/short-video/([0-9a-z]{10,20})(?:[/?#]|$)")
# Not a page the registry reads: Kuaishou's records come from POST answers.
URL_PARSERS: UrlParsers = []


# --- requests -----------------------------------------------------------------------------
def search_body(keyword: str, pcursor: str, session_id: str) -> str:
    body = {"keyword": keyword, "pcursor": pcursor, "page": "search"}
    if session_id:
        body["searchSessionId"] = session_id
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def search_url(signature: str) -> str:
    return f"{WEB}{SEARCH_PATH}?__NS_hxfalcon={signature}&caver=2"


def comments_body(photo_id: str, pcursor: str) -> str:
    return json.dumps({"photoId": photo_id, "pcursor": pcursor}, separators=(",", ":"))


def replies_body(photo_id: str, root: str, pcursor: str) -> str:
    body = {"photoId": photo_id, "pcursor": pcursor, "rootCommentId": int(root)}
    return json.dumps(body, separators=(",", ":"))


def profile_body(user_id: str) -> str:
    body = {
        "operationName": "visionProfile",
        "variables": {"userId": user_id},
        "query": PROFILE_QUERY,
    }
    return json.dumps(body, separators=(",", ":"))


def detail_body(photo_id: str) -> str:
    body = {
        "operationName": "visionVideoDetail",
        "variables": {"photoId": photo_id, "page": "detail"},
        "query": DETAIL_QUERY,
    }
    return json.dumps(body, separators=(",", ":"))


def video_url(photo_id: str) -> str:
    return VIDEO_URL.format(id=photo_id)


def photo_of(url: str) -> str | None:
    """The photo id of a stored video URL (www.kuaishou.com/short-video/<id>)."""
    found = VIDEO_ID.search(url)
    return found.group(1) if found else None


# --- envelopes ----------------------------------------------------------------------------
def answer(response: TextResponse) -> dict[str, Any]:
    """A REST answer with `result` 1; PayloadError("api_error", result) otherwise."""
    data = load_json(response_text(response))
    if not isinstance(data, dict):
        raise PayloadError("unexpected_shape", "not an object")
    if data.get("errors"):
        raise PayloadError("api_error", "graphql")
    result = data.get("result", dig(data, "data", "visionProfile", "result"))
    if result != 1:
        raise PayloadError("api_error", str(result))
    return data


def block_reason(error: PayloadError) -> str | None:
    """The block an answer stands for, or None (an ordinary error)."""
    return coded_block(error, BLOCK_CODES)


# --- search -------------------------------------------------------------------------------
@dataclass
class SearchPage:
    items: Records[OpinionItem] = field(default_factory=Records)
    pcursor: str = NO_MORE
    session_id: str = ""
    oldest: float | None = None


def parse_search(response: TextResponse) -> SearchPage:
    data = answer(response)
    feeds = data.get("feeds") or []
    if not isinstance(feeds, list):
        raise PayloadError("unexpected_shape", "feeds is not a list")
    page = SearchPage(
        items=isolated(feeds, feed_item, SOURCE),
        pcursor=str(data.get("pcursor") or NO_MORE),
        session_id=str(data.get("searchSessionId") or ""),
    )
    times = [i.published_at.timestamp() for i in page.items if i.published_at]
    page.oldest = min(times) if times else None
    return page


def feed_item(feed: dict[str, Any]) -> OpinionItem:
    photo = feed["photo"]
    photo_id = str(photo["id"])
    if not re.fullmatch(r"[0-9a-z]{10,20}", photo_id):
        raise ValueError("not a photo id")
    author = feed.get("author") or {}
    caption = squash(photo.get("caption")) or None
    millis = to_count(photo.get("timestamp"))
    url = video_url(photo_id)
    likes = to_count(photo.get("realLikeCount"))
    item = OpinionItem(
        url=url,
        source=SOURCE,
        platform=PLATFORM,
        canonical_url=url,
        native_id=photo_id,
        title=_title(caption),
        content=caption,
        media=Media(name="快手", domain="www.kuaishou.com"),
        author=Author(
            name=squash(author.get("name")) or None, id=str(author.get("id") or "") or None
        ),
        published_at=datetime.fromtimestamp(millis / 1000, UTC) if millis else None,
        metrics=Metrics(
            comments=to_count(photo.get("commentCount")),
            likes=likes if likes is not None else to_count(photo.get("likeCount")),
            reads=to_count(photo.get("viewCount")),
        ),
    )
    item.extra.update(collects=to_count(photo.get("collectCount")), duration=photo.get("duration"))
    return mark_completeness(item)


def _title(text: str | None) -> str | None:
    if not text:
        return None
    first = re.split(r"[\n。！？!?]", text, maxsplit=1)[0]
    return squash(re.sub(r"#\S+", "", first)) or text[:60]


# --- video detail (the refresh of a tracked video) ---------------------------------------
def parse_detail(response: TextResponse, asked: str) -> OpinionItem:
    """visionVideoDetail: the video with today's counters, as a search feed gives it.
    A video removed or hidden answers without its photo; an answer about another video
    (a caching proxy) is refused, never stored under the asked one's id."""
    data = load_json(response_text(response))
    if not isinstance(data, dict):
        raise PayloadError("unexpected_shape", "not an object")
    if data.get("errors"):
        raise PayloadError("api_error", "graphql")
    detail = dig(data, "data", "visionVideoDetail")
    if not isinstance(detail, dict):
        raise PayloadError("unexpected_shape", "no visionVideoDetail")
    photo = detail.get("photo")
    if not isinstance(photo, dict):
        raise PayloadError("unexpected_shape", f"no photo (status {detail.get('status')})")
    if str(photo.get("id")) != asked:
        raise PayloadError("unexpected_shape", "another video")
    author = detail.get("author")
    try:
        return feed_item({"photo": photo, "author": author if isinstance(author, dict) else {}})
    except RECORD_ERRORS as exc:  # the one record is the whole answer here
        raise PayloadError("unexpected_shape", f"photo: {exc}") from None


# --- profiles -----------------------------------------------------------------------------
def parse_profile(response: TextResponse, asked: str) -> dict[str, Any] | None:
    """visionProfile: the cacheable profile; None when the answer is about another user
    (a caching proxy, or the replay site serving every POST by its path)."""
    data = answer(response)
    profile = dig(data, "data", "visionProfile", "userProfile") or {}
    if str(dig(profile, "profile", "user_id") or "") != asked:
        return None
    return {
        "name": squash(dig(profile, "profile", "user_name")) or None,
        "followers": to_count(dig(profile, "ownerCount", "fan")),
    }


# --- comments -----------------------------------------------------------------------------
@dataclass
class CommentPage:
    comments: Records[CommentItem] = field(default_factory=Records)
    pcursor: str = NO_MORE
    with_replies: list[str] = field(default_factory=list)


def parse_comments(response: TextResponse, photo_id: str, root: str | None = None) -> CommentPage:
    """comment/list (root comments) or comment/sublist (replies under `root`)."""
    data = answer(response)
    parent = opinion_id(SOURCE, photo_id, video_url(photo_id))
    raw = data.get("subCommentsV2" if root else "rootCommentsV2")
    if raw is None:
        raw = data.get("subComments" if root else "rootComments") or []
    comments = isolated(raw, lambda c: comment_item(c, parent, photo_id, root), SOURCE)
    page = CommentPage(
        comments=comments,
        pcursor=str(data.get("pcursorV2") or data.get("pcursor") or NO_MORE),
    )
    by_id = {str(c.get("comment_id") or c.get("commentId")): c for c in raw if isinstance(c, dict)}
    page.with_replies = [
        str(c.native_id)
        for c in comments
        if (by_id.get(str(c.native_id)) or {}).get("hasSubComments")
    ]
    return page


def comment_item(raw: dict[str, Any], parent: str, photo_id: str, root: str | None) -> CommentItem:
    native = raw["comment_id"] if "comment_id" in raw else raw["commentId"]
    millis = int(raw["timestamp"])
    return CommentItem(
        opinion_id=parent,
        source=SOURCE,
        platform=PLATFORM,
        native_id=str(int(native)),
        url=video_url(photo_id),
        content=squash(raw.get("content")) or None,
        author=Author(
            name=squash(raw.get("author_name") or raw.get("authorName")) or None,
            id=str(raw.get("author_id") or raw.get("authorId") or "") or None,
        ),
        published_at=datetime.fromtimestamp(millis / 1000, UTC),
        reply_to=root,
        likes=to_count(raw.get("likeCount", raw.get("likedCount"))),
        replies=to_count(raw.get("subCommentCount")),
        extra={"reply_to_user": raw["replyToUserName"]} if raw.get("replyToUserName") else {},
    )
