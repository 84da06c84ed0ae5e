"""The Bloom dupefilter on a real Redis: sizing, seen-checks, error rate, time buckets."""

from __future__ import annotations

import math

import pytest
import scrapy
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from yuqing_spiders.queue.bloom import MAX_BITS, BloomSpec, BucketPolicy
from yuqing_spiders.queue.dupefilter import BloomDupeFilter

BIG_BUCKET = 10**8  # seconds: no bucket boundary can fall inside a test


def make_filter(redis_url: str, key_prefix: str, **settings) -> BloomDupeFilter:
    crawler = get_crawler(
        scrapy.Spider,
        {
            "REDIS_URL": redis_url,
            "YUQING_BLOOM_KEY": f"{key_prefix}:%(spider)s:bloom",
            "YUQING_BLOOM_CAPACITY": 2000,
            "YUQING_BLOOM_ERROR_RATE": 0.01,
            "YUQING_BLOOM_BUCKET_SECONDS": BIG_BUCKET,
            "YUQING_BLOOM_BUCKETS": 3,
            **settings,
        },
    )
    crawler.spider = crawler._create_spider("bloomtest")
    crawler.stats.open_spider()
    return build_from_crawler(BloomDupeFilter, crawler)


def request(n: int) -> scrapy.Request:
    return scrapy.Request(f"http://jx.people.com.cn/n2/2026/1126/c186330-{n}.html")


def current_bucket(dupefilter: BloomDupeFilter) -> int:
    seconds, _micro = dupefilter.server.time()
    return seconds // dupefilter.policy.seconds


def test_size_follows_capacity_and_error_rate():
    spec = BloomSpec.for_capacity(1_000_000, 0.0001)
    # m = -n ln p / ln^2 2 and k = m/n ln 2, the textbook optimum.
    assert spec.bits == math.ceil(1_000_000 * math.log(10_000) / math.log(2) ** 2)
    assert spec.hashes == 13
    assert 2_390_000 < spec.bytes < 2_400_000
    with pytest.raises(ValueError, match="capacity"):
        BloomSpec.for_capacity(0, 0.01)
    with pytest.raises(ValueError, match="error rate"):
        BloomSpec.for_capacity(10, 1.5)
    with pytest.raises(ValueError, match="over Redis"):
        BloomSpec.for_capacity(MAX_BITS, 1e-9)
    with pytest.raises(ValueError, match="bucket"):
        BucketPolicy(0, 3)


def test_positions_are_deterministic_and_in_range():
    spec = BloomSpec.for_capacity(1000, 0.01)
    fingerprint = bytes(range(20))
    positions = spec.positions(fingerprint)
    assert positions == spec.positions(fingerprint)
    assert len(positions) == spec.hashes
    assert all(0 <= p < spec.bits for p in positions)
    assert len(set(positions)) == spec.hashes


def test_first_sight_is_new_then_seen(redis_url, key_prefix):
    dupefilter = make_filter(redis_url, key_prefix)
    assert dupefilter.request_seen(request(1)) is False
    assert dupefilter.request_seen(request(1)) is True
    assert dupefilter.request_seen(request(2)) is False
    stats = dupefilter.stats
    assert stats.get_value("bloom/new") == 2
    assert stats.get_value("bloom/seen") == 1


def test_two_workers_share_one_filter(redis_url, key_prefix):
    first, second = make_filter(redis_url, key_prefix), make_filter(redis_url, key_prefix)
    assert not first.request_seen(request(7))
    assert second.request_seen(request(7))


def test_false_positive_rate_stays_near_the_setting_at_capacity(redis_url, key_prefix):
    dupefilter = make_filter(redis_url, key_prefix)  # 2000 items at 1 %
    for n in range(2000):
        dupefilter.request_seen(request(n))
    assert all(dupefilter.contains(request(n)) for n in range(2000))  # no false negatives
    false_positives = sum(dupefilter.contains(request(n)) for n in range(10_000, 15_000))
    # Deterministic URLs, so this is a fixed number; the theory says ~1 %.
    assert false_positives / 5000 < 0.02
    stats = dupefilter.stats
    # `contains` counted and set nothing; a few of the 2000 were false positives on the way.
    assert stats.get_value("bloom/new") + stats.get_value("bloom/seen") == 2000


def test_bucket_memory_is_the_computed_size_and_expires(redis_url, key_prefix):
    dupefilter = make_filter(redis_url, key_prefix)
    dupefilter.request_seen(request(1))
    key = f"{dupefilter.key}:{current_bucket(dupefilter)}"
    assert dupefilter.server.strlen(key) == dupefilter.spec.bytes  # allocated whole, once
    ttl = dupefilter.server.ttl(key)
    assert 0 < ttl <= BIG_BUCKET * 3  # at most `buckets` bucket lengths from now


def test_older_bucket_counts_as_seen_and_is_refreshed(redis_url, key_prefix):
    dupefilter = make_filter(redis_url, key_prefix)
    now = current_bucket(dupefilter)
    positions = dupefilter.spec.positions(dupefilter.fingerprinter.fingerprint(request(5)))
    server = dupefilter.server
    for position in positions:  # as if request 5 had been seen one bucket ago
        server.setbit(f"{dupefilter.key}:{now - 1}", position, 1)
    assert dupefilter.request_seen(request(5)) is True
    assert dupefilter.stats.get_value("bloom/seen_older_bucket") == 1
    current = f"{dupefilter.key}:{now}"
    assert all(server.getbit(current, p) for p in positions)  # remembered again


def test_buckets_beyond_the_window_are_forgotten(redis_url, key_prefix):
    dupefilter = make_filter(redis_url, key_prefix)  # 3 buckets: now, now-1, now-2
    now = current_bucket(dupefilter)
    positions = dupefilter.spec.positions(dupefilter.fingerprinter.fingerprint(request(9)))
    for position in positions:
        dupefilter.server.setbit(f"{dupefilter.key}:{now - 3}", position, 1)
    assert dupefilter.request_seen(request(9)) is False


def test_clear_forgets_everything(redis_url, key_prefix):
    dupefilter = make_filter(redis_url, key_prefix)
    dupefilter.request_seen(request(3))
    dupefilter.clear()
    assert dupefilter.request_seen(request(3)) is False
