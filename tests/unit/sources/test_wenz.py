"""问政江西 (spiders/wenz/parse.py).

The fixtures model the sites' public pages: `/ms/viewpage/YYYYMM/view_<id>.html` pages, the
message followed by a labelled official reply, its states, and a page that is gone.
Messages, names and ids are invented.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from spiders.wenz import parse as wenz
from tests.helpers.fixtures import response_from_fixture


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
