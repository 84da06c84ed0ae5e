"""The parsers' kit (yuqing_spiders/extract/kit/): each helper on the inputs sources send.

Site parsers are tested on their fixtures (tests/unit/sources/); these pin down what
every parser relies on: one error type with a reason, one strict JSON reader, one count
parser, one fragment reader and one paragraphs reader.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

import pytest
from parsel import Selector
from scrapy.http import HtmlResponse, Response, TextResponse

from yuqing_spiders.extract.kit.article import keywords, mark_completeness, meta_content, news_item
from yuqing_spiders.extract.kit.byline import byline_author, editor_from_text, source_from_text
from yuqing_spiders.extract.kit.errors import PayloadError
from yuqing_spiders.extract.kit.html import (
    Query,
    all_text,
    block_text,
    clean_lines,
    first_node,
    first_text,
    inline_text,
    node_text,
    paragraphs,
    select,
    squash,
)
from yuqing_spiders.extract.kit.lists import (
    ListPage,
    query_value,
    same_host,
    unique_links,
    url_without_query,
)
from yuqing_spiders.extract.kit.numbers import INT64_MAX, to_count
from yuqing_spiders.extract.kit.payload import (
    dig,
    js_string,
    load_assigned_json,
    load_json,
    load_jsonp,
    require_list,
    response_text,
)

PAGE_URL = "https://news.example.cn/2026/11/25/a.html"


def page(body: str, url: str = PAGE_URL) -> HtmlResponse:
    return HtmlResponse(url=url, body=body.encode("utf-8"), encoding="utf-8")


def reason_of(call: Callable[..., object], *args: object) -> str:
    with pytest.raises(PayloadError) as caught:
        call(*args)
    return caught.value.reason


# --- the error ------------------------------------------------------------------------


def test_payload_error_carries_a_reason_and_is_a_value_error() -> None:
    error = PayloadError("not_json", "<html>502")
    assert error.reason == "not_json"
    assert str(error) == "not_json: <html>502"
    assert str(PayloadError("empty")) == "empty"
    assert isinstance(error, ValueError)  # code catching ValueError keeps working


# --- JSON -------------------------------------------------------------------------------


def test_load_json_reads_objects_and_arrays() -> None:
    assert load_json('{"a": [1, 2]}') == {"a": [1, 2]}
    assert load_json('\ufeff  [{"b": null}]\n') == [{"b": None}]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("  \n ", "empty"),
        ("<html><title>502 Bad Gateway</title></html>", "not_json"),
        ('"just a string"', "not_json"),
        ("null", "not_json"),
        ('{"data": [1, 2', "invalid_json"),
        ('{"a": 1,}', "invalid_json"),
    ],
)
def test_load_json_names_why_it_refuses(text: str, reason: str) -> None:
    assert reason_of(load_json, text) == reason


def test_load_jsonp_reads_a_named_or_any_callback() -> None:
    assert load_jsonp('data_callback([{"title": "x"}]);', "data_callback") == [{"title": "x"}]
    assert load_jsonp("/**/data_callback([1, 2]);", "data_callback") == [1, 2]
    assert load_jsonp('china({"data": {"list": []}})') == {"data": {"list": []}}
    assert load_jsonp('/**/ news({"a": 1});') == {"a": 1}
    # Weibo's passport guards its callback: `window.cb && cb({...});`.
    assert load_jsonp('window.gen_callback && gen_callback({"retcode": 1});') == {"retcode": 1}


@pytest.mark.parametrize(
    ("text", "callback", "reason"),
    [
        ("callback_other([])", "data_callback", "not_jsonp"),
        ("<html>502</html>", None, "not_jsonp"),
        ("", None, "not_jsonp"),
        ('data_callback([{"title": "x",])', "data_callback", "invalid_json"),
        ("data_callback()", "data_callback", "empty"),
        ("data_callback(<html>)", "data_callback", "not_json"),
    ],
)
def test_load_jsonp_names_why_it_refuses(text: str, callback: str | None, reason: str) -> None:
    assert reason_of(load_jsonp, text, callback) == reason


def test_load_assigned_json_cuts_by_brackets() -> None:
    text = 'var allData = {"a": "x;y}", "b": [1, {"c": "};"}]};\nvar adData = {};'
    assert load_assigned_json(text, "allData") == {"a": "x;y}", "b": [1, {"c": "};"}]}
    assert load_assigned_json('window.DATA = {"t": "\\"q\\""}', "window.DATA") == {"t": '"q"'}
    assert load_assigned_json("window.list=[1,2];", "window.list") == [1, 2]


def test_load_assigned_json_reasons() -> None:
    assert reason_of(load_assigned_json, "var other = {};", "allData") == "no_embedded_json"
    assert reason_of(load_assigned_json, 'var allData = {"a": [1, 2', "allData") == ("invalid_json")


def test_response_text_decodes_bodies_that_are_not_text_responses() -> None:
    assert response_text(TextResponse(PAGE_URL, body=b'{"a": 1}', encoding="utf-8")) == '{"a": 1}'
    raw = Response(PAGE_URL, body='\ufeff{"名": 1}'.encode())
    assert load_json(response_text(raw)) == {"名": 1}
    assert reason_of(response_text, Response(PAGE_URL, body=b"\xff\xfe\xfa")) == "not_text"


def test_dig_and_require_list() -> None:
    data = {"data": {"list": [{"id": 1}, {"id": 2}]}, "n": None}
    assert dig(data, "data", "list", 1, "id") == 2
    assert dig(data, "data", "list", -1, "id") == 2
    assert dig(data, "data", "list", 5) is None
    assert dig(data, "data", "missing", "id") is None
    assert dig(data, "data", 0) is None  # an index into an object
    assert dig(data, "n", "x") is None
    assert dig(None, "a") is None
    assert dig(data) is data
    assert require_list(data, "data", "list") == [{"id": 1}, {"id": 2}]
    with pytest.raises(PayloadError) as caught:
        require_list(data, "data", "rows")
    assert caught.value.reason == "unexpected_shape"
    assert "data/rows" in str(caught.value)


def test_js_string() -> None:
    script = """var biz = "MzA5" || ""; var mid = '' || '2651'; var ct = "1764031200";"""
    assert js_string(script, "biz") == "MzA5"
    assert js_string(script, "mid") == "2651"
    assert js_string(script, "ct") == "1764031200"
    assert js_string(script, "idx") is None
    assert js_string("var abiz = 'x';", "biz") is None  # a whole name, not a suffix


# --- counts -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shown", "value"),
    [
        (0, 0),
        (1234, 1234),
        ("1234", 1234),
        (" 1234 ", 1234),
        ("1,234", 1234),
        ("12,345,678", 12345678),
        ("1.2万", 12000),
        ("1.15万", 11500),  # exact: not 11499 from a float product
        ("56.8万", 568000),
        ("12 万", 120000),
        ("10万+", 100000),
        ("100万+", 1000000),
        ("3亿", 300000000),
        ("1.2亿", 120000000),
        ("1.2w", 12000),
        ("3W", 30000),
        ("999+", 999),
        ("１２", 12),  # full-width digits
        (12.9, 12),
        (10**30, INT64_MAX),  # MongoDB refuses ints beyond int64
        ("99999999999999999999", INT64_MAX),
        ("99999999999亿", INT64_MAX),
        (float("inf"), INT64_MAX),
        (1e400, INT64_MAX),
        (None, None),
        (True, None),
        (False, None),
        ("", None),
        ("  ", None),
        ("赞", None),
        ("转发", None),
        ("-5", None),
        ("+5", None),
        ("1.2.3万", None),
        ("1e5", None),
        ("12千", None),
        (float("nan"), None),
        ([], None),
        ({}, None),
    ],
)
def test_to_count(shown: object, value: int | None) -> None:
    assert to_count(shown) == value


def test_to_count_never_raises_on_huge_numbers() -> None:
    assert to_count(-(10**30)) == -(2**63)
    assert to_count("9" * 400) == INT64_MAX
    assert to_count(float("-inf")) == -(2**63)


# --- HTML text --------------------------------------------------------------------------


def test_squash_node_text_and_clean_lines() -> None:
    assert squash(" 南昌\u3000地铁\xa0 早高峰\n") == "南昌 地铁 早高峰"
    assert squash(None) == ""
    node = Selector(text="<div><b>南昌</b>\n  <i>地铁</i></div>").css("div")[0]
    assert node_text(node) == "南昌 地铁"
    lines = [
        "  正文第一段。 ",
        "",
        "责任编辑：张伟",
        "分享到：",
        "版权所有 © 江西日报",
        "正文第二段。",
    ]
    assert clean_lines(lines) == ["正文第一段。", "正文第二段。"]


def test_query_parse_tells_css_from_xpath() -> None:
    assert Query.parse(" div.content ") == Query("css", "div.content")
    assert Query.parse("//div[@id='x']") == Query("xpath", "//div[@id='x']")
    assert Query.parse("(//a)[1]") == Query("xpath", "(//a)[1]")
    assert Query.parse(".//span[@class='t']") == Query("xpath", ".//span[@class='t']")
    assert Query.parse(".title") == Query("css", ".title")


SELECTING = page(
    """<html><head><meta name="keywords" content="南昌,地铁，早高峰">
    <meta property="og:title" content=" 标题 "></head><body>
    <h1> </h1><h1>标题 <em>甲</em></h1>
    <div class="info">2026-11-25 09:41</div><div class="info">来源：江西日报</div>
    <a class="src" href="/s">链接</a><p class="empty"></p></body></html>"""
)


def test_select_and_first_text() -> None:
    assert len(select(SELECTING, Query.parse("div.info"))) == 2
    assert len(select(SELECTING, Query.parse("//div[@class='info']"))) == 2
    assert first_text(SELECTING, "h1") == "标题 甲"  # the first h1 with text
    assert first_text(SELECTING, "h2", "//h1") == "标题 甲"  # queries in order
    assert first_text(SELECTING, "div.info", where=lambda t: "来源" in t) == "来源：江西日报"
    assert first_text(SELECTING, "a.src::attr(href)") == "/s"
    assert first_text(SELECTING, "p.empty", "h2") is None
    assert first_text(SELECTING, Query.parse("//div[@class='info']/text()")) == "2026-11-25 09:41"


def test_first_node_and_all_text() -> None:
    node = first_node(SELECTING, "h2", "div.info")
    assert node is not None
    assert node_text(node) == "2026-11-25 09:41"
    assert first_node(SELECTING, "h2", "article") is None
    assert all_text(SELECTING, "div.info") == "2026-11-25 09:41 来源：江西日报"
    assert all_text(SELECTING, "h3") == ""


def test_meta_content_and_keywords() -> None:
    assert meta_content(SELECTING, "og:title") == "标题"
    assert meta_content(SELECTING, "description") is None
    assert keywords(meta_content(SELECTING, "keywords")) == ["南昌", "地铁", "早高峰"]
    assert keywords("a; b；c  d") == ["a", "b", "c", "d"]
    assert keywords(None) == []


def test_inline_text_puts_a_fragment_on_one_line() -> None:
    assert inline_text('<a href="x">人民日报评论：<font color="red">民生</font>温度</a>') == (
        "人民日报评论：民生温度"
    )
    assert inline_text("<p>第一段</p>\n<p>第二段</p>") == "第一段 第二段"
    assert inline_text("  南昌  地铁 ") == "南昌 地铁"
    assert inline_text("<p> </p>") is None
    assert inline_text(None) is None
    assert inline_text("") is None


BODY = """<div id="body">
  <p>（记者 王晓明）南昌地铁早高峰<br>今天起加开列车。</p>
  <div class="editor">责任编辑：张伟</div>
  <p>第二段<span class="ad">广告</span>正文。</p>
  <p>分享到：微信</p>
  <table><tr><td>图表</td></tr></table>
