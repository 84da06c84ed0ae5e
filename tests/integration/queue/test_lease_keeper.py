"""When the keeper acknowledges: only once the engine is done with a request and the
writer has made its items durable; never while a child request waits to be queued."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import redis
import scrapy
from scrapy.http import HtmlResponse
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from yuqing_spiders.ops.services import free_port
from yuqing_spiders.queue import serializer as json_serializer
from yuqing_spiders.queue.keeper import LeaseConfig, LeaseKeeper
from yuqing_spiders.queue.leased import Lease, LeasedPriorityQueue


class KeeperSpider(scrapy.Spider):
    name = "keepertest"


@dataclass
class WriterCounts:
    """The two numbers the keeper reads from the MongoDB writer."""

    accepted: int = 0
    durable_through: int = 0


@pytest.fixture
def queue(redis_client, key_prefix) -> LeasedPriorityQueue:
    return LeasedPriorityQueue(
        redis_client, KeeperSpider(), f"{key_prefix}:%(spider)s:requests", json_serializer
    )


@pytest.fixture
def engine() -> set[scrapy.Request]:
    """Stands for the engine's in-progress set: requests it has not finished."""
    return set()


@pytest.fixture
def sink() -> WriterCounts:
    return WriterCounts()


@pytest.fixture
def keeper(queue, engine, sink) -> LeaseKeeper:
    stats = MemoryStatsCollector(get_crawler())
    stats.open_spider()
    return LeaseKeeper(queue, stats, in_progress=lambda: engine, sinks=[sink], renew_interval=3600)


def take(queue: LeasedPriorityQueue, keeper: LeaseKeeper, engine: set, n: int) -> str:
    queue.push(scrapy.Request(f"http://www.nc.gov.cn/{n}.html"))
    lease = queue.pop_leased().lease
    keeper.took(lease)
    engine.add(lease.request)
    return lease.id


def test_no_ack_while_the_engine_works_on_it(queue, keeper, engine):
    take(queue, keeper, engine, 1)
    keeper.tick()
    assert queue.leased() == 1
    assert keeper.stats.get_value("queue/acked") is None


def scraped(keeper: LeaseKeeper, sink: WriterCounts, request: scrapy.Request | None) -> None:
    """One item of `request` passed the pipelines: the writer holds it now."""
    sink.accepted += 1
    response = HtmlResponse(request.url, request=request) if request is not None else None
    keeper.on_item_scraped(response=response)


def test_ack_waits_for_the_writer_to_make_items_durable(queue, keeper, engine, sink):
    lease_id = take(queue, keeper, engine, 1)
    scraped(keeper, sink, keeper.held[lease_id])  # its item is in the writer's batch
    engine.clear()  # the engine finished it
    keeper.tick()
    assert queue.leased() == 1  # the batch is still in memory
    sink.durable_through = 1
    keeper.on_items_durable(through=1)
    assert queue.leased() == 0
    assert keeper.stats.get_value("queue/acked") == 1


def test_each_request_waits_for_its_own_batch_only(queue, keeper, engine, sink):
    first = take(queue, keeper, engine, 1)
    second = take(queue, keeper, engine, 2)
    scraped(keeper, sink, keeper.held[first])
    sink.durable_through = 1  # the batch holding the first's item is written
    scraped(keeper, sink, keeper.held[second])  # the second's item waits in memory
    engine.clear()
    keeper.tick()
    assert keeper.done == {second: (2,)}  # the first is acknowledged already
    assert queue.leased() == 1


def test_ack_waits_for_every_sink_the_alerts_too(queue, engine, sink):
    """An item's alert must be durable too: acknowledged while its alert was still in
    memory, a crash would lose the alert for good (nobody fetches the item again)."""
    alerts = WriterCounts()
    stats = MemoryStatsCollector(get_crawler())
    stats.open_spider()
    keeper = LeaseKeeper(
        queue, stats, in_progress=lambda: engine, sinks=[sink, alerts], renew_interval=3600
    )
    lease_id = take(queue, keeper, engine, 1)
    alerts.accepted += 1  # the alert stage took the item (and decided an alert)
    scraped(keeper, sink, keeper.held[lease_id])
    engine.clear()
    sink.durable_through = 1  # the item is stored ...
    keeper.on_items_durable(through=1)
    assert queue.leased() == 1  # ... its alert is not yet
    alerts.durable_through = 1
    keeper.tick()
    assert queue.leased() == 0
    assert stats.get_value("queue/acked") == 1


