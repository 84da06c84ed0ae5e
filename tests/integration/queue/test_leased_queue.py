"""The leased queue on a real Redis: priorities, leases, acks, expiry, atomic Bloom push."""

from __future__ import annotations

import threading

import pytest
import scrapy

from yuqing_spiders.queue import serializer as json_serializer
from yuqing_spiders.queue.bloom import NEW, SEEN, BloomSpec, BucketPolicy
from yuqing_spiders.queue.leased import LeasedPriorityQueue, queue_depths


class QueueSpider(scrapy.Spider):
    name = "queuetest"

    def parse(self, response):
        return None


@pytest.fixture
def make_queue(redis_client, key_prefix):
    def make(**kwargs) -> LeasedPriorityQueue:
        return LeasedPriorityQueue(
            redis_client,
            QueueSpider(),
            f"{key_prefix}:%(spider)s:requests",
            json_serializer,
            **kwargs,
        )

    return make


def req(n: int, priority: int = 0, **kwargs) -> scrapy.Request:
    return scrapy.Request(f"http://www.nc.gov.cn/a/{n}.html", priority=priority, **kwargs)


def expire_all(queue: LeasedPriorityQueue) -> None:
    """Move every lease's expiry into the past, as time would (no sleeping in tests)."""
    for member in queue.server.zrange(queue.keys.leases, 0, -1):
        queue.server.zadd(queue.keys.leases, {member: 0})


def test_priority_order_then_first_in_first_out(make_queue):
    queue = make_queue()
    for n, priority in [(1, 0), (2, 5), (3, 0), (4, 5), (5, -1)]:
        queue.push(req(n, priority))
    order = [queue.pop().url.rsplit("/", 1)[1] for _ in range(5)]
    assert order == ["2.html", "4.html", "1.html", "3.html", "5.html"]
    assert queue.pop() is None


def test_request_round_trips_through_the_queue(make_queue):
    queue = make_queue()
    original = req(1, 3, meta={"list_page": 2}, callback=QueueSpider().parse, dont_filter=True)
    queue.push(original)
    back = queue.pop()
    assert (back.url, back.priority, back.meta, back.dont_filter) == (
        original.url,
        3,
        {"list_page": 2},
        True,
    )
    assert back.callback.__name__ == "parse"


def test_pop_leases_and_ack_deletes(make_queue):
    queue = make_queue()
    queue.push(req(1))
    popped = queue.pop_leased()
    assert popped.lease is not None
    assert (len(queue), queue.leased(), queue.backlog()) == (0, 1, 1)
    assert queue.ack([popped.lease.id]) == (1, 0, 0)
    assert (len(queue), queue.leased()) == (0, 0)
    assert queue.server.hlen(queue.keys.data) == 0
    assert queue.server.hlen(queue.keys.owners) == 0


def test_expired_lease_returns_with_its_priority(make_queue):
    queue = make_queue()
    queue.push(req(1, priority=7))
    queue.push(req(2, priority=1))
    first = queue.pop_leased().lease
    assert first.request.url.endswith("/1.html")
    expire_all(queue)
    again = queue.pop_leased()
    assert again.reaped == 1
    assert again.lease.request.url.endswith("/1.html")  # still ahead of priority 1
    assert again.lease.id == first.id


def test_reap_returns_every_expired_lease(make_queue):
    queue = make_queue()
    for n in range(5):
        queue.push(req(n))
    for _ in range(5):
        queue.pop_leased()
    expire_all(queue)
    assert queue.reap() == 5
    assert (len(queue), queue.leased()) == (5, 0)


def test_a_stale_ack_never_touches_another_workers_lease(make_queue):
    slow, other = make_queue(), make_queue()
    slow.push(req(1))
    mine = slow.pop_leased().lease
    expire_all(slow)
    theirs = other.pop_leased().lease  # reaps and re-leases the same request
    assert theirs.id == mine.id
    assert slow.ack([mine.id]) == (0, 0, 1)
    assert other.leased() == 1
    assert slow.renew([mine.id]) == [mine.id]  # lost, and reported as such
    assert other.ack([theirs.id]) == (1, 0, 0)


def test_ack_after_requeue_takes_the_request_out(make_queue):
    queue = make_queue()
    queue.push(req(1))
    lease = queue.pop_leased().lease
    expire_all(queue)
    assert queue.reap() == 1
    assert queue.ack([lease.id]) == (0, 1, 0)  # done and stored: no second fetch
    assert (len(queue), queue.leased()) == (0, 0)


def test_renew_moves_expiry_and_release_gives_back(make_queue):
    queue = make_queue(lease_seconds=30)
    queue.push(req(1, priority=4))
    lease = queue.pop_leased().lease
    expire_all(queue)
    assert queue.renew([lease.id]) == []
    assert queue.reap() == 0  # renewed: not expired any more
    assert queue.release([lease.id]) == 1
    assert (len(queue), queue.leased()) == (1, 0)
    assert queue.server.zscore(queue.keys.pending, lease.id) == -4


def test_push_unless_seen_is_one_atomic_step(make_queue):
    queue = make_queue()
    spec, policy = BloomSpec.for_capacity(1000, 0.01), BucketPolicy(10**8, 2)
    args = policy.args(f"{queue.key}:bloom", spec.bits, spec.positions(bytes(range(20))))
    first = queue.push_unless_seen(req(1), args)
    second = queue.push_unless_seen(req(1), args)
    assert first.check == NEW
    assert first.id is not None
    assert second.check == SEEN
    assert second.id is None
    assert len(queue) == 1


def test_concurrent_workers_lease_each_request_once(make_queue):
    source = make_queue()
    for n in range(300):
        source.push(req(n))
    taken: list[list[str]] = [[], [], []]

    def drain(into: list[str]) -> None:
        queue = make_queue()
        while (lease := queue.pop_leased().lease) is not None:
            into.append(lease.request.url)

    threads = [threading.Thread(target=drain, args=(bucket,)) for bucket in taken]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    urls = [url for bucket in taken for url in bucket]
    assert len(urls) == len(set(urls)) == 300
    assert source.leased() == 300


def test_undecodable_request_is_buried_not_retried(make_queue):
    queue = make_queue()
    queue.push(req(1))
    request_id = queue.server.zrange(queue.keys.pending, 0, 0)[0]
    queue.server.hset(queue.keys.data, request_id, b'{"url": 42')
    popped = queue.pop_leased()
    assert popped.lease is None
    assert popped.buried == request_id.decode()
    assert queue_depths(queue.server, queue.key) == {"pending": 0, "leased": 0, "dead": 1}


def test_clear_removes_every_key(make_queue):
    queue = make_queue()
    queue.push(req(1))
    queue.pop_leased()
    queue.push(req(2))
    queue.clear()
    assert not any(queue.server.exists(k) for k in queue.keys)
