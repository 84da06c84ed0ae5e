"""The search spiders' decisions: back-off on captchas and bad answers, re-checks.

Real Scrapy crawlers on the project's settings, real Redis (the session server; keys
under a test prefix), responses built from the fixture files. Facts modelled
: 百度's wappass captcha and the cooldown every worker then sees, a
人民网 search API answer cut short, and results that turn out to be about 上海南昌路,
a county government page, or a portal article with its own parser.
"""

from __future__ import annotations

import pytest
from scrapy.http import TextResponse

from spiders.search import parse_sites as site_search
from spiders.search.engines import BaiduNewsSpider, SogouNewsSpider
from spiders.search.sites import PeopleSearchSpider
from tests.helpers.fixtures import response_from_fixture
from tests.helpers.search_pages import BAIDU_Q1, SOGOU_Q1, WAPPASS
from tests.helpers.spiders import project_spider, with_meta


@pytest.fixture
def make_search_spider(redis_url, key_prefix):
    def make(cls, **extra):
        return project_spider(
            cls,
            REDIS_URL=redis_url,
            SEARCH_COOLDOWN_KEY=f"{key_prefix}:cooldown:%(engine)s",
            SEARCH_COOLDOWN_SECONDS=600,
            SEARCH_BAD_ANSWER_COOLDOWN=60,
            **extra,
        )

    return make


def test_captcha_is_counted_backs_off_every_worker_and_yields_nothing(
    make_search_spider, redis_client
):
    spider = make_search_spider(BaiduNewsSpider)
    other_worker = make_search_spider(BaiduNewsSpider)
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


def test_home_page_starts_one_search_per_watchlist_query(make_search_spider):
    spider = make_search_spider(SogouNewsSpider)
    requests = list(spider.parse(response_from_fixture("https://www.sogou.com/")))
    assert [r.meta["search_query"] for r in requests] == ["南昌", "青山湖区"]
    assert requests[0].url == SOGOU_Q1
    assert all(r.dont_filter for r in requests)


def test_invalid_json_from_an_api_is_counted_and_backed_off(make_search_spider, redis_client):
    spider = make_search_spider(PeopleSearchSpider)
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


def test_results_are_followed_and_articles_rechecked(make_search_spider):
    spider = make_search_spider(BaiduNewsSpider)
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
