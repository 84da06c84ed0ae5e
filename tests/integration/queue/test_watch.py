"""The shared queue watch on a real Redis: one script reads every watched queue, a
reading serves until it is `max_age` old, and it sees what a pop would find (pending
requests, leases that ran out) and the seed lists."""

from __future__ import annotations

import redis
import scrapy
from redis.backoff import NoBackoff
from redis.retry import Retry

from yuqing_spiders.ops.services import EmbeddedRedis
from yuqing_spiders.queue import serializer as json_serializer
from yuqing_spiders.queue.leased import LeasedPriorityQueue
from yuqing_spiders.queue.seeds import Seed, push_seeds, seed_key
from yuqing_spiders.queue.watch import QueueWatch, Watched, find_watch, queue_watch, release_watch


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def make_queue(client: redis.Redis, prefix: str, name: str) -> LeasedPriorityQueue:
    spider = scrapy.Spider(name=name)
    return LeasedPriorityQueue(client, spider, f"{prefix}:%(spider)s:requests", json_serializer)


def watched(queue: LeasedPriorityQueue, prefix: str) -> Watched:
    seeds = seed_key(queue.spider.name, f"{prefix}:%(spider)s:start_urls")
    return Watched(queue.keys.pending, queue.keys.leases, seeds)


def lengths_read(client: redis.Redis) -> int:
    """LLEN calls the server ran: in these tests only the watch's script reads a list
    length, once per watched queue and reading (tests have a Redis per xdist worker)."""
    return int(client.info("commandstats").get("cmdstat_llen", {}).get("calls", 0))


def test_one_reading_serves_every_queue_until_it_is_old(redis_client, key_prefix):
    clock = Clock()
    watch = QueueWatch(redis_client, max_age=1.0, clock=clock)
    a, b = make_queue(redis_client, key_prefix, "a"), make_queue(redis_client, key_prefix, "b")
    wa, wb = watched(a, key_prefix), watched(b, key_prefix)
    watch.watch(wa)
    watch.watch(wb)
    before = lengths_read(redis_client)
    assert watch.look(wa).pending == watch.look(wb).pending == 0
    b.push(scrapy.Request("http://www.nc.gov.cn/1.html"))
    clock.now += 0.9
    # Younger than max_age: the old reading answers, for both queues, with no call.
    assert watch.look(wb).pending == 0
    assert watch.readings == 1
    assert lengths_read(redis_client) - before == 2  # one script over both queues
    clock.now += 0.2
    look = watch.look(wb)
    assert (look.pending, look.leased, look.work_for_pop, look.backlog) == (1, 0, True, 1)
    assert watch.look(wa).work_for_pop is False
    assert watch.readings == 2
    assert lengths_read(redis_client) - before == 4


def test_a_lease_that_ran_out_and_seeds_are_work(redis_client, key_prefix):
    clock = Clock()
    watch = QueueWatch(redis_client, max_age=1.0, clock=clock)
    queue = make_queue(redis_client, key_prefix, "c")
    w = watched(queue, key_prefix)
    watch.watch(w)
    queue.push(scrapy.Request("http://www.nc.gov.cn/2.html"))
    assert queue.pop() is not None  # leased now: not pending, still backlog
    look = watch.look(w)
    assert (look.pending, look.leased, look.expired, look.work_for_pop) == (0, 1, False, False)
    assert look.backlog == 1  # a lease of this or another worker may still come back
    # The lease runs out (its expiry moved into the past, as time would): a pop would
    # put it back and take it, so the watch must not let the crawler skip the pop.
    for member in redis_client.zrange(queue.keys.leases, 0, -1):
        redis_client.zadd(queue.keys.leases, {member: 0})
    push_seeds(redis_client, "c", [Seed("http://www.nc.gov.cn/", "c")], w.seeds)
    clock.now += 1.5
    assert watch.look(w).expired is True
    assert watch.look(w).work_for_pop is True
    assert watch.seeds(w.seeds) == 1
    assert watch.seeds(f"{key_prefix}:unwatched:start_urls") is None  # unknown, not 0


def test_redis_away_answers_unknown_so_the_caller_asks_directly(tmp_path):
    server = EmbeddedRedis(tmp_path / "redis").start()
    client = redis.Redis.from_url(server.url, retry=Retry(NoBackoff(), 0))
    clock = Clock()
    watch = QueueWatch(client, max_age=1.0, clock=clock)
    w = Watched("q", "q:leases", "q:seeds")
    watch.watch(w)
    assert watch.look(w) == (0, 0, False, 0)
    server.stop()
    clock.now += 1.5
    assert watch.look(w) is None  # the reading failed: unknown, never "no work"
    assert watch.seeds("q:seeds") is None
    assert watch.readings == 1
    server = EmbeddedRedis(tmp_path / "redis", port=server.port).start()
    try:
        client.lpush("q:seeds", "a seed")
        # The failed reading is not tried again before it is due: one wait per max_age.
        assert watch.look(w) is None
        clock.now += 1.5
        assert watch.seeds("q:seeds") == 1
        assert watch.readings == 2
    finally:
        server.stop()


def test_one_watch_per_pool_until_its_last_queue_is_forgotten(redis_url, key_prefix):
    from yuqing_spiders.store.connections import redis_from_url

    first, second = redis_from_url(redis_url), redis_from_url(redis_url)
    assert first.connection_pool is second.connection_pool
    assert find_watch(first) is None
    watch = queue_watch(first, 1.0)
    assert queue_watch(second, 1.0) is watch  # the crawlers of a process share it
    w1 = Watched(f"{key_prefix}:1", f"{key_prefix}:1:leases", f"{key_prefix}:1:seeds")
    w2 = Watched(f"{key_prefix}:2", f"{key_prefix}:2:leases", f"{key_prefix}:2:seeds")
    watch.watch(w1)
    watch.watch(w2)
    watch.watch(w2)  # two crawlers of one spider: watched until both are gone
    release_watch(watch, w2)
    assert watch.look(w2) is not None
    release_watch(watch, w2)
    assert watch.look(w2) is None
    assert find_watch(second) is watch
    release_watch(watch, w1)
    assert find_watch(second) is None
