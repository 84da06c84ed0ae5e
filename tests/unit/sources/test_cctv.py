"""央视网 lists and the article API (spiders/cctv/parse.py).

The fixtures model the sites' public pages: JSONP lists wrapped as `china({...})` with
ARTI/VIDE rows, the getXinwenNextArticleInfo answer. The article fixtures themselves
are checked in test_news_articles.py. Texts and ids are invented.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from scrapy.http import TextResponse

from spiders.cctv import parse as cctv
from tests.helpers.fixtures import response_from_fixture
from yuqing_spiders.extract.kit.errors import PayloadError


def _json(url: str, data: object) -> TextResponse:
    body = json.dumps(data, ensure_ascii=False).encode()
    return TextResponse(url, body=body, encoding="utf-8")


def test_cctv_jsonp_list() -> None:
    url = "https://news.cctv.com/2019/07/gaiban/cmsdatainterface/page/china_1.jsonp"
    rows = cctv.parse_list(response_from_fixture(url))
    assert [r.kind for r in rows] == ["ARTI", "ARTI", "VIDE", "ARTI"]
    assert rows[0].id == "ARTIk3Vd9qLm2Xp7Rt4Ws6Yz261125"
    assert rows[0].focus_date == "2026-11-25 08:15:32"
    assert cctv.referer(url) == "http://news.cctv.com/china"
    assert cctv.api_url(rows[0].id) == (
        "https://api.cntv.cn/Article/getXinwenNextArticleInfo"
        "?serviceId=sjnews&id=ARTIk3Vd9qLm2Xp7Rt4Ws6Yz261125&t=json"
    )


def test_cctv_list_row_fills_title_and_time() -> None:
    # The list's title and focus_date win; the API answer only has to carry the text.
    row = cctv.ListRow(
        "ARTIx1",
        "https://news.cctv.com/2026/11/25/ARTIx1.shtml",
        "标题甲",
        "2026-11-25 08:00:00",
        "ARTI",
    )
    answer = {"article_content": "<p>正文第一段。</p><p>（编辑：张伟）</p>", "article_source": ""}
    item = cctv.parse_api_article(_json(cctv.api_url("ARTIx1"), answer), row)
    assert item.url == row.url
    assert item.title == "标题甲"
    assert item.published_at == datetime(2026, 11, 25, 0, 0, tzinfo=UTC)
    assert item.content == "正文第一段。"
    assert item.editor == "张伟"
    assert item.media.name == "央视网"  # an empty article_source: the site itself


@pytest.mark.parametrize("text", ['china({"data": {}});', "<html>502 Bad Gateway</html>"])
def test_cctv_unusable_list(text: str) -> None:
    url = "https://news.cctv.com/2019/07/gaiban/cmsdatainterface/page/china_1.jsonp"
    with pytest.raises(PayloadError):
        cctv.parse_list(TextResponse(url, body=text.encode(), encoding="utf-8"))
