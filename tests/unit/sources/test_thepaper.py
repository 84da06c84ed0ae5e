"""澎湃's channel and search answers and its article pages (spiders/thepaper/parse.py).

The fixtures model the sites' public pages: the channel-list answer `data.list[]`
(`contId`, `pubTimeLong` in ms, `praiseTimes`), search rows of the same shape with
`<font>` highlights, the error answer `{"code": 10001}`. The article fixtures
themselves are checked in test_news_articles.py. Texts and ids are invented.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from scrapy.http import HtmlResponse

from spiders.thepaper import parse as thepaper
from tests.helpers.fixtures import response_from_fixture
from yuqing_spiders.extract.kit.errors import PayloadError


def test_thepaper_channel_rows() -> None:
    url = "https://api.thepaper.cn/contentapi/nodeCont/getByChannelId"
    rows = thepaper.parse_rows(json.loads(response_from_fixture(url).text))
    assert [r.cont_id for r in rows] == ["31456789", "31455120", "31450001"]
    assert rows[0].url == "https://www.thepaper.cn/newsDetail_forward_31456789"
    assert rows[0].published_at == datetime(2026, 11, 25, 3, 24, tzinfo=UTC)  # pubTimeLong ms
    assert rows[0].likes == 236
    assert rows[2].url is None  # a row linking to a special-topic page elsewhere
    assert rows[2].external_url.startswith("https://h5.thepaper.cn/")
    assert thepaper.channel_id("https://www.thepaper.cn/channel_25950") == "25950"


def test_thepaper_search_rows_share_the_shape() -> None:
    # The search API answers the same rows with <font> highlights.
    answer = {
        "code": 200,
        "data": {
            "list": [
                {
                    "contId": 30000001,
                    "name": "<font color='#00a5eb'>南昌</font>地铁夜间施工扰民",
                    "summary": "市民反映<font>南昌</font>地铁…",
                    "pubTimeLong": 1795570860000,
                    "nodeInfo": {"name": "直击现场"},
                    "praiseTimes": "12",
                }
            ]
        },
    }
    (row,) = thepaper.parse_rows(answer)
    assert row.title == "南昌地铁夜间施工扰民"
    assert row.summary == "市民反映南昌地铁…"
    assert row.node == "直击现场"
    assert row.published_at == datetime(2026, 11, 25, 1, 41, tzinfo=UTC)


def test_thepaper_error_answer_and_page_without_data() -> None:
    with pytest.raises(PayloadError, match="10001"):
        thepaper.parse_rows({"code": 10001, "desc": "参数错误"})
    url = "https://www.thepaper.cn/newsDetail_forward_1"
    html = b"<html><body><h1>\xe6\xa0\x87\xe9\xa2\x98</h1></body></html>"
    item = thepaper.parse_article(HtmlResponse(url, body=html, encoding="utf-8"))
    assert not item.complete
    assert item.missing == ["title", "content", "published_at"]
