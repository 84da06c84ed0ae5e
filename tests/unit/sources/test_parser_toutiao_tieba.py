"""今日头条 search/articles and 百度贴吧 JSON API/legacy pages (parsers/toutiao.py, tieba.py).

Toutiao fixtures model sources.md §5.2 (U-TT, NC): per-card JSON islands
`script[data-druid-card-data-id]`, page 0's search id reused for paging, an empty
bootstrap shell, `www.toutiao.com/article/<id>/` with `h1`, `div.article-meta`,
`article`, and the `__ac_nonce` JS challenge. Tieba fixtures model §6.1 (MC 2026
rewrite; RSSHub legacy): the sync/frs/pb JSON shapes, the legacy bar list hidden in
an HTML comment, legacy thread floors with data-field JSON and tail-info, and the
百度安全验证 page. Posts, names and ids are invented.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from scrapy.http import TextResponse

from spiders.tieba import parse as tieba
from spiders.toutiao import parse as toutiao
from tests.helpers.fixtures import response_from_fixture
from yuqing_spiders.extract.kit.social import load_json

SEARCH_ID = "2026112609204501015814102A3B4C5D"


def _json(url: str) -> dict:
    return load_json(response_from_fixture(url).text)


# --- Toutiao ---------------------------------------------------------------------------


def test_search_cards_keep_articles_only_and_give_the_search_id():
    # Models U-TT: JSON cards; article_url | share_url | display.info.url; search_id.
    page = toutiao.parse_search(response_from_fixture(toutiao.search_url("南昌城管")))
    assert page.search_id == SEARCH_ID
    assert page.card_count == 5  # 3 articles, a related-search card, a video elsewhere
    assert page.other_links == 2
    assert [c.url for c in page.cards] == [
        "https://www.toutiao.com/article/7441102233445566778/",  # from toutiao.com/group/
        "https://www.toutiao.com/article/7441205566778899001/",
        "https://www.toutiao.com/article/7441088776655443322/",  # from display.info.url
    ]
    first, _, third = page.cards
    assert (first.media, first.comments) == ("南昌晚报", 38)
    assert (third.media, third.comments) == ("江西新闻客户端", 216)  # "216" as a string


def test_next_page_url_carries_page_zeros_search_id():
    url = toutiao.search_url("南昌城管", 1, SEARCH_ID)
    assert url.endswith(
        "&source=pagination&action_type=pagination&page_num=1"
        f"&search_id={SEARCH_ID}&from=search_tab&cur_tab_title=search_tab"
    )
    assert len(toutiao.parse_search(response_from_fixture(url)).cards) == 1


def test_empty_bootstrap_shell_is_recognised():
    shell = response_from_fixture(toutiao.search_url("红谷滩停车"))
    assert toutiao.is_shell(shell)
    assert not toutiao.is_shell(response_from_fixture(toutiao.search_url("南昌城管")))


def test_article_page_with_its_card():
    card = toutiao.parse_search(response_from_fixture(toutiao.search_url("南昌城管"))).cards[0]
    page = response_from_fixture(card.url)
    assert not toutiao.is_challenge(page)
    item = toutiao.parse_article(page, card.to_meta())
    assert item.title == card.title
    assert item.native_id == "7441102233445566778"
    assert item.published_at == datetime(2026, 11, 25, 11, 42, tzinfo=UTC)
    assert item.author.name == item.media.name == "南昌晚报"
    assert item.metrics.comments == 38  # from the card: the page shows no counter
    assert item.content.startswith("近日，有市民通过12345热线反映")
    assert item.complete


def test_js_challenge_is_recognised_and_the_card_alone_is_incomplete():
    # Models NC/SomeCrawl: without a first visit's cookies, the __ac_nonce challenge.
    cards = toutiao.parse_search(response_from_fixture(toutiao.search_url("南昌城管"))).cards
    challenge = response_from_fixture(cards[1].url)
    assert toutiao.is_challenge(challenge)
    item = toutiao.card_item(cards[1].to_meta())
    assert not item.complete
    assert item.missing == ["content"]
    assert item.title.startswith("南昌某小区门口城管暴力执法")
    assert item.metrics.comments == 1204


# --- Tieba -----------------------------------------------------------------------------


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
    data = _json(tieba.FRS_URL)
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
    thread = tieba.parse_pb(_json(tieba.PB_URL))
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