</div>"""


def test_paragraphs_reads_one_line_per_p_and_br() -> None:
    assert paragraphs(BODY) == [
        "（记者 王晓明）南昌地铁早高峰",
        "今天起加开列车。",
        "第二段广告正文。",
    ]


def test_paragraphs_drops_noise_nodes_by_css_or_xpath() -> None:
    noise = (".ad", Query.parse("//table"))
    assert paragraphs(BODY, noise) == [
        "（记者 王晓明）南昌地铁早高峰",
        "今天起加开列车。",
        "第二段正文。",
    ]


def test_paragraphs_without_p_splits_at_br() -> None:
    assert paragraphs("第一行<br/>第二行<br>  <br>第三行") == ["第一行", "第二行", "第三行"]


def test_paragraphs_reads_nodes_and_selections_without_changing_them() -> None:
    response = page(f"<html><body>{BODY}<div id='other'></div></body></html>")
    body = response.css("#body")
    before = body.get()
    assert paragraphs(body, (".ad",)) == paragraphs(body[0], (".ad",)) == paragraphs(BODY, (".ad",))
    assert body.get() == before  # the noise was dropped from a copy
    assert paragraphs(response.css("#missing")) == []
    assert paragraphs(response.css("#other")) == []
    assert paragraphs(None) == []
    assert paragraphs("") == []


def test_paragraphs_by_blocks_breaks_where_block_elements_end() -> None:
    # Block ends (and <p>, <li>, <section> starts) end lines; a <div> or heading start
    # does not, as the boards' and 公众号 text has always been read.
    post = (
        "<section>开头<div>一楼的话</div>接着说<h3>小标题</h3><ul><li>甲</li><li>乙</li></ul>"
        "<p>段落</p>尾巴<blockquote>引用</blockquote>结尾</section>"
    )
    assert paragraphs(post, blocks=True) == [
        "开头一楼的话",
        "接着说小标题",
        "甲",
        "乙",
        "段落",
        "尾巴引用",
        "结尾",
    ]
    # By <p>s, the same fragment keeps only its paragraph.
    assert paragraphs(post) == ["段落"]


def test_paragraphs_by_blocks_drops_noise_before_breaking_lines() -> None:
    post = '<td><div class="quote">引用的旧帖</div>我的回复<i class="pstatus">编辑</i></td>'
    assert paragraphs(post, ("div.quote", "i.pstatus"), blocks=True) == ["我的回复"]


def test_block_text_joins_lines_or_is_none() -> None:
    assert block_text("<p>一</p><p>二</p>") == "一\n二"
    assert block_text("<div>一</div><div>二</div>", blocks=True) == "一\n二"
    assert block_text("<p>责任编辑：张伟</p>") is None
    assert block_text(None) is None


# --- lists and URLs ---------------------------------------------------------------------


def test_unique_links_are_absolute_once_each_in_page_order() -> None:
    pattern = re.compile(r"/\d{4}/\d{2}/\d{2}/\w+\.html$")
    hrefs = [
        "/2026/11/25/b.html#comments",
        "javascript:void(0)",
        "mailto:x@example.cn",
        "#top",
        "",
        "https://news.example.cn/2026/11/25/b.html",
        "c.html",
        "/2026/11/24/a.html",
        "/list/2.html",
    ]
    assert unique_links(SELECTING, hrefs, pattern) == [
        "https://news.example.cn/2026/11/25/b.html",
        "https://news.example.cn/2026/11/25/c.html",
        "https://news.example.cn/2026/11/24/a.html",
    ]


def test_hosts_and_queries() -> None:
    assert same_host("https://jx.news.cn/x", ("news.cn",))
    assert same_host("https://NEWS.CN/x", ("news.cn",))
    assert not same_host("https://fakenews.cn/x", ("news.cn",))
    assert url_without_query("https://A.cn/p/1.html?from=share#top") == "https://a.cn/p/1.html"
    assert query_value("https://a.cn/s?id=12&id=13&x=", "id") == "12"
    assert query_value("https://a.cn/s?x=", "x") is None
    assert query_value("https://a.cn/s", "id") is None


def test_list_page_counts_what_it_skips() -> None:
    listing = ListPage()
    listing.skip("link_off_site")
    listing.skip("link_off_site")
    assert listing.skipped == {"link_off_site": 2}
    assert listing.article_urls == []
    assert listing.next_page is None


# --- the article item -------------------------------------------------------------------


def test_news_item_and_mark_completeness() -> None:
    item = news_item(page("<html></html>", "https://News.Example.cn/a.html"), "src", "a", "c")
    assert (item.url, item.source, item.platform) == (
        "https://News.Example.cn/a.html",
        "src",
        "news",
    )
    assert (item.native_id, item.canonical_url) == ("a", "c")
    assert item.media.domain == "news.example.cn"
    assert item.encoding == "utf-8"
    mark_completeness(item)
    assert not item.complete
    assert item.missing == ["title", "content", "published_at"]
    item.title, item.content = "标题", "正文"
    item.published_at = datetime(2026, 11, 25)
    assert mark_completeness(item).complete
    assert item.missing == []


def test_byline_readers() -> None:
    assert byline_author(["（记者 王晓明 通讯员 李佳）南昌地铁", "第二段"]) == "王晓明、李佳"
    assert byline_author(["导语", "记者 周婷"]) == "周婷"
    assert byline_author(["导语", "第二段", "记者 周婷"]) is None  # only the first lines
    assert source_from_text("2026-11-25 09:41 来源：江西日报 作者：王晓明") == "江西日报"
    assert editor_from_text("（责任编辑：张伟）") == "张伟"
