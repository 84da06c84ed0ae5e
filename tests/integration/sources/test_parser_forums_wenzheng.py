"""Discuz boards (大江论坛) and the 问政 boards: 领导留言板, 问政江西, 南昌 12345.

Discuz fixtures model sources.md §6.2–6.3 (GBK, `forum-<fid>-<p>.html`,
`thread-<tid>-1-1.html`, rows `tbody[id^=normalthread_]` with `a.s.xst`, `td.by`,
`td.num`, post text `td.t_f`). 领导留言板 fixtures model §7.1 (U-WZ: the signed body,
`resultData.lastItem`, `data.data[]`, `contentList` dataType 1/4, states 待回复 /
办理中 / 已办理, SN0006). 问政江西 fixtures model §7.2 (`/ms/viewpage/YYYYMM/view_<id>
.html`, the message followed by a labelled official reply). The 12345 board has no
public description (§7.3): its layout is a typical government 互动交流 column.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

import pymongo
import pytest

from pipelines.mongo_writer import Spool, Writer
from spiders._base.wenzheng import normalise_status
from spiders.discuz import parse as discuz
from spiders.gov_board import parse as gov_board
from spiders.liuyan import parse as liuyan
from spiders.wenz import parse as wenz
from tests.helpers.fixtures import response_from_fixture
from yuqing_spiders.extract.kit.social import load_json
from yuqing_spiders.store.documents import to_document

BBS = "https://bbs.jxnews.com.cn/"
TEMPLATE = BBS + "thread-{tid}-{page}-1.html"


# --- Discuz ----------------------------------------------------------------------------


def test_board_page_in_gbk():
    response = response_from_fixture(BBS + "forum-258-1.html")
    assert response.encoding in ("gbk", "gb18030", "cp936")
    page = discuz.parse_board(response, TEMPLATE)
    assert page.board == "百姓呼声"
    assert [(t.tid, t.sticky) for t in page.threads] == [
        ("4100001", True),
        ("4123401", False),
        ("4123402", False),
        ("4123403", False),
    ]
    ktv = page.threads[1]
    assert ktv.title == "新建区长堎镇某小区楼下KTV噪音扰民半年无人管"
    assert (ktv.author, ktv.replies, ktv.views) == ("长堎居民", 4, 1568)
    assert ktv.posted == "2026-11-25 22:41"  # the span's title, not "昨天 22:41"
    assert ktv.url == BBS + "thread-4123401-1-1.html"
    assert page.next_page == BBS + "forum-258-2.html"


def test_thread_pages_give_the_item_and_numbered_floors():
    first = discuz.parse_thread(
        response_from_fixture(BBS + "thread-4123401-1-1.html"), "dajiang_bbs", TEMPLATE
    )
    item = first.item
    assert item.native_id == "4123401"
    assert item.url == BBS + "thread-4123401-1-1.html"
    assert (
        item.content.splitlines()[0]
        == "小区是长堎大道边上的，楼下商铺开了一家KTV，每天晚上唱到凌晨两三点。"
    )
    assert (item.metrics.comments, item.metrics.reads) == (4, 1568)
    assert item.published_at == datetime(2026, 11, 25, 14, 41, 7, tzinfo=UTC)
    assert item.author.name == "长堎居民"
    assert item.media.name == "百姓呼声"
    assert item.complete
    assert [f.floor for f in first.floors] == [2, 3]  # 沙发, 板凳
    quoted = first.floors[0]
    assert quoted.content == "同一个小区的，确实吵，窗户关上都能听到低音炮"  # the quote is dropped
    assert quoted.opinion_id == "dajiang_bbs:4123401"
    assert quoted.native_id == "9876502"
    assert quoted.author.id == "882301"
    assert first.next_page == BBS + "thread-4123401-2-1.html"
    second = discuz.parse_thread(
        response_from_fixture(BBS + "thread-4123401-2-1.html"), "dajiang_bbs", TEMPLATE
    )
    assert second.item is None
    assert second.page == 2
    assert [f.floor for f in second.floors] == [4, 5]  # 地板, 5#
    assert second.floors[1].content == "顶上去，让更多人看到"  # the edit note is dropped
    assert second.floors[1].published_at == datetime(2026, 11, 26, 0, 12, 40, tzinfo=UTC)


def test_permission_notice_is_recognised():
    refused = response_from_fixture(BBS + "thread-4123403-1-1.html")
    assert discuz.restriction(refused) == "抱歉，本帖要求阅读权限高于 10 才能浏览"
    assert discuz.parse_thread(refused, "dajiang_bbs", TEMPLATE).item is None
    assert discuz.restriction(response_from_fixture(BBS + "thread-4123402-1-1.html")) is None


# --- 领导留言板 ---------------------------------------------------------------------------


def test_signature_follows_the_documented_formula():
    # U-WZ's vector: md5("PC42ce3bfa4980a9")[:16] == "a2eb17f65d6f4b3f".
    app = "PC42ce3bfa4980a9"
    assert hashlib.md5(app.encode(), usedforsecurity=False).hexdigest()[:16] == "a2eb17f65d6f4b3f"
    param = liuyan.param_json({"tid": 21876543})
    assert param == '{"tid":21876543}'
    expected = hashlib.md5(
        f"/v1/threads/content{param}a2eb17f65d6f4b3f".encode(), usedforsecurity=False
    ).hexdigest()
    assert liuyan.signature("/v1/threads/content", param, app) == expected
    # The query is not signed: the search path signs as /v2/threads/search.
    assert liuyan.signature(liuyan.SEARCH_PATH, param, app) == liuyan.signature(
        "/v2/threads/search", param, app
    )
    body = json.loads(liuyan.signed_body(liuyan.LIST_PATH, liuyan.list_param(5391), app))
    assert list(body) == ["appCode", "token", "signature", "param"]
    assert body["token"] == ""
    assert list(json.loads(body["param"])) == [  # the front end's key order
        "fid",
        "showUnAnswer",
        "typeId",
        "lastItem",
        "position",
        "rows",
        "orderType",
    ]


def test_app_code_comes_from_site_config():
    home = response_from_fixture("https://liuyan.people.com.cn/")
    assert liuyan.app_code_from(home.text) == "PC42ce3bfa4980a9"


def test_boards_are_found_by_name_in_the_forum_list():
    known = liuyan.boards_in(_json("https://liuyan.people.com.cn/v1/forum/getTopForums"))
    assert liuyan.Board("539", "江西省") in known
    assert liuyan.Board("5391", "南昌市") in known
    resolved = liuyan.resolve_boards(
        [{"name": "江西省"}, {"name": "南昌市"}, {"name": "抚州市"}, {"name": "X", "fid": 7}], known
    )
    assert [(b.fid, b.name) for b in resolved] == [
        ("539", "江西省"),
        ("5391", "南昌市"),
        ("7", "X"),
    ]


def test_leadership_board_thread_with_its_reply_and_status():
    # The "done when" case: /v1/threads/content → the message, two official replies
    # (the forwarding note, then the handling result) and the state 已办理.
    item = liuyan.parse_detail(_json("https://liuyan.people.com.cn/v1/threads/content"))
    assert item.native_id == "21876543"
    assert item.url == "https://liuyan.people.com.cn/threads/content?tid=21876543"
    assert item.title == "红谷滩区凤凰洲某小区开发商延期交房两年，业主维权无门"
    assert item.content.startswith("尊敬的领导：我们是红谷滩区凤凰洲某小区的业主")
    assert item.status == "已办理"
    assert item.extra["status_label"] == "已办理"
    replies = item.extra["official_replies"]
    assert [r["organization"] for r in replies] == [
        "南昌市住房和城乡建设局",
        "南昌市红谷滩区住房和城乡建设局",
    ]
    assert replies[1]["replied_at"] == datetime(2026, 11, 21, 8, 45, tzinfo=UTC)
    assert "已于11月18日复工" in replies[1]["content"]
    assert item.published_at == datetime(2026, 11, 10, 13, 36, tzinfo=UTC)
    assert item.media.name == "南昌市委书记"
    assert (item.extra["type"], item.extra["domain"]) == ("投诉", "城建")
    assert item.complete


def test_list_rows_carry_their_states():
    page = liuyan.parse_list(_json("https://liuyan.people.com.cn/v1/threads/list/df"))
    assert page.last_item == "21876543"
    items = [liuyan.row_item(row) for row in page.rows]
    assert [(i.native_id, i.status) for i in items] == [
        ("21876545", "待回复"),
        ("21876544", "办理中"),
        ("21876543", "已办理"),
    ]
    assert all(i.complete and "official_replies" not in i.extra for i in items)


def test_search_hits_are_kept_for_the_monitored_area_only():
    rows = liuyan.parse_search(_json("https://liuyan.people.com.cn/v2/threads/search?sortType=0"))
    kept = [r["tid"] for r in rows if liuyan.in_area(r, ["南昌", "江西"])]
    assert kept == [21876546, 21876543]  # the 长沙 hit is elsewhere


def test_bad_signature_answer_is_an_error_not_a_thread():
    # The documented answer to a missing/bad signature (HTTP 200).
    error = json.loads('{"code":"SN0006","msg":"数据格式错误"}')
    assert liuyan.api_error(error) == "SN0006"
    assert liuyan.parse_detail(error) is None
    assert liuyan.parse_list(error).rows == []
    assert liuyan.api_error(None) == "invalid_json"
    assert liuyan.api_error(_json("https://liuyan.people.com.cn/v1/threads/list/df")) is None


# --- 问政江西 ---------------------------------------------------------------------------


def test_wenz_message_with_labelled_reply():
    url = wenz.view_url(481703, "202611")
    response = response_from_fixture(url)
    assert wenz.is_message(response)
    item = wenz.parse_view(response)
    assert item.native_id == "481703"
    assert item.title == "南昌县向塘镇自来水发黄有异味"
    assert item.author.name == "向塘镇居民"
    assert item.published_at == datetime(2026, 11, 23, 23, 55, tzinfo=UTC)
    assert item.status == "已办理"
    assert item.extra["status_label"] == "已办结"
    assert item.extra["addressee"] == "南昌县人民政府"
    [reply] = item.extra["official_replies"]
    assert reply["organization"] == "南昌县水务局"
    assert reply["replied_at"] == datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
    assert item.complete


@pytest.mark.parametrize(
    ("message_id", "month", "status"),
    [(481700, "202611", "办理中"), (481701, "202611", "待回复")],
)
def test_wenz_states(message_id, month, status):
    assert wenz.parse_view(response_from_fixture(wenz.view_url(message_id, month))).status == status


def test_wenz_gone_page_and_months():
    assert not wenz.is_message(response_from_fixture(wenz.view_url(481702, "202611")))
    assert wenz.next_month("202611") == "202612"
    assert wenz.next_month("202612") == "202701"


# --- 南昌 12345 (gov_board) --------------------------------------------------------------


BOARD = gov_board.BoardConfig.from_options(
    "nc12345",
    {
        "board": {
            "row": "ul.rx-list > li",
            "link": "a.rx-title::attr(href)",
            "row_status": "span.rx-state::text",
            "next": "div.page a.next::attr(href)",
            "title": "h1.xj-title",
            "content": "div.xj-content",
            "reply": "div.hf-content",
            "fields": "div.xj-info span, div.hf-info span",
            "id": r"/t\d{8}_(\d+)\.shtml",
        }
    },
)


def test_board_list_and_message():
    page = gov_board.parse_list(response_from_fixture("https://www.nc.gov.cn/ncszf/szrx/"), BOARD)
    assert [r.status for r in page.rows] == ["已办结", "办理中"]
    assert page.next_page == "https://www.nc.gov.cn/ncszf/szrx/index_1.shtml"
    last = gov_board.parse_list(response_from_fixture(page.next_page), BOARD)
    assert last.next_page is None  # the last page's 下一页 is javascript:
    item = gov_board.parse_message(response_from_fixture(page.rows[0].url), BOARD, "nc12345")
    assert item.native_id == "6131001"
    assert item.status == "已办理"
    assert item.author.name == "王**"
    assert item.extra["official_replies"][0]["organization"] == "红谷滩区沙井街道办事处"
    assert item.complete


def test_board_config_must_name_its_selectors():
    with pytest.raises(ValueError, match="lacks link, title"):
        gov_board.BoardConfig.from_options("x", {"board": {"row": "li", "content": "div"}})


@pytest.mark.parametrize(
    ("label", "reply", "expected"),
    [
        ("待回复", False, "待回复"),
        ("受理中", False, "办理中"),
        ("已办结", False, "已办理"),
        ("", True, "已办理"),
        ("", False, None),
    ],
)
def test_status_words_map_to_three_states(label, reply, expected):
    assert normalise_status(label, reply) == expected


def _json(url: str) -> dict:
    return load_json(response_from_fixture(url).text)


def test_a_change_of_state_is_a_new_metrics_point(mongo_uri, mongo_db, mongo_db_name, tmp_path):
    # 领导留言板 states 待回复 → 已办理 (RSSHub people/liuyan.ts): the same thread crawled
    # twice, before and after its reply, keeps one document and gains a second point.
    row = liuyan.parse_list(_json("https://liuyan.people.com.cn/v1/threads/list/df")).rows[2]
    before = liuyan.row_item({**row, "stateInfo": "待回复"})
    after = liuyan.parse_detail(_json("https://liuyan.people.com.cn/v1/threads/content"))
    for n, item in enumerate((before, after)):
        item.id = f"liuyan:{item.native_id}"
        item.crawled_at = datetime(2026, 11, 20 + n, 8, 0, tzinfo=UTC)
    client = pymongo.MongoClient(mongo_uri, tz_aware=True)
    writer = Writer(client, mongo_db_name, Spool(tmp_path / "spool"), retry_interval=0.1)
    writer.open()
    writer.write([to_document(before)])
    writer.write([to_document(after)])
    writer.close()
    client.close()
    points = list(mongo_db.opinion_metrics.find({"opinion_id": "liuyan:21876543"}).sort("at"))
    assert [p["status"] for p in points] == ["待回复", "已办理"]
    stored = mongo_db.opinions.find_one({"_id": "liuyan:21876543"})
    assert stored["status"] == "已办理"
    assert len(stored["extra"]["official_replies"]) == 2
