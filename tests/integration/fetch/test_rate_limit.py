"""The cluster-wide per-site rate: slots reserved in a real Redis, shared by workers."""

from __future__ import annotations

import asyncio

import pytest
import scrapy
from scrapy.exceptions import NotConfigured
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from middlewares.rate_limit import ClusterRateLimitMiddleware
from yuqing_spiders.fetch.rate import site_of
from yuqing_spiders.ops.services import free_port


def make_middleware(redis_url: str, key_prefix: str, **settings) -> ClusterRateLimitMiddleware:
    crawler = get_crawler(
        settings_dict={
            "REDIS_URL": redis_url,
            "YUQING_RATE_ENABLED": True,
            "YUQING_RATE_KEY": f"{key_prefix}:rate:%(domain)s",
            "YUQING_RATE_INTERVAL": 10.0,
            "YUQING_RATE_INTERVALS": {"people.com.cn": 20.0},
            **settings,
        }
    )
    crawler.stats.open_spider()
    return build_from_crawler(ClusterRateLimitMiddleware, crawler)


def test_site_is_the_configured_domain_or_the_host():
    configured = {"people.com.cn": 1.0, "jx.people.com.cn": 2.0}
    assert site_of("JX.people.com.cn", configured) == "jx.people.com.cn"  # longest match
    assert site_of("www.people.com.cn", configured) == "people.com.cn"
    assert site_of("notpeople.com.cn", configured) == "notpeople.com.cn"
    assert site_of("www.nc.gov.cn", configured) == "www.nc.gov.cn"


def test_two_workers_get_consecutive_slots(redis_url, key_prefix):
    first, second = make_middleware(redis_url, key_prefix), make_middleware(redis_url, key_prefix)
    waits = [mw._reserve_slot("www.nc.gov.cn", 10.0) for mw in (first, second, first, second)]
    # Slot i starts i intervals (10 s) after the first, whichever worker asks.
    for i, wait in enumerate(waits):
        assert i * 10_000 - 5_000 < wait <= i * 10_000
    assert first._reserve_slot("www.jiangxi.gov.cn", 10.0) == 0  # another site, its own rate


def test_waiting_request_does_not_block_the_loop(redis_url, key_prefix):
    middleware = make_middleware(redis_url, key_prefix)
    url = "http://jx.people.com.cn/GB/186330/"

    async def crawl() -> bool:
        await middleware.process_request(scrapy.Request(url))  # first slot: now
        waiting = asyncio.ensure_future(middleware.process_request(scrapy.Request(url)))
        await asyncio.sleep(0.2)  # the loop runs on while the second one waits its 20 s
        still_waiting = not waiting.done()
        waiting.cancel()
        return still_waiting

    assert asyncio.run(crawl())
    stats = middleware.stats
    assert stats.get_value("rate/reserved") == 2
    assert stats.get_value("rate/delayed") == 1
    assert stats.get_value("rate/delay_ms") > 15_000  # the people.com.cn interval, 20 s


def test_meta_zero_exempts_a_request(redis_url, key_prefix):
    middleware = make_middleware(redis_url, key_prefix)
    request = scrapy.Request("http://www.nc.gov.cn/", meta={"yuqing_rate_interval": 0})
    asyncio.run(middleware.process_request(request))
    assert middleware.stats.get_value("rate/reserved") is None


def test_redis_outage_lets_requests_through_counted(key_prefix):
    middleware = make_middleware(f"redis://127.0.0.1:{free_port()}/0", key_prefix)
    for _ in range(3):
        asyncio.run(middleware.process_request(scrapy.Request("http://www.nc.gov.cn/")))
    assert middleware.stats.get_value("rate/redis_errors") == 3
    assert middleware.stats.get_value("rate/reserved") is None


def test_off_unless_enabled_and_redis_configured(redis_url, key_prefix):
    with pytest.raises(NotConfigured):
        make_middleware(redis_url, key_prefix, YUQING_RATE_ENABLED=False)
    with pytest.raises(NotConfigured, match="REDIS_URL"):
        make_middleware("", key_prefix)
