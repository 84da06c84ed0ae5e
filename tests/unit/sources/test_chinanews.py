"""中新网's rolling list and its two encodings (spiders/chinanews/parse.py).

The fixtures model the sites' public pages: the rolling list `.dd_bt a` (video rows are not
articles), and pages in GB2312 and in UTF-8, the latter under a stale `charset=GBK`.
The article fixtures themselves are checked in test_news_articles.py. Texts are invented.
"""

from __future__ import annotations

from scrapy.http import HtmlResponse

from spiders.chinanews import parse as chinanews
from tests.helpers.fixtures import response_from_fixture
from tests.helpers.news_expected import by_url
from tests.helpers.paths import FIXTURES_WEB
from yuqing_spiders.extract.generic import extract_article
from yuqing_spiders.fetch.encoding import detect_encoding
from yuqing_spiders.replay.record import fixture_path


def test_chinanews_rolling_list() -> None:
    page = chinanews.parse_list(
        response_from_fixture("https://www.chinanews.com.cn/scroll-news/news1.html")
    )
    assert page.article_urls == [
        "https://www.chinanews.com.cn/gn/2026/11-25/10512345.shtml",
        "https://www.chinanews.com.cn/sh/2026/11-25/10512398.shtml",
        "https://www.chinanews.com/df/2026/11-24/10511876.shtml",  # the older domain
    ]  # the video row (/shipin/cns-d/...) is not an article


def test_gbk_page_claiming_utf8_and_utf8_page_claiming_gbk() -> None:
    # 中新网 serves both encodings: one fixture is GB2312 bytes with a
    # header that names no charset, one is UTF-8 bytes under a stale `charset=GBK`.
    old = by_url("https://www.chinanews.com/df/2026/11-24/10511876.shtml")
    mislabelled = by_url("https://www.chinanews.com.cn/sh/2026/11-25/10512398.shtml")
    old_body = fixture_path(FIXTURES_WEB, old.url).read_bytes()
    assert old.title.encode("gb2312") in old_body
    assert detect_encoding(old_body, None) == "gb18030"
    body = fixture_path(FIXTURES_WEB, mislabelled.url).read_bytes()
    assert detect_encoding(body, "gbk") == "utf-8"
    wrong = HtmlResponse(url=mislabelled.url, body=body, encoding="gbk")
    assert extract_article(wrong).title != mislabelled.title  # what the label alone gives
