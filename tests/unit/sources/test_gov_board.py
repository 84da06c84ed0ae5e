"""The 南昌 12345 board (spiders/gov_board/parse.py), a configured 问政 board.

The board has no public description: its fixtures model a typical
government 互动交流 column — a list of rows with a state, a 下一页 link (javascript:
on the last page), and message pages with the official reply. Messages, names and
ids are invented.
"""

from __future__ import annotations

import pytest

from spiders.gov_board import parse as gov_board
from tests.helpers.fixtures import response_from_fixture

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
