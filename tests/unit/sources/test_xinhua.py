"""新华网 channel files and pages (spiders/xinhua/parse.py).

The fixtures model the sites' public pages: `ds_*.json` channel files with absolute /
channel-relative / root-relative `publishUrl` and `Link` rows, a static channel page,
old-site `c_<id>.htm` and new-site `<date>/<id>/c.html` article URLs. The article
fixtures themselves are checked in test_news_articles.py. Texts and ids are invented.
"""

from __future__ import annotations

import pytest
from scrapy.http import TextResponse

from spiders.xinhua import parse as xinhua
from tests.helpers.fixtures import response_from_fixture
from yuqing_spiders.extract.kit.errors import PayloadError

NEWS_CN = "https://www.news.cn"


def test_xinhua_datasource_rows() -> None:
    page = xinhua.parse_datasource(
        response_from_fixture(f"{NEWS_CN}/politics/ds_a6d618872de143bdafa2556915a7ae12.json")
    )
    # A channel-relative publishUrl resolves under the channel.
    assert page.article_urls == [
        f"{NEWS_CN}/politics/20261125/3f2a9c6e1b7d4e0a8c5f2d9b6a1e7c3f/c.html"
    ]
    # A Link row to people.com.cn, a special-topic hub, a row without any URL.
    assert page.skipped == {"link_off_site": 1, "not_an_article": 1, "row_without_url": 1}


def test_xinhua_datasource_url_forms_and_duplicates() -> None:
    page = xinhua.parse_datasource(
        response_from_fixture(f"{NEWS_CN}/local/ds_5c5939c2f07b4d9c96de44dad32eadc8.json")
    )
    assert page.article_urls == [
        f"{NEWS_CN}/local/20261125/8b4d2e7f9a1c4b3e9d6f0a2c5e8b1d47/c.html",  # absolute
        f"{NEWS_CN}/20261124/c6e1f0a3b92d4d8f8a7e5b1c0d3f9e26/c.html",  # root-relative
        "http://www.xinhuanet.com/local/2026-11/23/c_1130412345.htm",  # Link row, old site
    ]
    assert page.skipped == {}


def test_xinhua_static_channel_page() -> None:
    page = xinhua.parse_channel_page(response_from_fixture("http://jx.news.cn/jxyw/"))
    assert page.article_urls == [
        "http://jx.news.cn/20261125/9e0c3b5a7d214f6e8b1a4c7d2e5f8a03/c.html",
        f"{NEWS_CN}/local/20261125/8b4d2e7f9a1c4b3e9d6f0a2c5e8b1d47/c.html",
    ]


@pytest.mark.parametrize(
    "body",
    [
        b"<html><head><title>403 Forbidden</title></head><body>openresty</body></html>",
        b'{"categoryName": "\xe6\x97\xb6\xe6\x94\xbf"}',
        b"",
    ],
    ids=["waf-page", "no-datasource", "empty"],
)
def test_xinhua_unusable_channel_file(body: bytes) -> None:
    url = f"{NEWS_CN}/world/ds_8d5294ed513c4779af6242a3623aa27b.json"
    with pytest.raises(PayloadError):
        xinhua.parse_datasource(TextResponse(url, body=body, encoding="utf-8"))


def test_xinhua_urls() -> None:
    assert xinhua.is_article_url(f"{NEWS_CN}/20261124/c6e1f0a3b92d4d8f8a7e5b1c0d3f9e26/c.html")
    assert xinhua.native_id("http://www.xinhuanet.com/politics/2022-09/02/c_1128969878.htm") == (
        "1128969878"
    )
    assert not xinhua.is_article_url(f"{NEWS_CN}/politics/xxjxs/index.htm")
    row = {"contentType": "Link", "linkUrls": [], "publishUrl": "/20261125/abcdef/c.html"}
    assert xinhua.row_url(f"{NEWS_CN}/local/ds_x.json", row) == f"{NEWS_CN}/20261125/abcdef/c.html"
