"""Keyword monitoring: result-page parsers, captcha recognition, the in-process cooldown
(spiders/search/parse.py, parse_sites.py).

Fixtures model the sites' public pages: 百度资讯 results with hashed
`news-title_*` classes, `baidu.com/link?url=` redirects and the 百度安全验证 /
wappass.baidu.com captcha; 搜狗 `div.vrwrap h3.vr-title > a` results and the redirect
to an `antispider` URL; 360 `li.res-list[data-url]`; the 人民网 search JSON
(`data.records[]`, `<em>` highlights, ms `displayTime`), 澎湃 (`data.list[]`, `<font>`
highlights, `contId`) and 全国党媒平台 (`data[]`, `reprintedUrl`). The spiders'
decisions on real Redis are in tests/integration/sources/test_search_spider.py.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from scrapy.http import HtmlResponse, TextResponse

from spiders.search import parse as engines
from spiders.search import parse_sites as site_search
from tests.helpers.fixtures import response_from_fixture
from tests.helpers.search_pages import ANTISPIDER, BAIDU_Q1, NOW, SO360_Q2, SOGOU_Q1, WAPPASS
from yuqing_spiders.fetch.cooldown import Cooldown


def test_search_urls_are_encoded_as_browsers_send_them():
    assert BAIDU_Q1 == (
        "https://www.baidu.com/s?tn=news&rtt=4&bsst=1&cl=2&wd=%E5%8D%97%E6%98%8C&medium=0"
    )


def test_baidu_results_by_class_prefix_with_redirect_links_and_relative_times():
    page = engines.parse_baidu(response_from_fixture(BAIDU_Q1), now=NOW)
    assert len(page.results) == 5
    first = page.results[0]
    assert first.url == "http://www.baidu.com/link?url=Vh2cK8Ls0qAfT1"
    assert first.title == "南昌地铁4号线早高峰加开8趟列车 部分站点候车时间缩短"  # <em> dropped
    assert first.source_name == "新浪新闻"
    assert first.published_at == datetime(2026, 11, 25, 9, 30, tzinfo=UTC)  # "17小时前"
    assert page.results[3].published_at == datetime(2026, 11, 23, 16, 0, tzinfo=UTC)
    assert page.next_page.endswith("&pn=10")


def test_sogou_and_360_results():
    sogou = engines.parse_sogou(response_from_fixture(SOGOU_Q1), now=NOW)
    assert [r.url for r in sogou.results][
        0
    ] == "https://www.163.com/dy/article/JH3C1V7F05346KF7.html"
    assert sogou.results[1].source_name == "搜狐"
    assert sogou.next_page.startswith("https://www.sogou.com/sogou?query=")
    so360 = engines.parse_so360(response_from_fixture(SO360_Q2), now=NOW)
    assert [r.source_name for r in so360.results] == ["网易", "百家号", "青山湖区人民政府"]
    assert so360.results[0].published_at == datetime(2026, 11, 24, 23, 58, 31, tzinfo=UTC)


def test_site_search_apis():
    people = site_search.parse_people(response_from_fixture(site_search.PEOPLE_SEARCH))
    assert people.results[0].title == "青山湖区一下穿通道暴雨后积水 多部门连夜排险恢复通行"
    assert people.results[0].published_at == datetime(2026, 11, 25, 8, 20, tzinfo=UTC)
    assert people.results[0].source_name == "人民网-江西频道"
    paper = site_search.parse_thepaper(response_from_fixture(site_search.THEPAPER_SEARCH))
    assert [r.url for r in paper.results] == [
        "https://www.thepaper.cn/newsDetail_forward_32187654",
        "https://www.thepaper.cn/newsDetail_forward_32190321",
    ]
    assert paper.results[0].title == "青山湖区京东大道下穿通道完成排水改造"
    hubpd = site_search.parse_hubpd(response_from_fixture(site_search.HUBPD_SEARCH))
    assert hubpd.results[1].source_name == "进贤县融媒体中心"
    assert site_search.thepaper_body("南昌")["word"] == "南昌"  # `keyword` gives code 10001


@pytest.mark.parametrize(
    ("url", "body", "reason"),
    [
        (WAPPASS, None, "baidu_wappass"),
        (ANTISPIDER, None, "sogou_antispider"),
        # The same 百度安全验证 page served at the search URL itself, without a redirect.
        (BAIDU_Q1, WAPPASS, "baidu_security_check"),
    ],
)
def test_captcha_pages_are_recognised(url, body, reason):
    response = response_from_fixture(body or url)
    response = response.replace(url=url)
    assert engines.captcha_reason(response) == reason


def test_result_pages_are_not_captchas():
    for url in (BAIDU_Q1, SOGOU_Q1, SO360_Q2):
        assert engines.captcha_reason(response_from_fixture(url)) is None
    api = TextResponse(url=site_search.PEOPLE_SEARCH, body=b'{"code": "0"}', encoding="utf-8")
    assert engines.captcha_reason(api) is None


def test_cooldown_without_redis_is_kept_in_process():
    cooldown = Cooldown(None, "x:%(engine)s")
    assert cooldown.remaining("sogou") == 0
    assert cooldown.start("sogou", 30, "captcha")
    assert not cooldown.start("sogou", 30, "captcha")
    assert 0 < cooldown.remaining("sogou") <= 30
    assert not cooldown.start("so360", 0, "no pause asked")
    html = HtmlResponse(url="https://news.so.com/", body=b"<html><title>ok</title></html>")
    assert engines.captcha_reason(html) is None
