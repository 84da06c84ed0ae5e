"""Zhihu's parsers on the fixture answers.

Facts modelled (docs/platforms.md, Zhihu): search_v3 `data[]` of `search_result` /
`zvideo` with `object.{type, id, title/excerpt with <em>, content HTML, created_time
(zvideo created_at), voteup_count, comment_count, author, question}`, ads among them,
`paging.is_end`; the answer and article API objects with `ip_info`; comment_v5 with
`comment_tag` ip_info, `child_comment_count`, `reply_comment_id`, `paging.next`
carrying the next offset; members with `is_org`, `badge`; the x-zse-96 source string;
error envelopes 10003 (HTTP 403), 40362, 40352.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from scrapy.http import TextResponse

import settings as project
from spiders.zhihu import parse as zhihu
from spiders.zhihu import settings as zhihu_settings
from tests.helpers.fixtures import response_from_fixture
from yuqing_spiders.extract.kit.errors import PayloadError
from yuqing_spiders.fetch.bans import CAPTCHA, rules_from_settings, verdict

T0 = project.SIGNING_REPLAY_TIME  # the fixtures' "now" (the replay clock)
A1, ART = "3301000001", "1950000001"


def test_time_interval_is_the_nearest_preset_covering_the_window() -> None:
    got = [zhihu.time_interval(h) for h in (0, 12, 48, 24 * 40, 24 * 400)]
    assert got == [None, "a_day", "a_week", "three_months", None]


def test_sign_source_is_version_path_query_and_d_c0() -> None:
    url = zhihu.search_url("南昌", 0, 20, "a_week")
    source = zhihu.sign_source(url, "AJC=|1")
    assert source.startswith("101_3_3.0+/api/v4/search_v3?t=general&q=%E5%8D%97%E6%98%8C&")
    assert source.endswith("+AJC=|1")
    assert zhihu.sign_source(url, "d", "zst").endswith("+d+zst")


def test_d_c0_from_the_first_visit() -> None:
    home = response_from_fixture("https://www.zhihu.com/")
    cookies = [v.decode() for v in home.headers.getlist(b"Set-Cookie")]
    assert zhihu.d_c0_cookie(cookies) == "AJCStandInDeviceCookie0a1b2c3d4e5f6A7B8=|1795658400"


def test_search_page_records_skip_ads_and_broken_ones() -> None:
    page = zhihu.parse_search(response_from_fixture(zhihu.search_url("南昌", 0, 20, "a_week")))
    assert [(r["kind"], r["id"]) for r in page.records] == [
        ("answer", A1),
        ("article", ART),
        ("zvideo", "1880000001"),
    ]
    assert page.records.error_count == 1
    assert not page.is_end
    assert page.oldest == T0 - 30 * 3600  # the zvideo's created_at
    assert page.records[0]["title"] == "如何看待南昌红谷滩区一小区地下车库暴雨后被淹？"
    video = zhihu.record_item(page.records[2])
    assert video.url == "https://www.zhihu.com/zvideo/1880000001"
    assert video.author.id == "nanchang-daily"
    assert video.content == video.title == "实拍南昌秋水广场音乐喷泉"  # no text: its title
    assert video.complete


def test_answer_detail_whole_text_and_ip() -> None:
    url = zhihu.detail_url("answer", A1)
    assert url is not None
    item = zhihu.parse_detail(response_from_fixture(url))
    assert item.native_id == f"answer:{A1}"
    assert item.url == f"https://www.zhihu.com/question/682150001/answer/{A1}"
    assert item.content == "\n".join(
        [
            "作为业主说几句，排水泵那天根本没开。",
            "物业的说法是设备故障，但去年也淹过一次。",
            "（以上为全文）",
        ]
    )
    assert item.published_at == datetime.fromtimestamp(T0 - 5 * 3600, UTC)
    assert (item.metrics.likes, item.metrics.comments) == (1203, 88)
    assert item.author.ip_location == "江西"
    assert item.complete


def test_article_detail_lives_on_zhuanlan() -> None:
    url = zhihu.detail_url("article", ART)
    assert url is not None
    item = zhihu.parse_detail(response_from_fixture(url))
    assert item.url == f"https://zhuanlan.zhihu.com/p/{ART}"
    assert item.title == "南昌地铁1号线早高峰故障复盘"


def test_comments_ip_tags_replies_and_next_offset() -> None:
    page = zhihu.parse_comments(
        response_from_fixture(zhihu.comments_url("answer", A1)), "https://x/", f"answer:{A1}"
    )
    assert [c.native_id for c in page.comments] == ["11001001", "11001002", "11001003"]
    assert page.comments.error_count == 1
    assert [c.ip_location for c in page.comments] == ["江西", "上海", None]
    assert page.comments[0].opinion_id == f"zhihu:answer:{A1}"
    assert page.with_replies == ["11001001"]
    assert page.next_offset == "1795600000_11001003_0"
    replies = zhihu.parse_comments(
        response_from_fixture(zhihu.replies_url("11001001")), "https://x/", f"answer:{A1}"
    )
    assert [(r.native_id, r.reply_to) for r in replies.comments] == [
        ("11002001", "11001001"),
        ("11002002", "11002001"),
    ]
    assert replies.next_offset is None


def test_a_repeated_offset_ends_the_paging() -> None:
    url = zhihu.comments_url("answer", A1, "5")
    body = '{"paging": {"is_end": false, "next": "https://www.zhihu.com/x?offset=5"}, "data": []}'
    response = TextResponse(url, body=body.encode(), encoding="utf-8")
    assert zhihu.parse_comments(response, "https://x/", f"answer:{A1}").next_offset is None


def test_members_organisation_badge_plain() -> None:
    org = zhihu.parse_member(response_from_fixture(zhihu.member_url("nanchang-daily")))
    assert (org["followers"], org["verified"], org["verified_type"]) == (560000, True, 7)
    badge = zhihu.parse_member(response_from_fixture(zhihu.member_url("jx-rail")))
    assert (badge["verified_type"], badge["verify_label"]) == (0, "交通运输行业从业者")
    plain = zhihu.parse_member(response_from_fixture(zhihu.member_url("jiulonghu-yezhu")))
    assert (plain["verified"], plain["verified_type"], plain["ip_location"]) == (False, -1, "江西")


def test_the_403_fixture_is_a_block() -> None:
    wall = response_from_fixture(zhihu.search_url("南昌地铁", 0, 20, "a_week"))
    assert wall.status == 403
    with pytest.raises(PayloadError) as caught:
        zhihu.parse_search(wall)
    assert zhihu.block_reason(caught.value) == "client_check"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (
            '{"error": {"code": 40362, "message": "请求存在异常，暂时限制本次访问"}}',
            "abnormal_request",
        ),
        (
            '{"error": {"code": 40352, "redirect": "https://www.zhihu.com/account/unhuman"}}',
            "unhuman",
        ),
        ('{"error": {"code": 101, "name": "ZERR_NOT_LOGIN"}}', None),
    ],
)
def test_error_codes(body: str, reason: str | None) -> None:
    response = TextResponse(zhihu.SEARCH_API, body=body.encode(), encoding="utf-8")
    with pytest.raises(PayloadError) as caught:
        zhihu.parse_search(response)
    assert zhihu.block_reason(caught.value) == reason


def test_ban_rule_sees_the_unhuman_wall_not_a_result_page() -> None:
    [rule] = rules_from_settings(zhihu_settings.BAN_DETECTION_RULES)
    wall = TextResponse(
        zhihu.SEARCH_API,
        status=302,
        headers={"Location": "https://www.zhihu.com/account/unhuman?type=unhuman&need_login=true"},
    )
    assert verdict(rule, wall) == CAPTCHA
    page = response_from_fixture(zhihu.search_url("南昌", 0, 20, "a_week"))
    assert verdict(rule, page) is None
