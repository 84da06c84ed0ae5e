"""The heartbeat extension against real Redis: what a beat writes, its expiry, the
newest-wins source times, and a Redis that is away."""

from __future__ import annotations

import json

import pytest
import redis
import scrapy
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from yuqing_spiders.model.items import OpinionItem
from yuqing_spiders.ops.heartbeat import HeartbeatExtension
from yuqing_spiders.ops.keys import OpsKeys
from yuqing_spiders.ops.services import free_port


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class NewsSpider(scrapy.Spider):
    name = "news"


def extension(url: str, prefix: str, clock: Clock, **settings) -> HeartbeatExtension:
    crawler = get_crawler(
        NewsSpider,
        {"REDIS_URL": url, "YUQING_OPS_PREFIX": prefix, "YUQING_DISTRIBUTED": True, **settings},
    )
    crawler.spider = crawler._create_spider()
    ext = HeartbeatExtension.from_crawler(crawler)
    ext.clock = clock
    return ext


def test_off_without_redis_or_when_disabled():
    with pytest.raises(NotConfigured):
        HeartbeatExtension.from_crawler(get_crawler(NewsSpider, {"REDIS_URL": None}))
    with pytest.raises(NotConfigured):
        HeartbeatExtension.from_crawler(
            get_crawler(
                NewsSpider, {"REDIS_URL": "redis://127.0.0.1:1/0", "YUQING_HEARTBEAT_ENABLED": 0}
            )
        )


def test_a_beat_lists_the_worker_with_counts_and_expires(redis_url, redis_client, key_prefix):
    clock = Clock(1000.0)
    ext = extension(redis_url, key_prefix, clock, YUQING_HEARTBEAT_INTERVAL=5)
    stats = ext.crawler.stats
    stats.set_value("response_received_count", 7)
    stats.set_value("item_scraped_count", 3)
    stats.set_value("yuqing/request_failed/timeout", 2)
    ext.register("news")
    beat = {k.decode(): v.decode() for k, v in redis_client.hgetall(ext.key).items()}
    assert beat["spiders"] == "news"
    assert beat["role"] == "worker"
    assert (beat["pages"], beat["items"], beat["errors"]) == ("7", "3", "2")
    assert json.loads(beat["spider:news"])["items"] == 3
    assert float(beat["last_beat"]) == 1000.0
    assert 0 < redis_client.ttl(ext.key) <= 15  # three beats
    assert stats.get_value("heartbeat/beats") == 1
    ext.unregister()
    assert not redis_client.exists(ext.key)


class SportsSpider(scrapy.Spider):
    name = "sports"


def test_one_crawler_writes_the_process_entry_for_all(redis_url, redis_client, key_prefix):
    """A worker runs a crawler per spider (47): when each beat wrote every crawler's
    counts, an idle worker read 2,209 stats dicts every 10 s. Now the oldest open
    crawler's beat writes the entry, with every crawler's counts; when it closes, the
    next one takes over."""
    clock = Clock(1000.0)
    news = extension(redis_url, key_prefix, clock)
    crawler = get_crawler(SportsSpider, dict(news.crawler.settings))
    crawler.spider = crawler._create_spider()
    sports = HeartbeatExtension.from_crawler(crawler)
    sports.clock = clock
    news.register("news")
    sports.register("sports")  # an opening crawler is listed at once

    def entry() -> dict[str, str]:
        return {k.decode(): v.decode() for k, v in redis_client.hgetall(news.key).items()}

    assert entry()["spiders"] == "news,sports"
    clock.now = 1010.0
    sports.beat()
    assert float(entry()["last_beat"]) == 1000.0  # not the first crawler: no entry write
    sports.crawler.stats.set_value("item_scraped_count", 4)
    news.beat()
    assert float(entry()["last_beat"]) == 1010.0
    assert json.loads(entry()["spider:sports"])["items"] == 4
    news.unregister()
    clock.now = 1020.0
    sports.beat()
    assert (entry()["spiders"], float(entry()["last_beat"])) == ("sports", 1020.0)
    sports.unregister()
    assert not redis_client.exists(news.key)


def test_last_success_keeps_the_newest_time_across_workers(redis_url, redis_client, key_prefix):
    keys = OpsKeys(key_prefix)
    early, late = Clock(100.0), Clock(200.0)
    first = extension(redis_url, key_prefix, late)
    second = extension(redis_url, key_prefix, early)
    complete = OpinionItem(url="http://x.cn/a", source="people", platform="news")
    complete.complete = True
    partial = OpinionItem(url="http://x.cn/b", source="sina", platform="news")
    partial.complete = False
    for ext in (first, second):
        ext.item_scraped(complete, ext.crawler.spider)
        ext.item_scraped(partial, ext.crawler.spider)
    first.beat()
    second.beat()  # older news must not overwrite newer
    assert float(redis_client.get(keys.last_success("people"))) == 200.0
    assert redis_client.get(keys.last_success("sina")) is None  # incomplete is no success

    listing = Request("http://x.cn/list", meta={"yuqing_kind": "list"})
    article = Request("http://x.cn/a")
    spider = first.crawler.spider
    first.response_received(HtmlResponse(article.url, status=200), article, spider)
    assert first._fetch == {}
    first.response_received(HtmlResponse(listing.url, status=503), listing, spider)
    assert first._fetch == {}
    first.response_received(HtmlResponse(listing.url, status=200), listing, spider)
    # A spider serving several boards (discuz: dajiang_bbs, ...): the board's own key.
    board = Request(
        "http://x.cn/forum-1-1.html", meta={"yuqing_kind": "list", "yuqing_source": "dajiang_bbs"}
    )
    first.response_received(HtmlResponse(board.url, status=200), board, spider)
    first.beat()
    assert float(redis_client.get(keys.last_fetch("news"))) == 200.0
    assert float(redis_client.get(keys.last_fetch("dajiang_bbs"))) == 200.0


def test_a_redis_outage_is_counted_and_logged_once_never_raised(caplog, key_prefix):
    ext = extension(f"redis://127.0.0.1:{free_port()}/0", key_prefix, Clock(1.0))
    ext.register("news")
    ext.beat()
    ext.beat()
    assert ext.crawler.stats.get_value("heartbeat/redis_errors") == 3
    warnings = [r for r in caplog.records if "heartbeat not written" in r.message]
    assert len(warnings) == 1
    ext.unregister()  # still no exception


def test_redis_urls_with_passwords_never_reach_the_log(caplog, key_prefix):
    url = f"redis://user:s3cret-pass@127.0.0.1:{free_port()}/0"
    ext = extension(url, key_prefix, Clock(1.0))
    ext.register("news")
    assert "s3cret-pass" not in caplog.text
    assert isinstance(ext.client, redis.Redis)
    ext.unregister()
