"""网易 (spiders/netease/parse.py): the JSONP lists.

The fixtures model the sites' public pages: `data_callback([...])` lists with US-style times and
`html/@data-publishtime` articles (`div.post_body`, 网易号 `.post_wemedia_name`). All text
and expected values are invented; the article fixtures are checked in
test_portal_articles.py.
"""

from __future__ import annotations

from spiders.netease import parse as netease
from tests.helpers.fixtures import response_from_fixture
from tests.helpers.times import utc


def test_netease_jsonp_list_reads_us_times_and_comment_counts():
    entries = netease.parse_list(response_from_fixture("https://news.163.com/special/cm_guonei/"))
    assert [e.native_id for e in entries] == [
        "JH3A8K2L000189FH",
        "JH3C1V7F05346KF7",
    ]  # no photo set
    assert entries[0].published_at == utc(2026, 11, 24, 23, 58, 31)
    assert entries[0].comments == 356
    assert netease.list_time("11/25/2026 07:58:31") == "2026-11-25 07:58:31"
