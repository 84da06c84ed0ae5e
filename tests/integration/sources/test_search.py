"""Keyword monitoring: result-page parsers, captcha recognition, back-off, re-checks.

Fixtures model sources.md §9 and §1.1/§1.9: 百度资讯 results with hashed
`news-title_*` classes, `baidu.com/link?url=` redirects and the 百度安全验证 /
wappass.baidu.com captcha; 搜狗 `div.vrwrap h3.vr-title > a` results and the redirect
to an `antispider` URL; 360 `li.res-list[data-url]`; the 人民网 search JSON
(`data.records[]`, `<em>` highlights, ms `displayTime`), 澎湃 (`data.list[]`, `<font>`
highlights, `contId`) and 全国党媒平台 (`data[]`, `reprintedUrl`). Redis is real.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import quote

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse, TextResponse
from scrapy.utils.test import get_crawler

import settings as project
from spiders.search import parse as engines
from spiders.search import parse_sites as site_search
from spiders.search.engines import BaiduNewsSpider, SogouNewsSpider
from spiders.search.sites import PeopleSearchSpider
from tests.helpers.fixtures import response_from_fixture
from yuqing_spiders.fetch.cooldown import Cooldown

NOW = datetime(2026, 11, 26, 2, 30, tzinfo=UTC)  # 10:30 in Nanchang
BAIDU_Q1 = engines.search_url(engines.BAIDU_NEWS, "南昌")
SOGOU_Q1 = engines.search_url(engines.SOGOU_NEWS, "南昌")
SO360_Q2 = engines.search_url(engines.SO360_NEWS, "青山湖区")
WAPPASS = (
    "https://wappass.baidu.com/static/captcha/tuxing.html?&logid=11652436825613210459"
    "&ak=c27bbc89afca0463650ac9bde68ebe06&backurl=https%3A%2F%2Fwww.baidu.com%2F"
    "&signature=8f0c4e5d2a&timestamp=1795651200"
)
ANTISPIDER = "https://www.sogou.com/antispider/?from=" + quote(
    "/sogou?interation=1728053249&query=" + quote("青山湖区", safe=""), safe=""
)


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


# --- the spiders' decisions, with real Redis -------------------------------------------


@pytest.fixture
def make_spider(redis_url, key_prefix):
    def make(cls, **extra):
        values = {k: getattr(project, k) for k in dir(project) if k.isupper()}
        values.update(
            REDIS_URL=redis_url,
            SEARCH_COOLDOWN_KEY=f"{key_prefix}:cooldown:%(engine)s",
            SEARCH_COOLDOWN_SECONDS=600,
            SEARCH_BAD_ANSWER_COOLDOWN=60,
            **extra,
        )
        crawler = get_crawler(cls, values)
        crawler.stats.open_spider()
        spider = cls.from_crawler(crawler)
        crawler.spider = spider
        return spider

    return make


def with_meta(response, **meta):
    return response.replace(request=Request(response.url, meta=meta))


def test_captcha_is_counted_backs_off_every_worker_and_yields_nothing(make_spider, redis_client):
    spider = make_spider(BaiduNewsSpider)
    other_worker = make_spider(BaiduNewsSpider)
    blocked = with_meta(response_from_fixture(WAPPASS), search_query="青山湖区")
    assert list(spider.parse_results(blocked)) == []
    assert spider.crawler.stats.get_value("search/captcha/baidu") == 1
    ttl = redis_client.ttl(spider.cooldown.key("baidu"))
    assert 0 < ttl <= 600
    # Another worker's next tick sees the cooldown and sends no search at all.
    home = response_from_fixture("https://www.baidu.com/")
    assert list(other_worker.parse(home)) == []
    assert other_worker.crawler.stats.get_value("search/cooldown_skipped/baidu") == 1
    # A second captcha during the cooldown does not prolong it.
    assert not spider.cooldown.start("baidu", 10_000, "again")
    assert redis_client.ttl(spider.cooldown.key("baidu")) <= 600


def test_home_page_starts_one_search_per_watchlist_query(make_spider):
    spider = make_spider(SogouNewsSpider)
    requests = list(spider.parse(response_from_fixture("https://www.sogou.com/")))
    assert [r.meta["search_query"] for r in requests] == ["南昌", "青山湖区"]
    assert requests[0].url == SOGOU_Q1
    assert all(r.dont_filter for r in requests)


def test_invalid_json_from_an_api_is_counted_and_backed_off(make_spider, redis_client):
    spider = make_spider(PeopleSearchSpider)
    broken = TextResponse(
        url=site_search.PEOPLE_SEARCH, body=b'{"code": "0", "data": {"records": [', encoding="utf-8"
    )
    assert list(spider.parse_results(with_meta(broken, search_query="南昌"))) == []
    assert spider.crawler.stats.get_value("search/bad_answer/people/invalid_json") == 1
    assert 0 < redis_client.ttl(spider.cooldown.key("people")) <= 60
    empty = TextResponse(
        url=site_search.PEOPLE_SEARCH,
        body=b'{"code": "0", "data": {"records": []}}',
        encoding="utf-8",
    )
    assert list(spider.parse_results(with_meta(empty, search_query="南昌"))) == []
    assert spider.crawler.stats.get_value("search/empty/people") == 1


def test_results_are_followed_and_articles_rechecked(make_spider):
    spider = make_spider(BaiduNewsSpider)
    page = with_meta(response_from_fixture(BAIDU_Q1), search_query="南昌", search_rule="nanchang")
    requests = list(spider.parse_results(page))
    assert len(requests) == 5  # one page per tick: max_list_pages is 1
    results = {r.url: r for r in requests}
    # A result whose article turns out to be about 上海南昌路 is not stored.
    shanghai = "https://news.sina.com.cn/s/2026-11-24/doc-inhcrkzm5098765.shtml"
    meta = results["http://www.baidu.com/link?url=Lm5nB2Xc9vDs3Q"].meta
    assert list(spider.parse_article(with_meta(response_from_fixture(shanghai), **meta))) == []
    assert spider.crawler.stats.get_value("search/false_positive") == 1
    # A county government page: the generic extractor, the search source, the matched terms.
    county = "http://www.ncqsh.gov.cn/art/2026/11/25/art_1234_5678901.html"
    meta = results["http://www.baidu.com/link?url=Rw8eJ1Tf4gHk6P"].meta
    (item,) = spider.parse_article(with_meta(response_from_fixture(county), **meta))
    assert item.source == "search_baidu"
    assert item.found_on == "search_baidu:南昌"
    assert {m.rule for m in item.watch} == {"qingshanhu"}  # 南昌 itself is not in the text
    assert "湖坊镇" in item.keywords
    assert spider.crawler.stats.get_value("search/matched_other_rule") == 1
    # A portal article found by search keeps its portal parser and source.
    sina = "https://news.sina.com.cn/c/2026-11-25/doc-inhcvqxa8123456.shtml"
    meta = results["http://www.baidu.com/link?url=Vh2cK8Ls0qAfT1"].meta
    (item,) = spider.parse_article(with_meta(response_from_fixture(sina), **meta))
    assert item.source == "sina"
    assert {"nanchang", "dept-transport"} <= {m.rule for m in item.watch}


def test_cooldown_without_redis_is_kept_in_process():
    cooldown = Cooldown(None, "x:%(engine)s")
    assert cooldown.remaining("sogou") == 0
    assert cooldown.start("sogou", 30, "captcha")
    assert not cooldown.start("sogou", 30, "captcha")
    assert 0 < cooldown.remaining("sogou") <= 30
    assert not cooldown.start("so360", 0, "no pause asked")
    html = HtmlResponse(url="https://news.so.com/", body=b"<html><title>ok</title></html>")
    assert engines.captcha_reason(html) is None
