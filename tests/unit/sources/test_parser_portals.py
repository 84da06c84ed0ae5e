"""Commercial-portal parsers on their fixtures (tests/fixtures/web/README.md, "Commercial portals").

Each fixture models the public facts of sources.md §3: 新浪's roll feed JSON
(`result.data[]`, unix-second `ctime`) and articles (`article:published_time`,
`article:author`, `#article`); 网易's `data_callback([...])` lists with US-style
times and `html/@data-publishtime` articles (`div.post_body`, 网易号
`.post_wemedia_name`); 腾讯's getPCList `data[]` with aggregate cards and
`window.DATA` articles (`.rich_media_content`); 搜狐's odin `data[<tplCompKey>].list`
and `article#mp-editor`; 凤凰's `var allData` (`newsstream`, `docData.contentData`);
百家号's `window.runtime` author page, mbd feed JSON and `[data-testid=article]`.
All text and expected values are invented.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from scrapy.http import HtmlResponse, TextResponse

from spiders.baijiahao import parse as baijiahao
from spiders.ifeng import parse as ifeng
from spiders.netease import parse as netease
from spiders.sina import parse as sina
from spiders.sohu import parse as sohu
from spiders.tencent import parse as tencent
from tests.helpers.fixtures import response_from_fixture
from yuqing_spiders.extract.kit.payload import BadPayload, load_assigned_json, load_jsonp


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def json_response(url: str, body: str) -> TextResponse:
    return TextResponse(url=url, body=body.encode("utf-8"), encoding="utf-8")


# --- lists ---------------------------------------------------------------------------


def test_sina_feed_keeps_articles_and_reads_unix_times():
    page = response_from_fixture(
        "https://feed.mix.sina.com.cn/api/roll/get?pageid=153&lid=2510&k=&num=50&page=1"
    )
    entries = sina.parse_feed(page)
    # The video entry has no doc-<id>.shtml URL and is not an article.
    assert [e.native_id for e in entries] == ["inhcvqxa8123456"]
    assert entries[0].published_at == utc(2026, 11, 25, 1, 41)
    assert entries[0].media_name == "江西日报"


def test_netease_jsonp_list_reads_us_times_and_comment_counts():
    entries = netease.parse_list(response_from_fixture("https://news.163.com/special/cm_guonei/"))
    assert [e.native_id for e in entries] == [
        "JH3A8K2L000189FH",
        "JH3C1V7F05346KF7",
    ]  # no photo set
    assert entries[0].published_at == utc(2026, 11, 24, 23, 58, 31)
    assert entries[0].comments == 356
    assert netease.list_time("11/25/2026 07:58:31") == "2026-11-25 07:58:31"


def test_tencent_list_skips_aggregate_cards():
    entries = tencent.parse_list(response_from_fixture(tencent.LIST_API))
    assert [e.native_id for e in entries] == ["20261125A03XYZ00", "20261124A07MNO00"]
    assert entries[1].url == "https://news.qq.com/rain/a/20261124A07MNO00"  # built from the id
    body = tencent.list_body("news_news_top", "x" * 36, 2)
    assert body["channel_id"] == "news_news_top"
    assert body["flush_num"] == 2
    assert body["qimei36"] == body["device_id"]


def test_sohu_blockdata_skips_ads_and_resolves_relative_urls():
    entries = sohu.parse_blockdata(response_from_fixture(sohu.BLOCK_API))
    assert [e.url for e in entries] == [
        "https://www.sohu.com/a/812345678_121106991",
        "https://www.sohu.com/a/812349901_120099887",
    ]
    assert entries[0].media_name == "洪城发布"


def test_ifeng_newsstream_skips_videos():
    entries = ifeng.parse_list(response_from_fixture("https://news.ifeng.com/shanklist/3-35198-/"))
    assert [e.native_id for e in entries] == ["8ePq2Xk7Ab1", "8ePr9Lm3Cd4"]
    assert entries[0].published_at == utc(2026, 11, 26, 0, 52, 10)


def test_baijiahao_author_page_then_feed():
    author = response_from_fixture("https://baijiahao.baidu.com/u?app_id=1604876543210987")
    uk, nickname = baijiahao.author_uk(author)
    assert (uk, nickname) == ("Yq7Hc2kT9mWbLxN3", "青山湖发布")
    feed = response_from_fixture(baijiahao.feed_url(uk))
    entries = baijiahao.parse_feed(feed)
    assert [e.native_id for e in entries] == ["1818234567890123456", "1818245678901234567"]
    assert entries[0].published_at == utc(2026, 11, 25, 6, 30)


# --- articles ------------------------------------------------------------------------

ARTICLES = {
    "https://news.sina.com.cn/c/2026-11-25/doc-inhcvqxa8123456.shtml": (
        sina,
        "南昌地铁4号线早高峰加开8趟列车",
        utc(2026, 11, 25, 1, 41),
        "江西日报",
        "黄雅琴",
        "刘思琪",
    ),
    "https://www.163.com/news/article/JH3A8K2L000189FH.html": (
        netease,
        "青山湖区部分小区突发停水",
        utc(2026, 11, 24, 23, 58, 31),
        "南昌晚报",
        "陈思远",
        "王凤枝",
    ),
    "https://www.163.com/dy/article/JH3C1V7F05346KF7.html": (
        netease,
        "红谷滩一小区地下车库积水",
        utc(2026, 11, 25, 4, 16, 40),
        "洪城生活圈",
        "洪城生活圈",
        "网易号编辑",
    ),
    "https://news.qq.com/rain/a/20261125A03XYZ00": (
        tencent,
        "南昌县市场监管局查处一批过期食品",
        utc(2026, 11, 25, 2, 12, 5),
        "江西新闻客户端",
        None,
        None,
    ),
    "https://www.sohu.com/a/812345678_121106991": (
        sohu,
        "东湖区今年已完成老旧小区加装电梯86部",
        utc(2026, 11, 24, 10, 20),
        "南昌日报",
        "洪城发布",
        "周敏",
    ),
    "https://www.sohu.com/a/812349901_120099887": (
        sohu,
        "新建区一企业违规排污被立案调查",
        utc(2026, 11, 25, 8, 45),
        "江西环保观察",
        "江西环保观察",
        "孙立",
    ),
    "https://news.ifeng.com/c/8ePq2Xk7Ab1": (
        ifeng,
        "南昌高新区一在建工地塔吊倒塌",
        utc(2026, 11, 26, 0, 52, 10),
        "大江网",
        None,
        "王磊",
    ),
    "https://baijiahao.baidu.com/s?id=1818234567890123456": (
        baijiahao,
        "青山湖区一小区物业费上涨引业主不满",
        utc(2026, 11, 25, 6, 30),
        "青山湖发布",
        "青山湖发布",
        None,
    ),
}
# Page furniture that must never reach the content.
NOISE = (
    "责任编辑",
    "版权所有",
    "分享到",
    "返回搜狐",
    "来源：南昌日报",
    "相关推荐",
    "免责声明",
    "举报/反馈",
)


@pytest.mark.parametrize("url", sorted(ARTICLES))
def test_article_fields(url):
    module, title, published, media, author, editor = ARTICLES[url]
    item = module.parse_article(response_from_fixture(url))
    assert item.source == module.SOURCE
    assert item.title.startswith(title)
    assert item.published_at == published
    assert item.media.name == media
    assert item.author.name == author
    assert item.editor == editor
    assert item.complete, item.missing
    assert item.native_id
    assert item.native_id in url
    assert len(item.content) > 60
    assert not [n for n in NOISE if n in item.content]


def test_canonical_urls_drop_tracking_and_unify_hosts():
    assert (
        sina.canonical_url(
            "http://NEWS.sina.com.cn/c/2026-11-25/doc-inhcvqxa8123456.shtml?from=wap"
        )
        == "https://news.sina.com.cn/c/2026-11-25/doc-inhcvqxa8123456.shtml"
    )
    assert tencent.canonical_url("https://new.qq.com/omn/20261125/20261125A03XYZ00.html") == (
        "https://news.qq.com/rain/a/20261125A03XYZ00"
    )
    assert sohu.canonical_url("http://m.sohu.com/a/812345678_121106991?scm=1.2") == (
        "https://www.sohu.com/a/812345678_121106991"
    )
    assert baijiahao.canonical_url(
        "https://baijiahao.baidu.com/s?wfr=spider&id=1818234567890123456"
    ) == ("https://baijiahao.baidu.com/s?id=1818234567890123456")


# --- bad input: counted reasons, never an empty list --------------------------------


@pytest.mark.parametrize(
    ("parse", "body", "reason"),
    [
        (sina.parse_feed, '{"result": {"status": {"code": 0}, "data": [', "invalid_json"),
        (sina.parse_feed, "<html><title>404</title></html>", "not_json"),
        (sina.parse_feed, '{"result": {"status": {"code": 1, "msg": "bad lid"}}}', "api_error"),
        (netease.parse_list, "callback_other([])", "not_jsonp"),
        (netease.parse_list, 'data_callback([{"title": "x",])', "invalid_json"),
        (tencent.parse_list, '{"ret": 0, "data": {"list": []}}', "unexpected_shape"),
        (sohu.parse_blockdata, '{"code": 0, "data": {}}', "unexpected_shape"),
        (baijiahao.parse_feed, '{"errno": 10002, "errmsg": "need ab_sr"}', "api_error"),
        (sina.parse_feed, "", "empty"),
    ],
)
def test_unreadable_lists_raise_a_reason(parse, body, reason):
    with pytest.raises(BadPayload) as caught:
        parse(json_response("https://example.cn/api", body))
    assert caught.value.reason == reason


def test_embedded_json_is_cut_by_brackets_not_semicolons():
    text = 'var allData = {"a": "x;y}", "b": [1, {"c": "};"}]};\nvar adData = {};'
    assert load_assigned_json(text, "allData") == {"a": "x;y}", "b": [1, {"c": "};"}]}
    assert load_jsonp("/**/data_callback([1, 2]);", "data_callback") == [1, 2]


def test_page_without_embedded_data_is_an_incomplete_item_not_a_crash():
    page = HtmlResponse(
        url="https://news.ifeng.com/c/8eXX0000000", body=b"<html><title>x</title></html>"
    )
    item = ifeng.parse_article(page)
    assert not item.complete
    assert "content" in item.missing