def test_finished_request_without_items_is_acked_at_once(queue, keeper, engine, sink):
    sink.accepted = 5  # other requests' items wait in the writer: not this one's concern
    take(queue, keeper, engine, 1)
    engine.clear()
    keeper.tick()
    assert queue.leased() == 0


def test_an_untraced_item_holds_back_every_request(queue, keeper, engine, sink):
    take(queue, keeper, engine, 1)
    scraped(keeper, sink, None)  # an item whose request is not known here
    engine.clear()
    keeper.tick()
    assert queue.leased() == 1  # it might be this request's item
    assert keeper.stats.get_value("queue/items_untraced") == 1
    sink.durable_through = 1
    keeper.tick()
    assert queue.leased() == 0


def test_no_ack_while_a_child_request_waits_in_the_outbox(queue, keeper, engine, sink):
    outbox = ["a child request Redis did not take yet"]
    keeper.ack_blocked = lambda: bool(outbox)
    take(queue, keeper, engine, 1)
    engine.clear()
    keeper.tick()
    keeper.on_items_durable(through=0)
    assert queue.leased() == 1
    outbox.clear()
    keeper.tick()
    assert queue.leased() == 0


def test_lost_items_send_their_requests_back(queue, keeper, engine, sink):
    done = take(queue, keeper, engine, 1)
    busy = take(queue, keeper, engine, 2)
    scraped(keeper, sink, keeper.held[done])
    scraped(keeper, sink, keeper.held[busy])
    engine.discard(keeper.held[done])
    keeper.tick()  # 1 finished, waiting for the writer
    keeper.on_items_durable(through=2, lost=2)
    assert len(queue) == 1  # 1 is back in pending
    engine.clear()
    keeper.tick()  # 2 finishes: its item may have been in the lost batch too
    assert len(queue) == 2
    assert keeper.stats.get_value("queue/released_items_lost") == 2
    assert busy not in keeper.done


def test_stop_returns_unfinished_leases(queue, keeper, engine):
    take(queue, keeper, engine, 1)
    take(queue, keeper, engine, 2)
    keeper.stop()
    assert (len(queue), queue.leased()) == (2, 0)
    assert keeper.stats.get_value("queue/released") == 2
    assert keeper.stats.get_value("queue/held_at_close") == 0


def test_renewal_keeps_a_slow_request_leased(queue, keeper, engine):
    take(queue, keeper, engine, 1)
    for member in queue.server.zrange(queue.keys.leases, 0, -1):
        queue.server.zadd(queue.keys.leases, {member: 0})  # about to expire
    keeper._next_renew = 0
    keeper.tick()
    assert queue.reap() == 0
    assert keeper.stats.get_value("queue/renewed") == 1


def test_redis_errors_are_counted_not_raised(keeper, engine):
    # A queue on a port nothing listens on: every call fails like an outage.
    down = redis.Redis.from_url(f"redis://127.0.0.1:{free_port()}/0")
    keeper.queue = LeasedPriorityQueue(down, KeeperSpider(), "down:%(spider)s", json_serializer)
    keeper.took(Lease("0000000000000001", scrapy.Request("http://www.nc.gov.cn/1.html")))
    keeper._next_renew = 0
    keeper.tick()
    assert keeper.stats.get_value("queue/redis_errors/ack") == 1
    assert keeper.stats.get_value("queue/redis_errors/renew") == 1
    assert keeper.stats.get_value("queue/redis_errors/reap") == 1
    assert list(keeper.done) == ["0000000000000001"]  # acknowledged when Redis is back


def test_config_refuses_a_renewal_slower_than_the_lease():
    base = {"YUQING_QUEUE_TICK_INTERVAL": 1, "YUQING_QUEUE_REAP_BATCH": 100}
    settings = get_crawler(
        settings_dict={**base, "YUQING_QUEUE_LEASE_SECONDS": 10, "YUQING_QUEUE_RENEW_INTERVAL": 10}
    ).settings
    with pytest.raises(ValueError, match="shorter than the lease"):
        LeaseConfig.from_settings(settings)
    settings = get_crawler(settings_dict={**base, "YUQING_QUEUE_LEASE_SECONDS": 8}).settings
    assert LeaseConfig.from_settings(settings).renew_interval == 2
