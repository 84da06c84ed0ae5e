"""List, navigation and bad-input behaviour of the code parsers for news sources.

Article fields are checked for every fixture in tests/e2e/test_extract_news.py; here the
parts that only these parsers have. Fixtures model (tests/fixtures/web/README.md):
新华网 `ds_*.json` channel files with absolute / channel-relative / root-relative
`publishUrl` and `Link` rows (sources.md §1.2); 央视网 JSONP lists wrapped as
`china({...})` with ARTI/VIDE rows (§1.3); 中新网's rolling list `.dd_bt a` (§1.4);
澎湃's channel-list answer `data.list[]` (§1.9); 今视网's JS-filled channel page (§2.2);
the 江西日报 e-paper home, `navi.xml` and pages (§2.3); the 江西新闻 app's list and
detail answers (§2.3).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from scrapy.http import HtmlResponse, TextResponse

from spiders.cctv import parse as cctv
from spiders.chinanews import parse as chinanews
from spiders.jxntv import parse as jxntv
from spiders.jxrb import parse as jxrb
from spiders.jxxw import parse as jxxw
from spiders.thepaper import parse as thepaper
from spiders.xinhua import parse as xinhua
from tests.helpers.fixtures import response_from_fixture
from yuqing_spiders.extract.kit.common import PayloadError, html_text, jsonp_payload

NEWS_CN = "https://www.news.cn"


def _json(url: str, data: object) -> TextResponse:
    body = json.dumps(data, ensure_ascii=False).encode()
    return TextResponse(url, body=body, encoding="utf-8")


# --- 新华网 -----------------------------------------------------------------------------


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


# --- 央视网 -----------------------------------------------------------------------------


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


def test_jsonp_shapes() -> None:
    assert jsonp_payload('news({"a": 1});') == {"a": 1}
    assert jsonp_payload('/**/ data_callback({"a": [1]})') == {"a": [1]}
    with pytest.raises(PayloadError):
        jsonp_payload("<html>502</html>")


# --- 中新网 -----------------------------------------------------------------------------


def test_chinanews_rolling_list() -> None:
    page = chinanews.parse_list(
        response_from_fixture("https://www.chinanews.com.cn/scroll-news/news1.html")
    )
    assert page.article_urls == [
        "https://www.chinanews.com.cn/gn/2026/11-25/10512345.shtml",
        "https://www.chinanews.com.cn/sh/2026/11-25/10512398.shtml",
        "https://www.chinanews.com/df/2026/11-24/10511876.shtml",  # the older domain
    ]  # the video row (/shipin/cns-d/...) is not an article


# --- 澎湃 -------------------------------------------------------------------------------


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
    # The search API (sources.md §1.9) answers the same rows with <font> highlights.
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


# --- 今视网 -----------------------------------------------------------------------------


def test_jxntv_channel_page_has_no_articles_until_rendered() -> None:
    # As served, the list is an empty <ul>; a script fills it (hence the browser).
    plain = response_from_fixture("http://news.jxntv.cn/?ch=61")
    assert jxntv.parse_list(plain).article_urls == []
    rendered = plain.replace(
        body=plain.body.replace(
            b'<ul id="newslist"></ul>',
            b'<ul id="newslist"><li><a href="http://news.jxntv.cn/2026/1125/10689231.shtml">a</a>'
            b'</li><li><a href="http://www.jxntv.cn/about/job.html">b</a></li></ul>',
        )
    )
    assert jxntv.parse_list(rendered).article_urls == [
        "http://news.jxntv.cn/2026/1125/10689231.shtml"
    ]


# --- 江西日报 e-paper ---------------------------------------------------------------------


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


# --- 江西新闻客户端 ----------------------------------------------------------------------


LIST_URL = "http://www.jxxw.com.cn/app/v4/news/index?modelid=1&categoryId=3&page=1&type=1"


def test_jxxw_list_rows() -> None:
    rows = jxxw.parse_list(response_from_fixture(LIST_URL))
    # The banner repeats a list item: one row per contentid, banner first.
    assert [(r.content_id, r.kind) for r in rows] == [
        ("2245101", "news"),
        ("2244990", "topic"),
        ("2245087", "news"),
        ("2244871", "photos"),
        ("2244860", "link"),
        ("2244855", "live"),
    ]
    assert jxxw.page_url(LIST_URL, 2) == LIST_URL.replace("page=1", "page=2")
    assert jxxw.list_page_number(jxxw.page_url(LIST_URL, 2)) == 2


def test_jxxw_busy_backend_answer() -> None:
    with pytest.raises(PayloadError):
        jxxw.parse_list(response_from_fixture(LIST_URL.replace("page=1", "page=2")))


def test_jxxw_relative_list_time_when_the_detail_has_none() -> None:
    url = "http://www.jxxw.com.cn/app/v4/news/show?modelid=1&contentid=2245087"
    row = jxxw.AppRow("2245087", "进贤县多部门联合整治校园周边交通秩序", "news", 3, "3小时前")
    now = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
    item = jxxw.parse_detail(response_from_fixture(url), row, now=now)
    assert item.published_at == now - timedelta(hours=3)
    assert item.complete
    assert (item.metrics.comments, item.metrics.reads) == (3, 820)
    assert item.url == "http://www.jxxw.com.cn/content/2026-11/25/content_2245087.htm"


def test_jxxw_refresh_maps_the_web_link_to_the_detail_api() -> None:
    assert jxxw.content_id("http://www.jxxw.com.cn/content/2026-11/25/content_2245101.htm") == (
        "2245101"
    )
    assert jxxw.content_id(jxxw.DETAIL_URL.format(id="77")) == "77"
    assert jxxw.content_id("http://www.jxxw.com.cn/") is None


def test_jxxw_app_headers() -> None:
    headers = jxxw.app_headers()
    assert headers["User-Agent"] == "okhttp/3.9.1"
    assert (headers["platform"], headers["version"], headers["siteid"]) == ("2", "5.5.1", "55")
    assert len(headers["deviceid"]) == 32
    assert jxxw.app_headers()["deviceid"] == headers["deviceid"]  # one device per process


def test_html_text_of_title_fragments() -> None:
    assert html_text('<a href="x">人民日报评论：民生温度</a>') == "人民日报评论：民生温度"
    assert html_text("  南昌  地铁 ") == "南昌 地铁"
    assert html_text(None) is None
