"""Douyin's parsers on the fixture answers (signed with the stand-in script's token).

Facts modelled (docs/platforms.md, Douyin): search results as `aweme_info` or the
first of `aweme_mix_info.mix_items`, user cards among them, `has_more` / `cursor` /
`extra.logid`; `aweme_detail` with `statistics` and epoch-s `create_time`, `ip_label`;
comments with `reply_comment_total`, `reply_id` (parent) and `reply_to_reply_id`;
profiles with `custom_verify` (黄V) / `enterprise_verify_reason` (蓝V) and
`ip_location` "IP属地：…"; the walls: `verify_check`, an empty 200, the body `blocked`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from scrapy.http import TextResponse

import settings as project
from spiders.douyin import parse as douyin
from tests.helpers.fixtures import WEB_ROOT, response_from_fixture
from yuqing_spiders.extract.kit.errors import PayloadError

T0 = project.SIGNING_REPLAY_TIME  # the fixtures' "now" (the replay clock)
A1, A2, A4 = "7443100000000000001", "7443100000000000002", "7443100000000000004"


def recorded(api: str, marker: str) -> TextResponse:
    """The fixture of `api` whose query holds `marker` (the a_bogus differs per query)."""
    path = urlsplit(api).path.lstrip("/")
    folder = WEB_ROOT / "www.douyin.com" / path
    base = folder if path.endswith("/") else folder.parent
    [name] = [
        p.name
        for p in base.iterdir()
        if "@" in p.name and marker in p.name and not p.name.endswith(".meta.json")
    ]
    return response_from_fixture(f"{api}?{name.split('@', 1)[1]}")


def answer(body: str) -> TextResponse:
    return TextResponse(douyin.SEARCH_API, body=body.encode(), encoding="utf-8")


def test_publish_preset_is_the_nearest_covering_the_window() -> None:
    assert [douyin.publish_preset(h) for h in (0, 12, 24, 48, 24 * 30, 24 * 400)] == [
        0,
        1,
        1,
        7,
        180,
        0,
    ]


def test_search_params_ask_newest_first_within_the_preset() -> None:
    query = parse_qs(douyin.search_params("南昌", 10, 10, "abc", 7))
    assert query["sort_type"] == ["2"]
    assert query["publish_time"] == ["7"]
    assert (query["offset"], query["search_id"], query["aid"]) == (["10"], ["abc"], ["6383"])


def test_search_page_videos_mixes_skip_users_and_broken_records() -> None:
    page1 = douyin.parse_search(
        recorded(
            douyin.SEARCH_API, "keyword=%E5%8D%97%E6%98%8C&sort_type=2&publish_time=7&offset=0&"
        )
    )
    assert [a["aweme_id"] for a in page1.awemes] == [A1, A2, "7443100000000000005"]
    assert page1.awemes.error_count == 1  # aweme_id "not-a-number": that record only
    assert (page1.has_more, page1.cursor) == (True, 10)
    assert page1.search_id == "20251201100000A1B2C3D4E5F6A7B8C9"
    page2 = douyin.parse_search(recorded(douyin.SEARCH_API, "offset=10"))
    assert [a["aweme_id"] for a in page2.awemes][-1] == A4  # from aweme_mix_info
    assert page2.oldest == T0 - 70 * 3600


def test_detail_item_fields() -> None:
    item = douyin.parse_detail(recorded(douyin.DETAIL_API, f"aweme_id={A1}"))
    assert item.url == f"https://www.douyin.com/video/{A1}"
    assert item.complete
    assert (
        item.title
        == "南昌青山湖区一小区地下车库暴雨后被淹，数十辆车泡在水里，业主说物业排水泵一直没开"
    )
    assert item.content
    assert item.content.endswith("#南昌 #暴雨")
    assert item.published_at == datetime.fromtimestamp(T0 - 4 * 3600, UTC)
    assert (item.metrics.likes, item.metrics.comments, item.metrics.reposts) == (25310, 1843, 4120)
    assert item.metrics.reads is None  # play_count 0: not shown on the web
    assert item.extra["collects"] == 2210
    assert item.author.id
    assert item.author.id.startswith("MS4wLjABAAAA")
    assert item.author.ip_location == "江西"


def test_profile_verification_and_ip() -> None:
    sec = "MS4wLjABAAAAstandinJiangxiNewsK1l2M3n4O5p6Q7r8S9t0"
    profile = douyin.parse_profile(recorded(douyin.PROFILE_API, sec))
    assert profile == {
        "name": "江西新闻眼",
        "followers": 1830000,
        "verified": True,
        "verified_type": 2,  # 蓝V: enterprise
        "verify_label": "江西某传媒有限公司",
        "ip_location": "江西",
    }
    plain = douyin.profile_fields({"nickname": "x", "follower_count": 3, "custom_verify": ""})
    assert (plain["verified"], plain["verified_type"]) == (False, -1)


def test_comments_and_replies_with_their_parents() -> None:
    page = douyin.parse_comments(recorded(douyin.COMMENTS_API, f"aweme_id={A1}"), A1)
    assert [c.native_id for c in page.comments] == [
        "7443200000000000101",
        "7443200000000000102",
        "7443200000000000103",
    ]
    assert page.comments.error_count == 1
    assert page.with_replies == ["7443200000000000101"]
    assert page.has_more
    assert page.comments[2].ip_location == "广东"
    replies = douyin.parse_comments(recorded(douyin.REPLIES_API, "comment_id="), A1)
    assert [(r.native_id, r.reply_to) for r in replies.comments] == [
        ("7443200000000000201", "7443200000000000101"),
        ("7443200000000000202", "7443200000000000201"),
    ]


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("", "blocked"),
        ("  blocked ", "blocked"),
        ('{"status_code":8,"status_msg":"参数错误"}', "api_error"),
    ],
)
def test_walls_are_blocks_never_empty_results(body: str, reason: str) -> None:
    with pytest.raises(PayloadError) as caught:
        douyin.parse_search(answer(body))
    assert caught.value.reason == reason


def test_the_verify_check_fixture_is_a_wall() -> None:
    wall = recorded(douyin.SEARCH_API, "keyword=%E5%8D%97%E6%98%8C%E5%9C%B0%E9%93%81")
    with pytest.raises(PayloadError) as caught:
        douyin.parse_search(wall)
    assert caught.value.reason == "verify_check"


def test_ttwid_cookie_from_set_cookie() -> None:
    assert douyin.ttwid_cookie(["a=b", "ttwid=1%7Cxyz; Path=/; HttpOnly"]) == "ttwid=1%7Cxyz"
    assert douyin.ttwid_cookie(["odin_tt=x"]) is None


def test_registry_parser_claims_the_detail_api() -> None:
    [(pattern, _parser)] = douyin.URL_PARSERS
    assert pattern.match(f"{douyin.DETAIL_API}?device_platform=webapp&aweme_id={A2}&a_bogus=x")
    assert not pattern.match(f"https://www.douyin.com/video/{A2}")
