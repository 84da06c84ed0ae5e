"""Site parsers on the templates and answers real pages show (issue 14).

Each fixture is hand-made (texts and names invented) and models one public fact about
the site, named in the test: an older or other template, a field moved elsewhere, a
JS object where JSON was expected. Pages go through the registry as `yuqing extract`
and a crawl read them: the site parser, then the generic extractor for each field it
missed (`extra.generic_fields` names those).
"""

from __future__ import annotations

from datetime import UTC, datetime

from spiders._base.registry import extract
from spiders.discuz import parse as discuz
from spiders.tieba.parse import parse_legacy_bar
from spiders.weixin.parse import parse_search
from tests.helpers.fixtures import response_from_fixture
from yuqing_spiders.model.items import OpinionItem


def item_of(url: str) -> OpinionItem:
    return extract(url, response_from_fixture(url).body)


def test_thepaper_page_without_next_data_is_read_field_by_field() -> None:
    # thepaper.cn's older server-rendered template (h1.news_title, div.news_about with
    # byline, time and 来源, div.news_txt) has no __NEXT_DATA__; the page names the
    # outlet it reprints (江西日报), which must not become 澎湃新闻.
    item = item_of("https://www.thepaper.cn/newsDetail_forward_29876543")
    assert item.title == "南昌启动城区内涝点改造 今年完成32处"
    assert item.published_at == datetime(2025, 3, 17, 23, 52, tzinfo=UTC)
    assert item.media.name == "江西日报"
    assert item.content
    assert "32处易涝点" in item.content
    assert "下载" not in item.content  # the app promotion closing the text is cut
    assert item.complete
    assert set(item.extra["generic_fields"]) >= {"title", "published_at", "content"}
    assert item.source == "thepaper"


def test_thepaper_next_data_page_keeps_its_own_fields() -> None:
    item = item_of("https://www.thepaper.cn/newsDetail_forward_32190321")
    assert item.media.name == "澎湃新闻"  # its own reporter's story
    assert "generic_fields" not in item.extra


def test_toutiao_older_template() -> None:
    # toutiao.com's older article template: div.article-box with h1.article-title,
    # div.article-sub spans (原创 mark, account, time), body div.article-content; a logo
    # h1 in the header.
    item = item_of("https://www.toutiao.com/a7431234567890123456/")
    assert item.title == "南昌一小区电动车集中充电棚投用 居民告别“飞线充电”"
    assert item.published_at == datetime(2026, 11, 24, 10, 32, 5, tzinfo=UTC)
    assert item.media.name == "南昌晚报"
    assert item.content
    assert item.content.startswith("近日，西湖区一老旧小区")


def test_qq_rain_template() -> None:
    # new.qq.com/rain/a pages of 2019-2023: no window.DATA, div.LEFT h1, a media line
    # (a.media-name, span.media-meta time), body div.content-article.
    item = item_of("https://new.qq.com/rain/a/20261125A06XYZ00")
    assert item.title == "南昌西站春运前完成扩能改造 新增候车座椅800个"
    assert item.published_at == datetime(2026, 11, 25, 8, 2, tzinfo=UTC)
    assert item.media.name == "江西新闻客户端"
    assert item.content
    assert item.content.startswith("记者25日从南昌铁路部门获悉")


def test_baijiahao_year_less_time_takes_the_metadata_year() -> None:
    # baijiahao shows "11-25 14:30" (no year); itemprop=dateUpdate carries the year.
    item = item_of("https://baijiahao.baidu.com/s?id=1818256789012345678")
    assert item.published_at == datetime(2026, 11, 25, 6, 30, tzinfo=UTC)
    assert item.media.name == "青山湖发布"


def test_sina_shown_time_beats_a_later_published_time_meta() -> None:
    # sina keeps article:published_time at the last update (15:11), 5.5 h after the
    # time the page shows (09:41).
    item = item_of("https://news.sina.com.cn/c/2026-11-26/doc-inhcwpkr2345678.shtml")
    assert item.published_at == datetime(2026, 11, 26, 1, 41, tzinfo=UTC)


