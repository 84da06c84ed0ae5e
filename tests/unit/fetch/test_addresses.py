"""Which addresses and redirects a crawl may fetch (yuqing_spiders/fetch/addresses.py).

Issue 12 item 8: nothing refused private, loopback or link-local addresses, and
redirects to other hosts were followed. Loopback is allowed only where the replay
site or a test server lives (replay mode, YUQING_FETCH_ALLOW_LOOPBACK).
"""

from __future__ import annotations

import pytest
import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler
from twisted.internet.error import DNSLookupError

from middlewares.safe_fetch import SafeFetchMiddleware
from yuqing_spiders.fetch.addresses import (
    SafeResolver,
    host_refusal,
    loopback_allowed,
    site_of,
)
from yuqing_spiders.model.meta import REDIRECT_ANY_HOST


@pytest.mark.parametrize(
    ("host", "why"),
    [
        ("127.0.0.1", "loopback"),
        ("localhost", "loopback"),
        ("[::1]", "loopback"),
        ("10.1.2.3", "private"),
        ("192.168.1.1", "private"),
        ("172.16.0.9", "private"),
        ("169.254.169.254", "link_local"),
        ("0.0.0.0", "private"),
        ("::ffff:10.0.0.1", "private"),
        ("223.5.5.5", None),
        ("news.sina.com.cn", None),  # a name: judged when DNS answers
    ],
)
def test_host_refusal(host, why):
    assert host_refusal(host, allow_loopback=False) == why


def test_loopback_only_when_allowed_never_private():
    assert host_refusal("127.0.0.1", allow_loopback=True) is None
    assert host_refusal("10.0.0.1", allow_loopback=True) == "private"
    assert loopback_allowed(Settings({"YUQING_REPLAY_URL": "http://127.0.0.1:8080"}))
    assert not loopback_allowed(Settings({}))


def test_site_of_keeps_the_registered_domain():
    assert site_of("news.sina.com.cn") == "sina.com.cn"
    assert site_of("www.163.com") == "163.com"
    assert site_of("www.nc.gov.cn") == "nc.gov.cn"


def middleware(**settings):
    crawler = get_crawler(scrapy.Spider, settings)
    crawler.spider = crawler._create_spider("probe", allowed_domains=["toutiao.com"])
    crawler.stats.open_spider()
    return SafeFetchMiddleware.from_crawler(crawler), crawler.stats


def redirected(url, start, **meta):
    return scrapy.Request(url, meta={"redirect_urls": [start], **meta})


def test_live_crawl_refuses_loopback_and_counts_it():
    mw, stats = middleware()
    with pytest.raises(IgnoreRequest):
        mw.process_request(scrapy.Request("http://127.0.0.1:6379/"))
    with pytest.raises(IgnoreRequest):
        mw.process_request(scrapy.Request("file:///etc/passwd"))
    assert stats.get_value("safe_fetch/refused/loopback") == 1
    assert stats.get_value("safe_fetch/refused/scheme") == 1


def test_redirects_stay_on_site_or_on_allowed_hosts():
    mw, stats = middleware()
    start = "https://news.sina.com.cn/c/doc-1.shtml"
    assert mw.process_request(redirected("https://finance.sina.com.cn/x", start)) is None
    assert mw.process_request(redirected("https://www.toutiao.com/a1/", start)) is None
    with pytest.raises(IgnoreRequest):
        mw.process_request(redirected("https://evil.example.net/", start))
    assert stats.get_value("safe_fetch/refused/offsite_redirect") == 1
    # A search result's redirect (baidu.com/link?url=) may lead to any public host ...
    baidu = "https://www.baidu.com/link?url=abc"
    assert (
        mw.process_request(
            redirected("https://www.ncnews.com.cn/a.html", baidu, **{REDIRECT_ANY_HOST: True})
        )
        is None
    )
    # ... but never to a private one.
    with pytest.raises(IgnoreRequest):
        mw.process_request(redirected("http://192.168.0.1/", baidu, **{REDIRECT_ANY_HOST: True}))


def test_resolver_refuses_names_that_resolve_to_private_addresses():
    crawler = get_crawler(scrapy.Spider, {})
    crawler.stats.open_spider()
    resolver = SafeResolver.from_crawler(crawler, reactor=None)  # type: ignore[arg-type]
    assert resolver._checked("223.5.5.5", "dns.example") == "223.5.5.5"
    with pytest.raises(DNSLookupError, match="private"):
        resolver._checked("10.0.0.8", "intranet.example")
    assert crawler.stats.get_value("safe_fetch/refused/dns_private") == 1


def test_proxies_and_listed_hosts_resolve_without_the_check(monkeypatch):
    # A proxy on the office network (10.x) is how a crawl reaches the internet there.
    monkeypatch.setenv("https_proxy", "http://proxy.office.lan:3128")
    crawler = get_crawler(
        scrapy.Spider,
        {
            "PROXY_POOL_URLS": "http://user:pw@10.0.0.5:8080, socks5://pool.lan:1080",
            "YUQING_FETCH_PRIVATE_HOSTS": ["intranet.nc.gov.cn"],
        },
    )
    resolver = SafeResolver.from_crawler(crawler, reactor=None)  # type: ignore[arg-type]
    assert {"10.0.0.5", "pool.lan", "proxy.office.lan", "intranet.nc.gov.cn"} <= resolver.trusted
