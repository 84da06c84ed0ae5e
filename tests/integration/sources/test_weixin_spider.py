"""The weixin spider: Sogou's antispider page, and the cookie steps before the links.

Real Scrapy crawlers on the project's settings (the `make_spider` fixture in
conftest.py), real Redis (the session server; keys under a test prefix), responses
built from the fixture files. Facts modelled: Sogou's antispider page, which
pauses the source, and the SNUID/JSESSION/SUV steps a browser takes before Sogou's
result links work.
"""

from __future__ import annotations

import json
from urllib.parse import quote

from scrapy.downloadermiddlewares.cookies import CookiesMiddleware
from scrapy.http import HtmlResponse

from spiders.weixin import parse as weixin
from spiders.weixin.spider import WeixinSpider
from tests.helpers.fixtures import response_from_fixture
from tests.helpers.spiders import with_meta


def test_sogou_antispider_is_counted_and_pauses_the_source(make_spider, redis_client, key_prefix):
    spider = make_spider(WeixinSpider)
    anti = "https://weixin.sogou.com/antispider/?from=" + quote(
        f"/weixin?query={quote('南昌停水')}&type=2&page=2&ie=utf8", safe=""
    )
    page = with_meta(
        response_from_fixture(anti), yuqing_source="weixin", term="南昌停水", list_page=2
    )
    assert list(spider.parse_search(page)) == []
    stats = spider.crawler.stats
    assert stats.get_value("yuqing/blocked/weixin/antispider") == 1
    assert stats.get_value("yuqing/backoff/started/weixin") == 1
    assert redis_client.ttl(f"{key_prefix}:backoff:weixin") > 0
    # While paused, the home page starts no search at all.
    home = with_meta(response_from_fixture("https://weixin.sogou.com/"), yuqing_source="weixin")
    assert list(spider.parse(home)) == []
    assert stats.get_value("yuqing/backoff/skipped/weixin") == 1


def test_search_page_starts_the_cookie_steps_then_the_links(make_spider):
    spider = make_spider(WeixinSpider)
    page = with_meta(
        response_from_fixture(weixin.search_url("南昌地铁")),
        yuqing_source="weixin",
        term="南昌地铁",
        list_page=1,
    )
    [first] = list(spider.parse_search(page))  # no next page on this one
    assert first.url == weixin.SUID_CSS_URL
    assert first.cookies[0]["name"] == "SNUID"
    assert first.cookies[0]["domain"] == ".sogou.com"  # sent on to weixin.sogou.com
    assert first.meta["yuqing_allow_empty"]
    assert "SNUID" not in json.dumps(first.meta)  # the cookie value never rides in meta
    css = HtmlResponse(url=first.url, body=b".a{}", request=first)
    [second] = list(spider.after_cookie_step(css))
    assert second.url == weixin.JSESSION_URL
    [third] = list(spider.after_cookie_step(HtmlResponse(url=second.url, body=b"", request=second)))
    assert third.url.startswith(weixin.SUV_PIXEL_URL)
    links = list(spider.after_cookie_step(HtmlResponse(url=third.url, body=b"", request=third)))
    assert len(links) == 2
    assert all("&k=" in r.url and "&h=" in r.url for r in links)
    assert links[0].headers["Referer"] == page.url.encode()
    # Scrapy's own cookie middleware: SNUID given on www.sogou.com reaches the link pages.
    cookies = CookiesMiddleware.from_crawler(spider.crawler)
    cookies.process_request(first)
    cookies.process_request(links[0])
    assert b"SNUID=1F2E3D4C5B6A79880796A5B4C3D2E1F0" in links[0].headers["Cookie"]
