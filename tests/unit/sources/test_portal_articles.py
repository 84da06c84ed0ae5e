"""Every portal article fixture through its parser and through the registry; unreadable lists.

Each fixture (tests/fixtures/web/README.md, "Commercial portals" and "Keyword
monitoring") models the public facts of the site: 新浪's roll feed JSON
(`result.data[]`, unix-second `ctime`) and articles (`article:published_time`,
`article:author`, `#article`); 网易's `data_callback([...])` lists with US-style
times and `html/@data-publishtime` articles (`div.post_body`, 网易号
`.post_wemedia_name`); 腾讯's getPCList `data[]` with aggregate cards and
`window.DATA` articles (`.rich_media_content`); 搜狐's odin `data[<tplCompKey>].list`
and `article#mp-editor`; 凤凰's `var allData` (`newsstream`, `docData.contentData`);
百家号's `window.runtime` author page, mbd feed JSON and `[data-testid=article]`;
government pages found by search, which have no parser of their own. The tables span
the portals; each portal's own lists and URLs are tested in test_<portal>.py. All text
and expected values are invented.
"""

from __future__ import annotations

from datetime import UTC

import pytest
from scrapy.http import TextResponse

from spiders._base.registry import extract
from spiders.baijiahao import parse as baijiahao
from spiders.ifeng import parse as ifeng
from spiders.netease import parse as netease
from spiders.sina import parse as sina
from spiders.sohu import parse as sohu
from spiders.tencent import parse as tencent
from tests.helpers.fixtures import response_from_fixture
from tests.helpers.paths import FIXTURES_WEB
from tests.helpers.portal_expected import EXPECTED
from tests.helpers.times import utc
from yuqing_spiders.extract.kit.errors import PayloadError
from yuqing_spiders.replay.record import fixture_path


def json_response(url: str, body: str) -> TextResponse:
    return TextResponse(url=url, body=body.encode("utf-8"), encoding="utf-8")


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
    with pytest.raises(PayloadError) as caught:
        parse(json_response("https://example.cn/api", body))
    assert caught.value.reason == reason


# --- through the registry, as `yuqing extract` and the crawl pick the parser -----------


@pytest.mark.parametrize("url", sorted(EXPECTED))
def test_extract_reads_title_time_source_and_body(url):
    source, title, published, media, phrase = EXPECTED[url]
    item = extract(url, fixture_path(FIXTURES_WEB, url).read_bytes())
    assert item.source == source
    assert item.title == title
    assert item.published_at == published.replace(tzinfo=UTC)
    assert item.media.name == media
    assert phrase in item.content
    for furniture in ("责任编辑", "版权所有", "打印本页", "返回搜狐", "ICP备"):
        assert furniture not in item.content
