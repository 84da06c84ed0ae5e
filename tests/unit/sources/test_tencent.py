"""腾讯 (spiders/tencent/parse.py): the getPCList answer and URLs.

The fixtures model the sites' public pages: getPCList `data[]` with aggregate cards and
`window.DATA` articles (`.rich_media_content`). All text and expected values are
invented; the article fixtures are checked in test_portal_articles.py.
"""

from __future__ import annotations

from spiders.tencent import parse as tencent
from tests.helpers.fixtures import response_from_fixture


def test_tencent_list_skips_aggregate_cards():
    entries = tencent.parse_list(response_from_fixture(tencent.LIST_API))
    assert [e.native_id for e in entries] == ["20261125A03XYZ00", "20261124A07MNO00"]
    assert entries[1].url == "https://news.qq.com/rain/a/20261124A07MNO00"  # built from the id
    body = tencent.list_body("news_news_top", "x" * 36, 2)
    assert body["channel_id"] == "news_news_top"
    assert body["flush_num"] == 2
    assert body["qimei36"] == body["device_id"]


def test_tencent_canonical_url_unifies_hosts():
    assert tencent.canonical_url("https://new.qq.com/omn/20261125/20261125A03XYZ00.html") == (
        "https://news.qq.com/rain/a/20261125A03XYZ00"
    )
