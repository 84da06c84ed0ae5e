"""百度贴吧 JSON API and legacy pages (spiders/tieba/parse.py).

The fixtures model the sites' public pages (MC 2026 rewrite; RSSHub legacy): the sync/frs/pb
JSON shapes, the legacy bar list hidden in an HTML comment, legacy thread floors with
data-field JSON and tail-info, and the 百度安全验证 page. Posts, names and ids are
invented.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from scrapy.http import TextResponse

from spiders.tieba import parse as tieba
from tests.helpers.fixtures import json_from_fixture, response_from_fixture


def test_sign_is_md5_of_sorted_pairs_and_the_secret():
    # Test vector computed with coreutils: printf '%s' \
    #   '_client_type=20kw=南昌pn=1subapp_type=pctbs=abctiebaclient!!!' | md5sum
    params = {"kw": "南昌", "pn": 1, "tbs": "abc", "subapp_type": "pc", "_client_type": 20}
    assert tieba.sign(params, "tiebaclient!!!") == "513e0aa596490f0cccd05813c3f656fd"
    assert tieba.sign({**params, "sign": "old"}, "tiebaclient!!!") == tieba.sign(
        dict(reversed(list(params.items()))), "tiebaclient!!!"
    )
    form = tieba.pb_form("9231456701", 1, "abc", "s3cret")
    assert form["kz"] == "9231456701"
    assert form["subapp_type"] == "pc"
    assert form["sign"] == tieba.sign({k: v for k, v in form.items() if k != "sign"}, "s3cret")


def test_sync_gives_tbs_and_frs_gives_the_bars_threads():
    assert tieba.parse_tbs(response_from_fixture(tieba.SYNC_URL)) == "6f1b3c5d7e9f0a1b1764120012"
    data = json_from_fixture(tieba.FRS_URL)
    assert tieba.api_error(data) is None
    page = tieba.parse_frs(data)
    assert page.bar == "南昌"
    assert [t.tid for t in page.threads] == ["9231456701", "9231456702", "9231456703"]
    assert page.threads[0].replies == 4
    assert page.has_more


def test_frs_falls_back_to_the_tids_string():
    page = tieba.parse_frs({"forum": {"name": "南昌", "tids": "11,22, 33"}})
    assert [t.tid for t in page.threads] == ["11", "22", "33"]


def test_json_thread_with_floors():
    # The "done when" case: pb/page_pc → the thread (first floor) and floors 2-5.
    thread = tieba.parse_pb(json_from_fixture(tieba.PB_URL))
    item = thread.item
    assert thread.tid == "9231456701"
    assert item.native_id == "9231456701"
    assert item.url == "https://tieba.baidu.com/p/9231456701"
    assert item.title == "红谷滩万达附近的停车场收费太离谱了吧"
    assert item.content.splitlines() == [
        "停了两个小时收了四十块，问了收费员说是节假日标准，可今天也不是节假日啊。",
        "门口的收费牌被挡住了一半，根本看不清。有没有人知道该找哪个部门投诉？",
    ]
    assert item.metrics.comments == 4
    assert item.author.name == "洪城老司机"
    assert item.media.name == "南昌吧"
    assert item.published_at == datetime(2026, 11, 25, 12, 41, tzinfo=UTC)
    assert item.complete
    assert [f.floor for f in thread.floors] == [2, 3, 4, 5]
    second = thread.floors[0]
    assert second.opinion_id == "tieba:9231456701"
    assert second.native_id == "150123450002"
    assert second.author.name == "下雨天不想上班"
    assert (second.replies, second.likes, second.ip_location) == (3, 12, "江西")
    assert thread.floors[1].ip_location == "广东"
    assert "12345" in thread.floors[1].content


def test_legacy_thread_with_floors():
    response = response_from_fixture("https://tieba.baidu.com/p/9231456702")
    thread = tieba.parse_legacy_thread(response)
    assert thread.item.title == "南昌县莲塘这边的学校门口每天早上堵得水泄不通"
    assert thread.item.content.splitlines()[1] == "交警偶尔来一次，走了又是老样子。"  # <br>
    assert thread.item.metrics.comments == 3  # l_reply_num
    assert thread.item.author.name == "莲塘小王"
    assert thread.item.published_at == datetime(2026, 11, 24, 23, 58, tzinfo=UTC)
    assert [(f.floor, f.native_id) for f in thread.floors] == [
        (2, "150123460002"),
        (3, "150123460003"),
        (4, "150123460004"),
    ]
    assert thread.floors[0].replies == 2  # content.comment_num
    assert thread.floors[2].ip_location == "浙江"
    assert thread.total_pages == 1


def test_legacy_bar_list_hidden_in_a_comment():
    response = response_from_fixture(tieba.legacy_bar_url("南昌大学"))
    page = tieba.parse_legacy_bar(response)
    assert page.bar == "南昌大学"
    assert [(t.tid, t.replies) for t in page.threads] == [("9231456705", 5), ("9231456706", 8)]
    assert page.threads[1].title == "南大附近的黑车晚上在地铁口拉客，大家注意安全"
    assert page.threads[1].author == "夜归人"
    assert page.has_more
    assert tieba.legacy_bar_url("南昌大学", 2).endswith("&pn=50")


def test_captcha_page_and_api_errors():
    captcha = response_from_fixture("https://tieba.baidu.com/p/9231456706")
    assert tieba.is_antispider(captcha)
    assert tieba.parse_legacy_thread(captcha).item is None
    assert not tieba.is_antispider(response_from_fixture("https://tieba.baidu.com/p/9231456702"))
    as_json = TextResponse(url=tieba.PB_URL, body=captcha.body, encoding="utf-8")
    assert tieba.is_antispider(as_json)  # the captcha under an API URL, read as text
    assert tieba.api_error(None) == "invalid_json"
    assert tieba.api_error({"error_code": "110003", "error_msg": "sign error"}) == "110003"
    assert tieba.api_error(json.loads('{"error_code": 0}')) is None


def test_list_row_makes_an_incomplete_thread():
    ref = tieba.parse_legacy_bar(response_from_fixture(tieba.legacy_bar_url("南昌大学"))).threads[1]
    item = tieba.ref_item(ref.to_meta())
    assert item.native_id == "9231456706"
    assert item.metrics.comments == 8
    assert not item.complete
    assert "content" in item.missing
    assert item.extra["abstract"].startswith("昨晚十一点多")
