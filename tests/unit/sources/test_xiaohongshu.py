"""Xiaohongshu's parsers on the fixture answers and pages.

Facts modelled (docs/platforms.md, Xiaohongshu): search `data.items[]` with
`model_type` note / rec_query, `xsec_token`, `note_card` (display_title, exact
`liked_count`, `red_official_verify_type`), `has_more`; the note page's
`window.__INITIAL_STATE__` with JS `undefined` values and camelCase string counts
("1.2万"), epoch-ms `time`, `ipLocation`; comments with embedded `sub_comments`,
`sub_comment_has_more` / `sub_comment_cursor`, `target_comment.id`, a missing
`has_more`; the profile page's `interactions`; the client-made `search_id`; the
verification page and body codes 300011-300013.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from scrapy.http import HtmlResponse, TextResponse

import settings as project
from spiders.xiaohongshu import parse as xhs
from spiders.xiaohongshu import settings as xhs_settings
from tests.helpers.fixtures import response_from_fixture
from yuqing_spiders.extract.kit.errors import PayloadError
from yuqing_spiders.fetch.bans import BAN, rules_from_settings, verdict

T0 = project.SIGNING_REPLAY_TIME  # the fixtures' "now" (the replay clock)
N1, N2 = "6745a1b2c3d4e5f601234567", "6745a1b2c3d4e5f601234568"
TOKEN1 = "ABstandinTokenN1xx0a1b2c3d4e5f6="  # noqa: S105 - an invented xsec_token


def test_search_id_is_base36_of_ms_shifted_plus_salt() -> None:
    assert xhs.search_id(1, 0) == "3w5e11264sgsg"  # 2**64 in base 36
    assert xhs.search_id(1_795_658_400_000, 5) != xhs.search_id(1_795_658_400_000, 6)


def test_search_body_asks_newest_first_within_the_preset() -> None:
    body = json.loads(xhs.search_body("南昌", 2, 20, "abc", xhs.time_filter(48)))
    assert (body["page"], body["sort"], body["search_id"]) == (2, "time_descending", "abc")
    assert {"tags": ["一周内"], "type": "filter_note_time"} in body["filters"]
    assert [xhs.time_filter(h) for h in (0, 10, 24 * 30, 24 * 400)] == [
        "不限",
        "一天内",
        "半年内",
        "不限",
    ]


def test_search_cards_skip_suggestions_and_broken_records() -> None:
    page = xhs.parse_search(response_from_fixture(xhs.API + xhs.SEARCH_URI))
    assert [c["id"] for c in page.cards] == [N1, N2, "6745a1b2c3d4e5f601234569"]
    assert page.cards.error_count == 1
    assert page.cards[1]["likes"] == 12001
    assert page.cards[1]["verify_type"] == 1
    assert page.has_more is False


def test_note_page_state_with_undefined_values() -> None:
    card = xhs.parse_search(response_from_fixture(xhs.API + xhs.SEARCH_URI)).cards[1]
    item = xhs.parse_note_page(response_from_fixture(xhs.note_url(N2, card["xsec_token"])), card)
    assert item.url == f"https://www.xiaohongshu.com/explore/{N2}"
    assert item.title == "南昌地铁1号线今早停运 记录一下"
    assert item.published_at == datetime.fromtimestamp(T0 - 21 * 3600, UTC)
    assert (item.metrics.likes, item.metrics.comments, item.metrics.reposts) == (12001, 320, 88)
    assert item.extra["collects"] == 3001
    assert (item.author.verified, item.author.verified_type) == (True, 0)
    assert item.author.ip_location == "江西"
    assert item.keywords == ["南昌地铁"]
    alone = xhs.parse_note_page(response_from_fixture(xhs.note_url(N2, card["xsec_token"])))
    assert alone.metrics.likes == 12000  # without the card: the page's rounded "1.2万"


def test_the_verification_page_is_a_block() -> None:
    url = xhs.note_url("6745a1b2c3d4e5f60123456a", "ABstandinTokenWallxx0a1b2c3d4e5f6=")
    with pytest.raises(PayloadError) as caught:
        xhs.parse_note_page(response_from_fixture(url))
    assert xhs.block_reason(caught.value) == "verify_page"


@pytest.mark.parametrize(
    ("code", "reason"),
    [(300011, "account_abnormal"), (300012, "ip_blocked"), (300013, "too_frequent"), (-104, None)],
)
def test_body_codes(code: int, reason: str | None) -> None:
    body = json.dumps({"code": code, "success": False, "msg": "x"})
    with pytest.raises(PayloadError) as caught:
        xhs.parse_search(TextResponse(xhs.API, body=body.encode(), encoding="utf-8"))
    assert xhs.block_reason(caught.value) == reason


def test_captcha_status_is_a_ban_for_the_middleware() -> None:
    [rule] = rules_from_settings(xhs_settings.BAN_DETECTION_RULES)
    wall = HtmlResponse(
        xhs.API + xhs.SEARCH_URI, status=461, headers={"Verifytype": "102", "Verifyuuid": "x"}
    )
    assert verdict(rule, wall) == BAN
    assert verdict(rule, response_from_fixture(xhs.API + xhs.SEARCH_URI)) is None


def test_comments_embedded_replies_and_more_to_fetch() -> None:
    page = xhs.parse_comments(response_from_fixture(xhs.API + xhs.comments_uri(N1, "", TOKEN1)), N1)
    assert [(c.native_id, c.reply_to) for c in page.comments] == [
        ("67460000000000000000a001", None),
        ("67460000000000000000a002", "67460000000000000000a001"),
        ("67460000000000000000a003", None),
    ]
    assert page.comments.error_count == 1
    assert page.comments[0].replies == 3
    assert page.comments[2].ip_location == "广东"
    assert page.more_replies == [("67460000000000000000a001", "67460000000000000000a002")]
    assert page.has_more is False


def test_a_missing_has_more_ends_when_the_cursor_stands_still() -> None:
    token = "ABstandinTokenN2xx0a1b2c3d4e5f6="  # noqa: S105 - an invented xsec_token
    page = xhs.parse_comments(response_from_fixture(xhs.API + xhs.comments_uri(N2, "", token)), N2)
    assert [c.native_id for c in page.comments] == ["67460000000000000000b001"]
    assert page.has_more is False
    moving = TextResponse(
        xhs.API, body=b'{"code":0,"data":{"cursor":"c2","comments":[]}}', encoding="utf-8"
    )
    assert xhs.parse_comments(moving, N2, cursor_sent="c1").has_more is True
    assert xhs.parse_comments(moving, N2, cursor_sent="c2").has_more is False


def test_profile_page_fans_and_ip() -> None:
    profile = xhs.parse_profile_page(
        response_from_fixture(xhs.profile_url("5f0a1b2c3d4e5f6a7b8c9d02"))
    )
    assert profile == {"name": "南昌通勤记", "followers": 156000, "ip_location": "江西"}