def test_ifeng_account_name_when_source_is_empty() -> None:
    # ifeng pages since 2022: docData.source empty, the 凤凰号 in subscribe.catename.
    item = item_of("https://news.ifeng.com/c/8eQa5Rt2Zx9")
    assert item.media.name == "南昌发布"


def test_chinanews_source_without_the_glued_comment_link() -> None:
    # chinanews' older template: div.left-t "…来源：<a>中国新闻网</a><a>参与互动</a>".
    item = item_of("https://www.chinanews.com.cn/gn/2026/11-26/10513001.shtml")
    assert item.media.name == "中国新闻网"
    assert item.published_at == datetime(2026, 11, 26, 2, 5, tzinfo=UTC)
    assert item.editor == "李岩"


def test_netease_2020_template() -> None:
    # news.163.com's 2020 template: div.post_time_source, body div.post_text, the
    # editor in span.ep-editor.
    item = item_of("https://news.163.com/20/0511/10/FC3K8A2B0001899O.html")
    assert item.published_at == datetime(2020, 5, 11, 2, 23, 45, tzinfo=UTC)
    assert item.media.name == "南昌晚报"
    assert item.editor == "王凤枝"
    assert item.content
    assert item.content.startswith("记者从南昌市城管部门获悉")


def test_chinacom_editor_is_not_the_author() -> None:
    # china.com.cn: an empty '作者：' span next to '责任编辑：X'.
    item = item_of("http://news.china.com.cn/2026-11/26/content_117125678.shtml")
    assert item.author.name is None
    assert item.editor == "杨程晨"


def test_weixin_byline_skips_marks_times_and_ip_location() -> None:
    # mp.weixin.qq.com's meta line: a 原创 mark, "作者：X", em#publish_time (same class),
    # "发表于江西" (IP属地).
    item = item_of(
        "https://mp.weixin.qq.com/s?__biz=MzI4NjE2MzQ1Mg==&mid=2247501301&idx=1"
        "&sn=0a1b2c3d4e5f60718293a4b5c6d7e8f9"
    )
    assert item.extra["byline"] == "小南"
    assert item.author.ip_location == "江西"
    assert item.media.name == "南昌身边事"


def test_sogou_uigs_para_as_a_js_object_keeps_snuid() -> None:
    # Sogou's `uigs_para` has `"login": passportUserId ? "1" : "0"`: not JSON.
    page = parse_search(
        response_from_fixture(
            "https://weixin.sogou.com/weixin?type=2&page=1&ie=utf8&query=南昌供暖"
        )
    )
    assert page.uigs["snuid"] == "7B2C3D4E5F60718293A4B5C6D7E8F90A"
    assert page.uigs["query"] == "南昌供暖"
    assert "login" not in page.uigs  # a computed member is left out, not guessed


def test_discuz_anonymous_author() -> None:
    # Discuz prints 匿名 without a profile link for an anonymous post.
    page = discuz.parse_thread(
        response_from_fixture("https://bbs.jxnews.com.cn/thread-4123407-1-1.html"),
        "dajiang_bbs",
        "https://bbs.jxnews.com.cn/thread-{tid}-{page}-1.html",
    )
    assert page.item is not None
    assert page.item.author.name == "匿名"
    assert page.item.author.id is None


def test_tieba_bar_page_closing_html_early_still_lists_threads() -> None:
    # tieba's bar page as served closes </body></html> after its header; the thread list
    # (inside an HTML comment in code#pagelet_html_frs-list/pagelet/thread_list) follows.
    response = response_from_fixture("https://tieba.baidu.com/f?kw=南昌航空大学&ie=utf-8&pn=0")
    assert len(response.xpath("/*")) == 2
    page = parse_legacy_bar(response)
    assert page.bar == "南昌航空大学"
    assert len(page.threads) == 2
