"""领导留言板 (spiders/liuyan/parse.py).

The fixtures model the sites' public pages (U-WZ): the appCode in the site config, the signed
body, the forum list, `resultData.lastItem`, `data.data[]`, `contentList` dataType
1/4, states 待回复 / 办理中 / 已办理, search hits outside the monitored area, and the
SN0006 answer to a bad signature. Messages, names and ids are invented.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from spiders.liuyan import parse as liuyan
from tests.helpers.fixtures import json_from_fixture, response_from_fixture


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
    known = liuyan.boards_in(
        json_from_fixture("https://liuyan.people.com.cn/v1/forum/getTopForums")
    )
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
    item = liuyan.parse_detail(json_from_fixture("https://liuyan.people.com.cn/v1/threads/content"))
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
    page = liuyan.parse_list(json_from_fixture("https://liuyan.people.com.cn/v1/threads/list/df"))
    assert page.last_item == "21876543"
    items = [liuyan.row_item(row) for row in page.rows]
    assert [(i.native_id, i.status) for i in items] == [
        ("21876545", "待回复"),
        ("21876544", "办理中"),
        ("21876543", "已办理"),
    ]
    assert all(i.complete and "official_replies" not in i.extra for i in items)


def test_search_hits_are_kept_for_the_monitored_area_only():
    rows = liuyan.parse_search(
        json_from_fixture("https://liuyan.people.com.cn/v2/threads/search?sortType=0")
    )
    kept = [r["tid"] for r in rows if liuyan.in_area(r, ["南昌", "江西"])]
    assert kept == [21876546, 21876543]  # the 长沙 hit is elsewhere


def test_bad_signature_answer_is_an_error_not_a_thread():
    # The documented answer to a missing/bad signature (HTTP 200).
    error = json.loads('{"code":"SN0006","msg":"数据格式错误"}')
    assert liuyan.api_error(error) == "SN0006"
    assert liuyan.parse_detail(error) is None
    assert liuyan.parse_list(error).rows == []
    assert liuyan.api_error(None) == "invalid_json"
    assert (
        liuyan.api_error(json_from_fixture("https://liuyan.people.com.cn/v1/threads/list/df"))
        is None
    )
