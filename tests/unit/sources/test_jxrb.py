"""The 江西日报 e-paper (spiders/jxrb/parse.py).

The fixtures model the sites' public pages: the e-paper home, the month's `navi.xml` of issues,
page files linking articles from an image map and a title list, and article pages with
or without the `enpproperty` comment. The article fixtures themselves are checked in
test_news_articles.py. Texts and ids are invented.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from scrapy.http import HtmlResponse, TextResponse

from spiders.jxrb import parse as jxrb
from tests.helpers.fixtures import response_from_fixture
from yuqing_spiders.extract.kit.errors import PayloadError


def test_jxrb_home_navi_and_pages() -> None:
    front = jxrb.front_page_from_home(response_from_fixture("http://epaper.jxxw.com.cn/"))
    assert front == "http://epaper.jxxw.com.cn/html/2026-11/25/node_2.htm"
    assert jxrb.navi_url(front) == "http://epaper.jxxw.com.cn/html/2026-11/navi.xml"
    issues = jxrb.parse_navi(response_from_fixture(jxrb.navi_url(front)))
    assert [i.date for i in issues] == ["2026-11-25", "2026-11-24", "2026-11-23"]
    assert issues[1].front_page == "http://epaper.jxxw.com.cn/html/2026-11/24/node_2.htm"
    links = jxrb.parse_page(response_from_fixture(front))
    assert links.pages == [front, "http://epaper.jxxw.com.cn/html/2026-11/25/node_3.htm"]
    # The image map and the title list link the same articles: once each.
    assert links.articles == [
        "http://epaper.jxxw.com.cn/html/2026-11/25/content_2_5123401.htm",
        "http://epaper.jxxw.com.cn/html/2026-11/25/content_2_5123402.htm",
    ]


def test_jxrb_bad_index_and_article_without_properties() -> None:
    url = "http://epaper.jxxw.com.cn/html/2026-11/navi.xml"
    with pytest.raises(PayloadError):
        jxrb.parse_navi(TextResponse(url, body=b"<html>404 Not Found</html>", encoding="utf-8"))
    page = "http://epaper.jxxw.com.cn/html/2026-11/25/content_3_5123499.htm"
    html = (
        "<html><body><div class='article'><h1>版面标题</h1>"
        "<div id='ozoom'><p>正文。</p></div></div></body></html>"
    )
    item = jxrb.parse_article(HtmlResponse(page, body=html.encode(), encoding="utf-8"))
    # No enpproperty comment: title from the page, date from the URL (00:00 Beijing).
    assert item.title == "版面标题"
    assert item.published_at == datetime(2026, 11, 24, 16, 0, tzinfo=UTC)
    assert item.native_id == "5123499"
