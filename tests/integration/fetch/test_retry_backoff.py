"""Retries of 429 / 5xx / timeouts wait exponentially longer, or as long as Retry-After."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
import scrapy
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler
from twisted.internet.error import TimeoutError as ConnectTimeout

from middlewares.retry_backoff import BackoffRetryMiddleware
from yuqing_spiders.fetch.backoff import backoff_delay, parse_retry_after
from yuqing_spiders.model.meta import NOT_BEFORE

URL = "http://www.nc.gov.cn/ncszf/jrnc/list.shtml"


@pytest.fixture
def middleware() -> BackoffRetryMiddleware:
    crawler = get_crawler(
        scrapy.Spider,
        {
            "RETRY_TIMES": 3,
            "YUQING_RETRY_BACKOFF_BASE": 2.0,
            "YUQING_RETRY_BACKOFF_MAX": 60.0,
            "YUQING_RETRY_BACKOFF_JITTER": 0.0,
        },
    )
    crawler.spider = crawler._create_spider("retrytest")
    crawler.stats.open_spider()
    return build_from_crawler(BackoffRetryMiddleware, crawler)


def answer(request: scrapy.Request, status: int, **headers: str) -> HtmlResponse:
    return HtmlResponse(URL, status=status, headers=headers, body=b"busy", request=request)


def wait_of(request: scrapy.Request) -> float:
    return request.meta[NOT_BEFORE] - time.time()


def test_each_retry_waits_twice_as_long(middleware):
    request = scrapy.Request(URL)
    waits = []
    for _ in range(3):
        request = middleware.process_response(request, answer(request, 503))
        assert isinstance(request, scrapy.Request)
        waits.append(wait_of(request))
    assert [round(w) for w in waits] == [2, 4, 8]
    given_up = middleware.process_response(request, answer(request, 503))
    assert isinstance(given_up, HtmlResponse)  # RETRY_TIMES = 3 reached
    stats = middleware.stats
    assert stats.get_value("retry/count") == 3
    assert stats.get_value("retry/max_reached") == 1


def test_retry_after_seconds_and_dates_are_honoured(middleware):
    request = scrapy.Request(URL)
    retry = middleware.process_response(request, answer(request, 429, **{"Retry-After": "30"}))
    assert 29 < wait_of(retry) <= 30
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=600), usegmt=True)
    retry = middleware.process_response(request, answer(request, 503, **{"Retry-After": when}))
    assert 59 < wait_of(retry) <= 60  # capped at YUQING_RETRY_BACKOFF_MAX
    assert middleware.stats.get_value("retry/retry_after_honoured") == 2


def test_timeouts_are_retried_with_backoff(middleware):
    retry = middleware.process_exception(scrapy.Request(URL), ConnectTimeout())
    assert isinstance(retry, scrapy.Request)
    assert retry.dont_filter
    assert 1 < wait_of(retry) <= 2


def test_not_retried_what_should_not_be(middleware):
    request = scrapy.Request(URL)
    missing = answer(request, 404)
    assert middleware.process_response(request, missing) is missing
    opted_out = scrapy.Request(URL, meta={"dont_retry": True})
    busy = answer(opted_out, 503)
    assert middleware.process_response(opted_out, busy) is busy
    assert middleware.process_exception(scrapy.Request(URL), ValueError("bug")) is None


def test_a_retry_whose_time_has_come_goes_at_once(middleware):
    request = scrapy.Request(URL, meta={NOT_BEFORE: time.time() - 1})
    asyncio.run(middleware.process_request(request))
    assert middleware.stats.get_value("retry/backoff_waits") is None


def test_a_retry_waits_without_blocking_the_loop(middleware):
    request = scrapy.Request(URL, meta={NOT_BEFORE: time.time() + 30})

    async def crawl() -> bool:
        waiting = asyncio.ensure_future(middleware.process_request(request))
        await asyncio.sleep(0.2)
        still_waiting = not waiting.done()
        waiting.cancel()
        return still_waiting

    assert asyncio.run(crawl())
    assert middleware.stats.get_value("retry/backoff_waits") == 1


def test_backoff_delay_and_retry_after_parsing():
    assert backoff_delay(1, base=1, cap=60) == 1
    assert backoff_delay(7, base=1, cap=60) == 60
    assert backoff_delay(1, base=1, cap=60, retry_after=12) == 12
    assert 0.8 <= backoff_delay(1, base=1, cap=60, jitter=0.2) <= 1.2
    assert parse_retry_after(b"120", 0) == 120
    assert parse_retry_after(b"soon", 0) is None
    assert parse_retry_after(None, 0) is None
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", 1445412480.0) == 0


def test_off_when_retry_disabled():
    crawler = get_crawler(scrapy.Spider, {"RETRY_ENABLED": False})
    with pytest.raises(NotConfigured):
        build_from_crawler(BackoffRetryMiddleware, crawler)
