"""The leased scheduler: its outbox across a Redis restart, its wiring, and one real
worker whose every lease ends acknowledged (the engine-done + writer-durable rule)."""

from __future__ import annotations

import pytest
import redis
import scrapy
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from tests.helpers.faults import Cluster
from yuqing_spiders.ops.services import EmbeddedRedis
from yuqing_spiders.queue import serializer as json_serializer
from yuqing_spiders.queue.leased import LeasedPriorityQueue
from yuqing_spiders.queue.scheduler import LeasedScheduler, Outbox


class SchedulerSpider(scrapy.Spider):
    name = "schedulertest"


def test_outbox_holds_requests_through_a_redis_restart(tmp_path):
    server = EmbeddedRedis(tmp_path / "redis").start()
    try:
        client = redis.Redis.from_url(server.url)
        queue = LeasedPriorityQueue(client, SchedulerSpider(), "q:%(spider)s", json_serializer)
        stats = MemoryStatsCollector(get_crawler())
        outbox = Outbox(lambda r: queue.push_unless_seen(r, None).id is not None, stats)
        assert outbox.offer(scrapy.Request("http://www.nc.gov.cn/0.html"))
        server.stop()
        for n in (1, 2, 3):
            assert outbox.offer(scrapy.Request(f"http://www.nc.gov.cn/{n}.html"))
        outbox.drain()  # still down: nothing lost, nothing raised
        assert len(outbox) == 3
        server = EmbeddedRedis(tmp_path / "redis", port=server.port).start()
        outbox.drain()
        assert len(outbox) == 0
        urls = [queue.pop().url.rsplit("/", 1)[1] for _ in range(4)]
        assert urls == ["0.html", "1.html", "2.html", "3.html"]  # order kept
        assert stats.get_value("queue/outbox") == 1  # counted once per outage start
        assert stats.get_value("queue/outbox_pushed") == 3
    finally:
        server.stop()


def test_outbox_refuses_a_request_that_is_no_json(redis_client, key_prefix):
    queue = LeasedPriorityQueue(
        redis_client, SchedulerSpider(), f"{key_prefix}:%(spider)s", json_serializer
    )
    stats = MemoryStatsCollector(get_crawler())
    outbox = Outbox(lambda r: queue.push_unless_seen(r, None).id is not None, stats)
    bad = scrapy.Request("http://www.nc.gov.cn/1.html", meta={"handle": object()})
    assert outbox.offer(bad) is False  # dropped with an error, not raised into the engine
    assert outbox.offer(scrapy.Request("http://www.nc.gov.cn/2.html")) is True
    assert stats.get_value("queue/unserializable") == 1
    assert len(queue) == 1


def test_scheduler_refuses_a_queue_that_cannot_lease(redis_url, key_prefix):
    crawler = get_crawler(
        SchedulerSpider,
        {
            "REDIS_URL": redis_url,
            "SCHEDULER_QUEUE_KEY": f"{key_prefix}:%(spider)s:requests",
            "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
            "SCHEDULER_DUPEFILTER_KEY": f"{key_prefix}:%(spider)s:dupefilter",
            "DUPEFILTER_CLASS": (
                "yuqing_spiders.queue.fingerprint_dupefilter.FingerprintRedisDupeFilter"
            ),
            "SCHEDULER_SERIALIZER": "yuqing_spiders.queue.serializer",
            "YUQING_QUEUE_LEASE_SECONDS": 60,
            "YUQING_QUEUE_TICK_INTERVAL": 1,
            "YUQING_QUEUE_REAP_BATCH": 100,
        },
    )
    crawler.spider = crawler._create_spider()
    scheduler = LeasedScheduler.from_crawler(crawler)
    with pytest.raises(ValueError, match="leasing queue"):
        scheduler.open(crawler.spider)


@pytest.mark.slow
def test_every_lease_of_a_worker_ends_acknowledged(tmp_path):
    with Cluster(tmp_path, 40, delay=0.05).running() as cluster:
        worker = cluster.start_worker(idle_exit=2)
        cluster.wait_workers(120)
        assert worker.proc.returncode == 0, worker.text[-3000:]
        assert cluster.stored() == 40
        # 41 = the list page and its 40 articles, each leased once and acknowledged.
        assert worker.stat("queue/leased") == worker.stat("queue/acked") == 41
        assert worker.stat("queue/held_at_close") == 0
        assert worker.stat("bloom/new") == 40
        assert cluster.depths() == {"pending": 0, "leased": 0, "dead": 0}
