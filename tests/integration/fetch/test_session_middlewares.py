"""The cookie-pool and ban-detection middlewares on hand-made requests, real Redis.

Models: HTTP 432 is m.weibo.cn's WAF refusing a session; a redirect to
passport.weibo.com/sso/signin is a login wall.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import pytest
import redis
from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

import settings as base_settings
from middlewares.ban_detection import BanDetectionMiddleware
from middlewares.cookie_pool import CookiePoolMiddleware
from yuqing_spiders.fetch.proxies import ProxyPool
from yuqing_spiders.fetch.sessions import VISITOR, CookiePool

COOKIE_A = "SUB=_2A25secret-login-a; SUBP=0033secret-a"
COOKIE_B = "SUB=_2A25secret-login-b; SUBP=0033secret-b"
SEARCH = "https://m.weibo.cn/api/container/getIndex?containerid=100103type%3D61&page=1"


@pytest.fixture
def crawler(redis_url: str) -> Crawler:
    return get_crawler(
        settings_dict={
            "REDIS_URL": redis_url,
            "COOKIE_POOL_ENABLED": True,
            "COOKIE_POOL_PLATFORMS": base_settings.COOKIE_POOL_PLATFORMS,
            "COOKIE_POOL_WAIT": 0,
            "COOKIE_POOL_VISITOR_TTL": 3600,
            "COOKIE_POOL_HANDSHAKE_LOCK": 5,
            "BAN_DETECTION_ENABLED": True,
            "BAN_DETECTION_RULES": base_settings.BAN_DETECTION_RULES,
            "BAN_DETECTION_COOLDOWN": 900,
            "BAN_DETECTION_MAX_RETRIES": 2,
            "BAN_DETECTION_RETRY_DELAY": 1.5,
        }
    )


@pytest.fixture
def weibo_pool(redis_client: redis.Redis) -> Any:
    """The production key layout (the middlewares use it): cleaned before and after."""
    pool = CookiePool(redis_client, "weibo")

    def clean() -> None:
        for key in redis_client.scan_iter("yuqing:cookies:weibo*"):
            redis_client.delete(key)
        for key in redis_client.scan_iter("yuqing:proxies*"):
            redis_client.delete(key)

    clean()
    yield pool
    clean()


def stats(crawler: Crawler) -> dict[str, Any]:
    assert crawler.stats is not None
    return crawler.stats.get_stats()


def assigned(crawler: Crawler, url: str = SEARCH) -> Request:
    """A request after the cookie pool gave it a session."""
    middleware = build_from_crawler(CookiePoolMiddleware, crawler)
    request = Request(url)
    asyncio.run(middleware.process_request(request))
    return request


def test_pool_sets_the_session_and_takes_it_back(crawler: Crawler, weibo_pool: CookiePool) -> None:
    loaded = weibo_pool.load([("a", COOKIE_A), ("b", COOKIE_B)])
    ids = dict(zip(loaded, (COOKIE_A, COOKIE_B), strict=True))
    middleware = build_from_crawler(CookiePoolMiddleware, crawler)
    request = Request(SEARCH)
    asyncio.run(middleware.process_request(request))
    first = request.meta["cookie_pool_id"]
    assert request.headers[b"Cookie"] == ids[first].encode()
    assert request.meta["cookie_pool_kind"] == "login"
    assert request.meta["dont_merge_cookies"] is True  # Scrapy's jar never mixes sessions
    response = HtmlResponse(SEARCH, status=200, body=b"{}", request=request)
    middleware.process_response(request, response)
    assert b"Cookie" not in request.headers  # nothing to carry into a retry or the queue
    assert weibo_pool.client.hget(f"{weibo_pool.key}:meta:{first}", "last_ok")  # health
    assert stats(crawler)["cookie_pool/weibo/assigned/login"] == 1
    other = Request("https://www.people.com.cn/")
    asyncio.run(middleware.process_request(other))
    assert b"Cookie" not in other.headers  # not a session host


def test_login_only_host_without_login_session_is_given_up(
    crawler: Crawler, weibo_pool: CookiePool
) -> None:
    weibo_pool.add("SUB=v; SUBP=v", kind=VISITOR, ttl=3600)
    middleware = build_from_crawler(CookiePoolMiddleware, crawler)
    with pytest.raises(IgnoreRequest, match="no usable weibo session"):
        asyncio.run(middleware.process_request(Request("https://s.weibo.com/weibo?q=x")))
    assert stats(crawler)["cookie_pool/weibo/no_session"] == 1
    # m.weibo.cn takes the visitor session.
    request = Request(SEARCH)
    asyncio.run(middleware.process_request(request))
    assert request.meta["cookie_pool_kind"] == "visitor"


def test_ban_cools_the_session_and_proxy_and_retries_clean(
    crawler: Crawler, weibo_pool: CookiePool, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    ids = set(weibo_pool.load([("a", COOKIE_A), ("b", COOKIE_B)]))
    request = assigned(crawler)
    first = request.meta["cookie_pool_id"]
    (second,) = ids - {first}
    request.meta.update({"proxy_pool_id": "p1", "proxy": "http://127.0.0.1:3128"})
    request.headers[b"Proxy-Authorization"] = b"Basic dTpwYXNzd29yZA=="
    ban = build_from_crawler(BanDetectionMiddleware, crawler)
    before = time.time()
    retry = ban.process_response(request, HtmlResponse(SEARCH, status=432, request=request))
    assert isinstance(retry, Request)
    assert retry.url == SEARCH
    assert retry.dont_filter
    assert b"Cookie" not in retry.headers
    assert b"Proxy-Authorization" not in retry.headers
    for key in ("cookie_pool_id", "cookie_pool_kind", "proxy_pool_id", "proxy"):
        assert key not in retry.meta
    assert retry.meta["ban_retries"] == 1
    assert before + 1.5 <= retry.meta["yuqing_not_before"] <= time.time() + 1.5  # back-off
    assert weibo_pool.is_cooling(first)
    assert 0 < weibo_pool.client.ttl(f"{weibo_pool.key}:cooldown:{first}") <= 900
    assert ProxyPool(weibo_pool.client, []).is_banned("p1", "weibo.cn")
    assert assigned(crawler).meta["cookie_pool_id"] == second  # the retry gets the other one
    found = stats(crawler)
    assert (found["ban/weibo/ban"], found["ban/weibo/retried"]) == (1, 1)
    assert (found["cookie_pool/weibo/banned"], found["proxy_pool/banned"]) == (1, 1)
    assert "secret" not in caplog.text
    assert "secret" not in repr(found)


def test_ban_gives_up_after_the_retries(crawler: Crawler, weibo_pool: CookiePool) -> None:
    weibo_pool.load([("a", COOKIE_A)])
    request = assigned(crawler)
    request.meta["ban_retries"] = 2
    ban = build_from_crawler(BanDetectionMiddleware, crawler)
    with pytest.raises(IgnoreRequest, match="weibo ban"):
        ban.process_response(request, HtmlResponse(SEARCH, status=418, request=request))
    assert stats(crawler)["ban/weibo/gave_up"] == 1


def test_login_wall_expires_a_login_and_drops_a_visitor(
    crawler: Crawler, weibo_pool: CookiePool
) -> None:
    (login,) = weibo_pool.load([("weibo/a.txt#1", COOKIE_A)])
    ban = build_from_crawler(BanDetectionMiddleware, crawler)
    wall = {"Location": "https://passport.weibo.com/sso/signin?entry=miniblog"}
    request = assigned(crawler, "https://s.weibo.com/weibo?q=x")
    response = HtmlResponse(request.url, status=302, headers=wall, request=request)
    assert isinstance(ban.process_response(request, response), Request)
    assert weibo_pool.expired()[login]["origin"] == "weibo/a.txt#1"
    assert stats(crawler)["cookie_pool/weibo/expired"] == 1
    visitor = weibo_pool.add("SUB=v; SUBP=v", kind=VISITOR, ttl=3600)
    request = assigned(crawler)
    assert request.meta["cookie_pool_id"] == visitor
    body = b'{"ok":-100,"url":"https://passport.weibo.com/sso/signin"}'
    ban.process_response(request, HtmlResponse(SEARCH, body=body, request=request))
    assert weibo_pool.kind_of(visitor) is None  # dropped, not recorded as an expired login
    assert visitor not in weibo_pool.expired()


def test_forced_session_check_is_not_rotated(crawler: Crawler, weibo_pool: CookiePool) -> None:
    first, _ = weibo_pool.load([("a", COOKIE_A), ("b", COOKIE_B)])
    middleware = build_from_crawler(CookiePoolMiddleware, crawler)
    request = Request("https://m.weibo.cn/api/config", meta={"cookie_pool_force": first})
    asyncio.run(middleware.process_request(request))
    assert request.meta["cookie_pool_id"] == first
    ban = build_from_crawler(BanDetectionMiddleware, crawler)
    with pytest.raises(IgnoreRequest):
        ban.process_response(request, HtmlResponse(request.url, status=432, request=request))
    with pytest.raises(IgnoreRequest, match="cooling down or expired"):
        asyncio.run(middleware.process_request(Request(request.url, meta=dict(request.meta))))
