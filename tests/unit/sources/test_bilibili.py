"""Bilibili's parsers and WBI signature on the fixture answers.

Facts modelled (docs/platforms.md, Bilibili): the published WBI scheme and its test
vector; the `{code, message, data}` envelope with -412 / -352 (+ v_voucher) / -799
as refusals; search `data.result[]` with `<em class="keyword">` titles and epoch-s
`pubdate`; `view/detail` with `View.stat` and the up主's `Card` (Official.role);
comments with pinned `top_replies`, `reply_control.location` "IP属地：…", cursor
`next=0` with `is_end=false`; replies paged by `page.count`.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from scrapy.http import TextResponse

import settings as project
from spiders.bilibili import parse as bilibili
from spiders.bilibili import settings as bili_settings
from spiders.bilibili import wbi
from tests.helpers.fixtures import response_from_fixture
from yuqing_spiders.extract.kit.errors import PayloadError
from yuqing_spiders.fetch.bans import CAPTCHA, rules_from_settings, verdict

WTS = project.SIGNING_REPLAY_TIME  # the fixtures were signed at the replay clock
KEYS = ("5a9f3c2e7d1b48a6b0c4e8f21d7a9b3c", "e41c7b9d2f0a4c6e8b1d3f5a7c9e0b2d")
FLOOD, METRO, PAPER = "BV1Nc4y1A7aQ", "BV1Hx4y1T7kP", "BV1Km4y1Q7zR"


def answer(body: str, url: str = "https://api.bilibili.com/x/any") -> TextResponse:
    return TextResponse(url, body=body.encode(), encoding="utf-8")


def test_wbi_matches_the_published_test_vector() -> None:
    img, sub = "7cd084941338484aae1ad9425b84077c", "4932caff0ff746eab6f01bf08b70ac45"
    assert wbi.mixin_key(img, sub) == "ea1db124af3c7062474693fa704f4ff8"
    signed = wbi.sign({"foo": "114", "bar": "514", "zab": 1919810}, img, sub, 1702204169)
    assert (
        signed
        == "bar=514&foo=114&wts=1702204169&zab=1919810&w_rid=8f6f2b5b3d485fe1886cec6a0be8c5d4"
    )


def test_wbi_strips_marks_and_encodes_spaces_upper_case() -> None:
    query = wbi.encode_query({"keyword": "南昌 (地铁)!", "b": "x*y'"})
    assert query == "b=xy&keyword=%E5%8D%97%E6%98%8C%20%E5%9C%B0%E9%93%81"


def test_nav_gives_the_keys_even_logged_out() -> None:
    nav = response_from_fixture(bilibili.NAV_URL)
    assert bilibili.wbi_keys(nav) == KEYS
    with pytest.raises(PayloadError):
        bilibili.wbi_keys(answer('{"code": -412, "message": "请求被拦截"}'))


def test_search_page_cards_newest_first_one_bad_record_skipped() -> None:
    page = bilibili.parse_search(response_from_fixture(bilibili.search_url("南昌", 1, KEYS, WTS)))
    assert [c["bvid"] for c in page.cards] == [FLOOD, METRO]
    assert page.cards.error_count == 1  # `bvid: null`, `pubdate: "x"`: that record only
    assert page.cards[0]["title"] == "南昌青山湖区一小区地下车库被淹 数十辆车泡水"
    assert page.cards[1]["likes"] == 31000  # "3.1万"
    assert page.pages == 50
    assert page.oldest == WTS - 20 * 3600


def test_detail_fills_every_field_and_the_profile() -> None:
    item = bilibili.parse_detail(response_from_fixture(bilibili.detail_url(METRO)))
    assert item.url == f"https://www.bilibili.com/video/{METRO}"
    assert item.native_id == METRO
    assert item.complete
    assert item.title == "南昌地铁1号线早高峰故障 乘客步行疏散"
    assert item.content
    assert item.content.startswith("今早8点左右")
    assert item.published_at == datetime.fromtimestamp(WTS - 20 * 3600, UTC)
    assert (item.metrics.likes, item.metrics.comments, item.metrics.reposts) == (31000, 854, 2210)
    assert item.metrics.reads == 120034
    assert (item.extra["collects"], item.extra["coins"], item.extra["aid"]) == (
        902,
        1893,
        1105339021,
    )
    assert item.author.name == "赣江边的阿杰"
    assert item.author.id == "17736152"
    assert (item.author.followers, item.author.verified, item.author.verified_type) == (
        1250000,
        True,
        0,  # role 2 大V达人: a personal verification
    )


def test_a_video_without_description_uses_its_title_and_may_lack_the_card() -> None:
    item = bilibili.parse_detail(response_from_fixture(bilibili.detail_url(PAPER)))
    assert item.content == item.title == "实拍南昌红谷滩夜景 秋水广场音乐喷泉"
    assert item.author.followers is None
    assert "profile" not in item.extra


def test_card_maps_official_roles_onto_the_shared_verified_types() -> None:
    profile = bilibili.parse_card(response_from_fixture(bilibili.card_url("493812055")))
    assert profile is not None
    assert (profile["followers"], profile["verified"], profile["verified_type"]) == (
        186000,
        True,
        3,
    )
    assert profile["verify_label"] == "南昌日报官方账号"
    plain = bilibili.card_profile({"card": {"name": "x", "fans": 5, "Official": {"role": 0}}})
    assert plain is not None
    assert (plain["verified"], plain["verified_type"]) == (False, -1)


def test_comments_merge_pinned_skip_bad_records_strip_ip_prefix() -> None:
    url = bilibili.comments_url(1105338877, 0, KEYS, WTS)
    page = bilibili.parse_comments(response_from_fixture(url), FLOOD, first=True)
    ids = [c.native_id for c in page.comments]
    assert ids == ["241100000001", "241100000010", "241100000011", "241100000012"]
    assert page.comments.error_count == 1
    first = page.comments[0]
    assert first.opinion_id == f"bilibili:{FLOOD}"
    assert first.ip_location == "江西"
    assert page.comments[3].ip_location is None  # not shown without a login cookie
    assert page.with_replies == ["241100000010"]
    # next=0 with is_end=false: the caller stops by page count, not by the cursor.
    assert (page.next, page.is_end) == (0, False)


def test_replies_know_their_parent_and_page_count() -> None:
    url = bilibili.replies_url(1105338877, "241100000010", 1)
    replies, pages = bilibili.parse_replies(response_from_fixture(url), FLOOD)
    assert [(r.native_id, r.reply_to) for r in replies] == [
        ("241100000020", "241100000010"),
        ("241100000021", "241100000020"),
    ]
    assert replies[1].extra == {"root": "241100000010"}
    assert pages == 1


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ('{"code":-412,"message":"请求被拦截","ttl":1}', "blocked"),
        ('{"code":-799,"message":"请求过于频繁，请稍后再试","ttl":1}', "too_frequent"),
        ('{"code":0,"message":"0","data":{"v_voucher":"voucher_x"}}', "risk_control"),
        ('{"code":12002,"message":"评论区已关闭"}', None),
    ],
)
def test_refusals_are_blocks_not_empty_results(body: str, reason: str | None) -> None:
    with pytest.raises(PayloadError) as caught:
        bilibili.answer(answer(body))
    assert bilibili.block_reason(caught.value) == reason


def test_the_risk_control_fixture_is_a_block_and_a_ban_verdict() -> None:
    wall = response_from_fixture(bilibili.search_url("南昌地铁", 1, KEYS, WTS))
    with pytest.raises(PayloadError) as caught:
        bilibili.parse_search(wall)
    assert bilibili.block_reason(caught.value) == "risk_control"
    [rule] = rules_from_settings(bili_settings.BAN_DETECTION_RULES)
    assert verdict(rule, wall) == CAPTCHA
    # A result page that merely quotes the code in a title is not a wall.
    page = response_from_fixture(bilibili.search_url("南昌", 1, KEYS, WTS))
    assert verdict(rule, page) is None


def test_visitor_cookie_from_spi() -> None:
    body = response_from_fixture(bilibili.SPI_URL).text
    assert bilibili.visitor_cookie(body).startswith("buvid3=0F1E2D3C-")
    with pytest.raises(PayloadError):
        bilibili.visitor_cookie('{"code":-400,"data":{}}')


def test_registry_parser_reads_a_saved_detail_answer() -> None:
    url = bilibili.detail_url(FLOOD)
    [(pattern, parser)] = bilibili.URL_PARSERS
    assert pattern.match(url)
    assert parser(response_from_fixture(url)).native_id == FLOOD
