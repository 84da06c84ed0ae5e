"""The generic extractor and the URL -> parser registry.

People fixtures: see tests/unit/sources/test_people.py. Extra pages in
tests/fixtures/generic/ (described in tests/fixtures/web/README.md) model other
Chinese templates the crawler meets without site rules: ENORTH CMS 大江网
, a government portal with the national 政府网站 meta tags, and a
南昌新闻网 page whose template is unknown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from scrapy.http import HtmlResponse, TextResponse

from spiders._base.registry import extract, parser_for
from spiders.people import parse as people
from tests.helpers.fixtures import GENERIC_ROOT, WEB_ROOT, response_from_fixture
from tests.helpers.people_expected import WELL_LABELLED_URLS
from yuqing_spiders.extract import generic
from yuqing_spiders.extract.generic import extract_article
from yuqing_spiders.extract.kit.byline import (
    author_from_text,
    editor_from_text,
    names_from_byline,
    source_from_text,
    strip_title_suffix,
)
from yuqing_spiders.replay.record import fixture_path, load_sidecar

ENORTH_URL = "http://nc.jxnews.com.cn/system/2026/11/24/021050123.shtml"
GOV_URL = "http://www.nc.gov.cn/ncszf/bmdt/202611/t20261120_6123456.shtml"
NCNEWS_URL = "http://www.ncnews.com.cn/xwzx/ncxw/jrnc/202611/t20261125_1234567.html"

BOILERPLATE = (
    "责任编辑",
    "编辑：",
    "分享到",
    "扫一扫",
    "打印本页",
    "关闭窗口",
    "相关新闻",
    "相关阅读",
    "相关链接",
    "点击排行",
    "版权所有",
    "Copyright",
    "声明",
    "赣ICP备",
    "来源：",
)


@dataclass(frozen=True)
class Expected:
    title: str
    published_at: datetime
    media: str
    author: str | None
    editor: str | None
    paragraphs: list[str]


GENERIC_EXPECTED = {
    # ENORTH CMS (大江网): div.BiaoTi title, span#pubtime_baidu,
    # #source_baidu link, div.Content body; GB2312 declared only in <meta>.
    ENORTH_URL: Expected(
        "南昌市启动2026年冬季清洁取暖安全检查",
        datetime(2026, 11, 24, 1, 35, 12, tzinfo=UTC),
        "江西日报",
        "胡晓军",
        "饶文婷",
        [
            "中国江西网讯 记者胡晓军报道：记者从南昌市城市管理和综合执法局获悉，即日起至明年3月，"
            "南昌将对全市供热企业、燃气经营企业及老旧小区集中供暖设施开展冬季清洁取暖安全检查。",
            "此次检查重点包括燃气管道老化腐蚀、燃气报警装置安装、供热管网压力监测等内容。"
            "检查组将采取“四不两直”方式，深入东湖区、西湖区、青云谱区、青山湖区等老城区，"
            "对发现的隐患建立台账、限期整改。",
            "南昌市城市管理和综合执法局相关负责人提醒，市民使用燃气取暖设备时要保持室内通风，"
            "发现燃气泄漏应立即关闭阀门、开窗通风，并拨打燃气抢修电话或12345热线求助。",
            "据悉，去年冬季南昌共排查整治燃气安全隐患1200余处，今年将进一步扩大检查覆盖面，"
            "确保群众温暖安全过冬。",
        ],
    ),
    # Government portal: PubDate/ContentSource/Author meta tags (政府网站 page spec),
    # "发布时间：… 来源：… 浏览次数" line, 扫一扫/打印/关闭 furniture, UTF-8.
    GOV_URL: Expected(
        "南昌市教育局：2027年中小学招生入学政策将于12月公开征求意见",
        datetime(2026, 11, 20, 2, 30, tzinfo=UTC),
        "南昌市教育局",
        "南昌市教育局",
        None,
        [
            "11月19日，南昌市教育局召开2027年中小学招生入学工作座谈会，"
            "听取各县区教育部门、学校代表和家长代表的意见建议。",
            "会议明确，2027年南昌市义务教育阶段学校招生将继续坚持公办民办同步招生、免试就近入学，"
            "进一步规范随迁子女入学条件，优化入学材料审核流程。"
            "相关政策文件将于12月在市政府门户网站公开征求意见。",
            "南昌市教育局有关负责人表示，将认真梳理12345热线和网上留言中群众反映集中的学区划分、"
            "材料审核等问题，在政策制定中予以回应。",
        ],
    ),
    # Unknown template (南昌新闻网 article selectors not found): logo h1,
    # title in h2, date-only publishdate meta, meta line with 作者/编辑, 责任编辑 as a <p>.
    NCNEWS_URL: Expected(
        "青云谱区完成洪都大道积水点改造 雨天“看海”成历史",
        datetime(2026, 11, 25, 2, 12, 33, tzinfo=UTC),
        "南昌晚报",
        "李明",
        "王芳",
        [
            "洪都大道与井冈山大道交叉口附近曾是青云谱区有名的积水点，每逢暴雨路面积水没过车轮，"
            "附近居民戏称雨天出门要“看海”。",
            "记者25日从青云谱区城管局获悉，该积水点改造工程已全面完工。改造新建雨水管道约1.2公里，"
            "新增雨水收集口40余个，并对下游排水泵站进行了扩容，排涝能力提升至应对每小时50毫米降雨。",
            "“前段时间下大雨，路口没有再积水，上下班方便多了。”附近居民张先生说。",
            "据了解，今年南昌市共计划改造易涝积水点60处，目前已完工52处，"
            "剩余点位将在明年汛期前全部完成。",
        ],
    ),
}


@pytest.mark.parametrize("url", WELL_LABELLED_URLS)
def test_generic_matches_the_people_parser(url: str) -> None:
    response = response_from_fixture(url)
    site = people.parse_article(response)
    found = extract_article(response)
    assert found.complete, found.missing
    assert found.source == "generic"
    assert found.title == site.title
    assert found.published_at == site.published_at
    assert found.media.name == site.media.name
    assert found.author.name == site.author.name
    assert found.editor == site.editor
    assert found.content == site.content


@pytest.mark.parametrize("url", sorted(GENERIC_EXPECTED))
def test_generic_on_other_templates(url: str) -> None:
    want = GENERIC_EXPECTED[url]
    item = extract_article(response_from_fixture(url, GENERIC_ROOT))
    assert item.complete, item.missing
    assert item.title == want.title
    assert item.published_at == want.published_at
    assert item.media.name == want.media
    assert item.media.domain == url.split("/")[2]
    assert item.author.name == want.author
    assert item.editor == want.editor
    assert item.content is not None
    assert item.content.split("\n") == want.paragraphs
    for text in BOILERPLATE:
        assert text not in item.content


def test_enorth_page_decodes_by_its_gb2312_meta() -> None:
    # 大江网 subsites serve GB2312; this page has no charset header.
    response = response_from_fixture(ENORTH_URL, GENERIC_ROOT)
    assert load_sidecar(fixture_path(GENERIC_ROOT, ENORTH_URL)) is None
    assert response.encoding == "gb18030"
    assert extract_article(response).encoding == "gb18030"


def test_date_only_meta_takes_the_hour_from_the_meta_line() -> None:
    # publishdate says 2026-11-25 only; the line under the title says 10:12:33. The top
    # bar's "2026年11月26日 星期四" (today) comes before the title and must not win.
    item = extract_article(response_from_fixture(NCNEWS_URL, GENERIC_ROOT))
    assert item.published_at == datetime(2026, 11, 25, 2, 12, 33, tzinfo=UTC)


def test_shown_datetime_beats_a_date_only_meta_of_another_day() -> None:
    # Issue 14: a date-only publishdate never beats the datetime the page shows (every
    # YAML site without a time selector got 00:00 of the meta's day).
    html = (
        "<html><head><meta name='publishdate' content='2026-11-25'><title>标题测试文章_某网</title>"
        "</head><body><h1>标题测试文章</h1><div>2026-11-20 08:00 来源：某报</div>"
        "<div><p>" + "正文内容。" * 30 + "</p></div></body></html>"
    )
    response = HtmlResponse(url="http://example.cn/a.html", body=html.encode(), encoding="utf-8")
    assert extract_article(response).published_at == datetime(2026, 11, 20, 0, 0, tzinfo=UTC)


def test_list_page_is_not_an_article() -> None:
    # The 要闻 channel page: links only, no article body.
    item = extract_article(response_from_fixture("http://www.people.com.cn/GB/59476/", WEB_ROOT))
    assert not item.complete
    assert "content" in item.missing


@pytest.mark.parametrize(
    ("body", "missing"),
    [
        (b"", ["title", "content", "published_at"]),
        (b"<html><body></body></html>", ["title", "content", "published_at"]),
        # Bare text is kept as content, but nothing names a title or a time.
        (b"\x00\x01\x02 not html at all", ["title", "published_at"]),
    ],
    ids=["empty", "empty-html", "garbage"],
)
def test_bad_pages_give_incomplete_items(body: bytes, missing: list[str]) -> None:
    item = extract_article(TextResponse(url="http://example.cn/x", body=body, encoding="utf-8"))
    assert not item.complete
    assert item.missing == missing


def test_og_title_and_article_published_time_win() -> None:
    html = (
        "<html><head><meta property='og:title' content='开放图谱标题 - 某网'>"
        "<meta property='article:published_time' content='2026-11-25T09:41:00+08:00'>"
        "<title>页面标题_某网</title></head><body><h1>页面标题</h1>"
        "<div>2026-11-01 07:00</div><article><p>" + "正文内容。" * 30 + "</p></article>"
        "</body></html>"
    )
    item = extract_article(
        HtmlResponse(url="http://example.cn/b", body=html.encode(), encoding="utf-8")
    )
    assert item.title == "开放图谱标题"
    assert item.published_at == datetime(2026, 11, 25, 1, 41, tzinfo=UTC)


def test_source_meta_tag_when_the_page_prints_none() -> None:
    html = (
        "<html><head><meta name='source' content='来源：人民网－人民日报'>"
        "<title>营商环境新举措_某网</title></head><body><h1>营商环境新举措</h1>"
        "<div>2026-11-25 05:48</div><div><p>" + "各地推进一件事一次办。" * 10 + "</p></div>"
        "</body></html>"
    )
    item = extract_article(
        HtmlResponse(url="http://example.cn/s", body=html.encode(), encoding="utf-8")
    )
    assert item.media.name == "人民网－人民日报"


DENSE_PAGE = (
    "<html><head><title>南昌某区召开会议_某网</title></head><body>"
    "<div class='nav'><p><a href='/a'>首页</a></p><p><a href='/b'>新闻</a></p></div>"
    "<h1>南昌某区召开会议</h1><div class='info'>2026-11-25 09:00 来源：某报</div>"
    "<div class='txt'><p>第一段会议内容，南昌某区召开专题会议研究部署冬季工作。</p>"
    "<p>第二段会议内容，要求各单位压实责任，确保群众温暖过冬。</p>"
    "<p>责任编辑：某某</p></div>"
    "<div class='links'><p><a href='/c'>相关新闻一则标题比较长的链接文字</a></p></div>"
    "</body></html>"
)


def test_density_fallback_when_trafilatura_finds_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    # Simulates trafilatura rejecting a page (it does on some very short Chinese pages).
    monkeypatch.setattr(generic, "_trafilatura_body", lambda html: "")
    response = HtmlResponse(url="http://example.cn/c", body=DENSE_PAGE.encode(), encoding="utf-8")
    assert extract_article(response).content == (
        "第一段会议内容，南昌某区召开专题会议研究部署冬季工作。\n"
        "第二段会议内容，要求各单位压实责任，确保群众温暖过冬。"
    )


def test_trafilatura_error_does_not_lose_the_item(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args: object, **kwargs: object) -> str:
        raise ValueError("parser bug")

    monkeypatch.setattr(generic.trafilatura, "extract", explode)
    response = HtmlResponse(url="http://example.cn/d", body=DENSE_PAGE.encode(), encoding="utf-8")
    item = extract_article(response)
    assert item.complete
    assert item.content is not None
    assert item.content.startswith("第一段会议内容")


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("南昌红谷滩区丰和大道改造--江西频道--人民网", "南昌红谷滩区丰和大道改造"),
        ("南昌市启动冬季安全检查_南昌频道_中国江西网", "南昌市启动冬季安全检查"),
        ("教育局召开座谈会 - 南昌市人民政府", "教育局召开座谈会"),
        ("标题 | 澎湃新闻", "标题"),
        ("标题｜今日南昌", "标题"),
        # A dash inside the title (no spaces around it) is part of the title.
        ("南昌-九江城际铁路开工", "南昌-九江城际铁路开工"),
        ("", None),
        (None, None),
    ],
)
def test_strip_title_suffix(title: str | None, expected: str | None) -> None:
    assert strip_title_suffix(title) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026年11月25日09:41 | 来源：人民网－江西频道", "人民网－江西频道"),
        ("2019年04月22日08:20\xa0\xa0来源：人民网-江西频道", "人民网-江西频道"),
        ("发布时间：2026-11-20 10:30 来源：南昌市教育局浏览次数：1024", "南昌市教育局"),
        ("2026-11-25 10:12:33　来源：南昌晚报　作者：李明", "南昌晚报"),
        ("来源: 新华社", "新华社"),
        ("2026-11-25 10:12", None),
    ],
)
def test_source_from_text(text: str, expected: str | None) -> None:
    assert source_from_text(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("记者 王晓明", "王晓明"),
        ("本报记者 何思远", "何思远"),
        ("记者 刘芳 通讯员 陈思远", "刘芳、陈思远"),
        ("记者 王晓明、李佳", "王晓明、李佳"),
        ("人民网南昌11月25日电 （记者 王晓明）记者从南昌市获悉", "王晓明"),
        ("新华社北京11月24日电（记者 陈刚）记者24日获悉", "陈刚"),
        ("2026-11-25 10:12:33　来源：南昌晚报　作者：李明　编辑：王芳", "李明"),
        # "记者从…获悉" is a sentence, not a byline.
        ("记者从南昌市红谷滩区城市管理局获悉，丰和大道改造进入攻坚阶段。", None),
        ("", None),
    ],
)
def test_author_from_text(text: str, expected: str | None) -> None:
    assert author_from_text(text) == expected


def test_names_from_byline_drops_roles_and_duplicates() -> None:
    assert names_from_byline("文/记者 张三 图/张三") == "张三"
    assert names_from_byline("本报讯") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(责任编辑：张三、李四)", "张三、李四"),
        ("（责任编辑：王五）", "王五"),
        ("作者：李明　编辑：王芳　点击：12", "王芳"),
        ("没有编辑", None),
    ],
)
def test_editor_from_text(text: str, expected: str | None) -> None:
    assert editor_from_text(text) == expected


# --- registry -----------------------------------------------------------------------


def test_parser_for_people_articles_and_others() -> None:
    assert parser_for("http://jx.people.com.cn/n2/2026/1125/c186330-41401779.html") is (
        people.parse_article
    )
    assert parser_for("https://society.people.com.cn/n1/2026/1124/c1008-40612345.html?a=1")
    assert parser_for("http://jx.people.com.cn/GB/186330/") is None
    assert parser_for("http://www.jinxian-example.gov.cn/art/2026/11/25/art_1_2.html") is None
    # 中国江西网 is a YAML source (`jxnews`): its entry's selectors read its articles.
    assert parser_for(ENORTH_URL).__qualname__ == "configured.parse_article[jxnews]"


def test_extract_uses_the_site_parser_and_the_meta_charset() -> None:
    # A people page saved without headers: its <meta charset=GB2312> decides.
    url = "http://jx.people.com.cn/n2/2026/1125/c186330-41401779.html"
    item = extract(url, fixture_path(WEB_ROOT, url).read_bytes())
    assert item.source == "people"
    assert item.encoding == "gb18030"
    assert item.title == "南昌红谷滩区丰和大道改造进入攻坚阶段 部分路段夜间封闭施工"
    assert item.complete


def test_extract_uses_generic_for_unknown_sites() -> None:
    body = fixture_path(GENERIC_ROOT, GOV_URL).read_bytes()
    # nc.gov.cn itself is a YAML source (`nc_gov`); the same page on a site no entry names.
    item = extract(GOV_URL.replace("www.nc.gov.cn", "www.jinxian-example.gov.cn"), body)
    assert item.source == "generic"
    assert item.title == GENERIC_EXPECTED[GOV_URL].title
    assert item.complete


def test_extract_honours_a_forced_encoding() -> None:
    # The CLI's --encoding: the codec is used as given, not replaced by the <meta> one.
    url = "http://jx.people.com.cn/n2/2026/1122/c186330-41391207.html"
    item = extract(url, fixture_path(WEB_ROOT, url).read_bytes(), encoding="gbk")
    assert item.encoding == "gbk"
    assert item.title == "南昌开展校园及周边食品安全专项检查 发现问题隐患37处"


@pytest.mark.parametrize("codec", ["gbk", "utf-8"])
def test_extract_guesses_pages_that_declare_no_charset(codec: str) -> None:
    html = (
        "<html><head><title>青山湖区通报积水点整治进展_某网</title></head><body>"
        "<h1>青山湖区通报积水点整治进展</h1><div>2026年11月25日09:41 来源：某报</div>"
        "<div><p>" + "青山湖区城管部门通报易涝点整治进展。" * 5 + "</p></div></body></html>"
    )
    item = extract("http://example.cn/e.html", html.encode(codec))
    assert item.title == "青山湖区通报积水点整治进展"
    assert item.encoding == ("gb18030" if codec == "gbk" else "utf-8")
