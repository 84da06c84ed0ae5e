"""Kuaishou's parsers on the fixture answers.

Facts modelled (docs/platforms.md, Kuaishou): the signed REST search feed `{result,
pcursor, feeds[], searchSessionId}` with `photo.{id, caption, timestamp (ms),
realLikeCount, likeCount ("2.3万"), viewCount, commentCount}` and `author`; V2 comments
(`rootCommentsV2`, `comment_id` int, `hasSubComments`, `pcursorV2` "no_more") and
replies (`subCommentsV2`, `replyToUserName`), GraphQL's camelCase comments; the
GraphQL visionProfile `ownerCount.fan`; `result` 2 / 50 / 2001 and GraphQL `errors`;
GraphQL visionVideoDetail `{status, author, photo}` (the photo as in a feed), which the
refresh of a tracked video reads.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from scrapy.http import TextResponse

import settings as project
from spiders.kuaishou import parse as kuaishou
from tests.helpers.fixtures import WEB_ROOT, response_from_fixture
from tests.helpers.standin_signing import kuaishou_hxfalcon
from yuqing_spiders.extract.kit.errors import PayloadError

T0 = project.SIGNING_REPLAY_TIME  # the fixtures' "now" (the replay clock)


def search_page(pcursor: str, session: str) -> TextResponse:
    body = kuaishou.search_body("南昌", pcursor, session)
    return response_from_fixture(kuaishou.search_url(kuaishou_hxfalcon(kuaishou.SEARCH_PATH, body)))


def answer(data: object) -> TextResponse:
    return TextResponse(kuaishou.COMMENTS_API, body=json.dumps(data).encode(), encoding="utf-8")


def test_search_body_carries_the_session_after_page_one() -> None:
    assert json.loads(kuaishou.search_body("南昌", "", "")) == {
        "keyword": "南昌",
        "pcursor": "",
        "page": "search",
    }
    assert json.loads(kuaishou.search_body("南昌", "1", "s"))["searchSessionId"] == "s"


def test_search_feed_items_one_broken_record() -> None:
    page = kuaishou.parse_search(search_page("", ""))
    assert [i.native_id for i in page.items] == ["3xstandinphoto001", "3xstandinphoto002"]
    assert page.items.error_count == 1
    assert (page.pcursor, page.session_id) == ("1", "MTRfMjcxNDQ2MDJfMTc5NTY1ODQwMDAwMF8")
    flood = page.items[0]
    assert flood.url == "https://www.kuaishou.com/short-video/3xstandinphoto001"
    assert flood.title == "南昌九龙湖一小区车库进水，车主们都在抢救车辆"
    assert flood.published_at == datetime.fromtimestamp(T0 - 5 * 3600, UTC)
    assert (flood.metrics.likes, flood.metrics.comments, flood.metrics.reads) == (
        23100,
        318,
        560000,
    )
    assert flood.extra["collects"] == 2310
    assert page.oldest == T0 - 21 * 3600


def test_the_replay_fixtures_are_named_by_the_stand_in_signature() -> None:
    names = {p.name for p in (WEB_ROOT / "www.kuaishou.com/rest/v/search").iterdir()}
    assert sum(n.startswith("feed@__NS_hxfalcon=STANDIN") for n in names) == 4  # 2 + sidecars


def test_comments_v2_and_graphql_shapes() -> None:
    page = kuaishou.parse_comments(
        response_from_fixture(kuaishou.COMMENTS_API), "3xstandinphoto001"
    )
    assert [c.native_id for c in page.comments] == ["900100001", "900100002"]
    assert page.comments.error_count == 1
    assert page.with_replies == ["900100001"]
    assert page.pcursor == kuaishou.NO_MORE
    old = answer(
        {
            "result": 1,
            "pcursor": "no_more",
            "rootComments": [
                {
                    "commentId": "77",
                    "authorName": "甲",
                    "content": "x",
                    "timestamp": 1,
                    "likedCount": 3,
                }
            ],
        }
    )
    [comment] = kuaishou.parse_comments(old, "p").comments
    assert (comment.native_id, comment.author.name, comment.likes) == ("77", "甲", 3)


def test_replies_answer_their_root() -> None:
    page = kuaishou.parse_comments(
        response_from_fixture(kuaishou.REPLIES_API), "3xstandinphoto001", "900100001"
    )
    [reply] = page.comments
    assert (reply.reply_to, reply.extra) == ("900100001", {"reply_to_user": "九龙湖住户"})


def test_profile_about_another_user_is_not_used() -> None:
    graphql = response_from_fixture(kuaishou.GRAPHQL_API)
    profile = kuaishou.parse_profile(graphql, "3xstandinauthora1")
    assert profile == {"name": "南昌身边事", "followers": 312000}
    assert kuaishou.parse_profile(graphql, "3xstandinauthorb2") is None


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"result": 2, "error_msg": "请求太快"}, "rate_limited"),
        ({"result": 2001, "error_msg": "antispam need captcha", "captchaConfig": {}}, "captcha"),
        ({"result": 50, "error_msg": "签名验证失败"}, None),
        ({"errors": [{"message": "Need captcha"}], "data": None}, None),
    ],
)
def test_refusals_are_never_empty_results(data: object, reason: str | None) -> None:
    with pytest.raises(PayloadError) as caught:
        kuaishou.parse_search(answer(data))
    assert kuaishou.block_reason(caught.value) == reason


def detail(data: object) -> TextResponse:
    return TextResponse(kuaishou.GRAPHQL_API, body=json.dumps(data).encode(), encoding="utf-8")


def test_video_detail_gives_the_video_with_its_counters_of_now() -> None:
    graphql = response_from_fixture(kuaishou.GRAPHQL_API, operation="visionVideoDetail")
    item = kuaishou.parse_detail(graphql, "3xstandinphoto001")
    assert item.url == "https://www.kuaishou.com/short-video/3xstandinphoto001"
    assert item.title == "南昌九龙湖一小区车库进水，车主们都在抢救车辆"
    assert (item.author.id, item.author.name) == ("3xstandinauthora1", "南昌身边事")
    assert item.published_at == datetime.fromtimestamp(T0 - 5 * 3600, UTC)
    # Later than the search feed's 23,100 / 318 / 560,000: what the refresh is for.
    assert (item.metrics.likes, item.metrics.comments, item.metrics.reads) == (31800, 405, 812000)
    assert kuaishou.photo_of(item.url) == "3xstandinphoto001"


def test_the_stored_url_names_the_video_to_refresh() -> None:
    assert kuaishou.photo_of("https://www.kuaishou.com/short-video/3xabcdefgh12?authorId=1") == (
        "3xabcdefgh12"
    )
    assert kuaishou.photo_of("https://www.kuaishou.com/profile/3xstandinauthora1") is None
    assert kuaishou.photo_of("https://www.kuaishou.com/short-video/../graphql") is None


GOOD_PHOTO = {"id": "3xstandinphoto001", "caption": "南昌", "timestamp": 1795640400000}


@pytest.mark.parametrize(
    "data",
    [
        {"errors": [{"message": "Need captcha"}], "data": None},
        {"data": None},
        {"data": {"visionVideoDetail": None}},
        {"data": {"visionVideoDetail": {"status": 2, "photo": None}}},  # removed or hidden
        {"data": {"visionVideoDetail": {"status": 1, "photo": [GOOD_PHOTO]}}},
        {"data": {"visionVideoDetail": {"photo": {**GOOD_PHOTO, "id": "3xanotherphoto9"}}}},
        {"data": {"visionVideoDetail": {"photo": {**GOOD_PHOTO, "timestamp": 1e30}}}},
        {"data": {"visionVideoDetail": {"photo": {**GOOD_PHOTO, "caption": {"a": 1}}}}},
        ["visionVideoDetail"],
    ],
)
def test_an_unusable_video_detail_is_refused_never_stored(data: object) -> None:
    with pytest.raises(PayloadError) as caught:
        kuaishou.parse_detail(detail(data), "3xstandinphoto001")
    assert kuaishou.block_reason(caught.value) is None


def test_a_video_detail_with_odd_counters_keeps_the_video() -> None:
    photo = {**GOOD_PHOTO, "realLikeCount": None, "likeCount": "1.2万", "viewCount": "x"}
    item = kuaishou.parse_detail(
        detail({"data": {"visionVideoDetail": {"author": None, "photo": photo}}}),
        "3xstandinphoto001",
    )
    assert (item.metrics.likes, item.metrics.reads, item.author.id) == (12000, None, None)
