"""Shared dupefilter: a time-bucketed Bloom filter in Redis (yuqing_spiders.queue.bloom).

A set of fingerprints grows by ~90 bytes per URL forever; this filter costs a fixed
``YUQING_BLOOM_CAPACITY``-sized bitmap per bucket (about 2.4 bytes per URL at the
default 1e-4 error rate) and forgets URLs that nobody has linked for
``YUQING_BLOOM_BUCKETS`` bucket lengths. The price is a false-positive rate: a new URL
taken for a seen one, counted nowhere because nobody can tell. Size the capacity for a
bucket's worth of URLs per spider and the rate stays below the setting.

Fingerprints are Scrapy's own (``crawler.request_fingerprinter``). The leased
scheduler does the check and the push of a request in one Lua script
(`filter_args`); `request_seen` is for any other scheduler.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Self

from redis.exceptions import RedisError
from scrapy.dupefilters import BaseDupeFilter

from yuqing_spiders.queue.bloom import CHECK_SCRIPT, NEW, SEEN_OLDER, BloomSpec, BucketPolicy
from yuqing_spiders.store.connections import redis_from_settings

if TYPE_CHECKING:
    import redis
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector
    from scrapy.utils.request import RequestFingerprinterProtocol

logger = logging.getLogger(__name__)


class BloomDupeFilter(BaseDupeFilter):
    """DUPEFILTER_CLASS for the distributed overlay (see the module docstring)."""

    def __init__(
        self,
        server: redis.Redis,
        *,
        key: str,
        spec: BloomSpec,
        policy: BucketPolicy,
        fingerprinter: RequestFingerprinterProtocol,
        stats: StatsCollector,
        debug: bool = False,
    ) -> None:
        self.server = server
        self.key = key
        self.spec = spec
        self.policy = policy
        self.fingerprinter = fingerprinter
        self.stats = stats
        self.debug = debug
        self._logged_dupe = False
        self._check = server.register_script(CHECK_SCRIPT)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        assert crawler.spider is not None, "the dupefilter is built for an open spider"
        spec = BloomSpec.for_capacity(
            settings.getint("YUQING_BLOOM_CAPACITY"), settings.getfloat("YUQING_BLOOM_ERROR_RATE")
        )
        policy = BucketPolicy(
            settings.getint("YUQING_BLOOM_BUCKET_SECONDS"), settings.getint("YUQING_BLOOM_BUCKETS")
        )
        dupefilter = cls(
            redis_from_settings(settings),
            key=settings["YUQING_BLOOM_KEY"] % {"spider": crawler.spider.name},
            spec=spec,
            policy=policy,
            fingerprinter=crawler.request_fingerprinter,
            stats=crawler.stats,
            debug=settings.getbool("DUPEFILTER_DEBUG"),
        )
        logger.info(
            "Bloom dupefilter %s: %d items per %d s bucket, %d buckets, error rate %g "
            "(%d KiB and %d hashes per bucket)",
            dupefilter.key,
            spec.capacity,
            policy.seconds,
            policy.buckets,
            spec.error_rate,
            spec.bytes // 1024,
            spec.hashes,
        )
        return dupefilter

    def filter_args(self, request: Request) -> list[str | int]:
        """ARGV for `bloom.BLOOM_LUA`: what a script needs to check-and-set `request`."""
        positions = self.spec.positions(self.fingerprinter.fingerprint(request))
        return self.policy.args(self.key, self.spec.bits, positions)

    def request_seen(self, request: Request) -> bool:
        result = int(self._check(args=self.filter_args(request)))
        return self.count(result)

    def contains(self, request: Request) -> bool:
        """Read-only: would `request` be filtered now? (Diagnostics; sets nothing.)"""
        positions = self.spec.positions(self.fingerprinter.fingerprint(request))
        now, _micro = self.server.time()
        current = int(now) // self.policy.seconds
        pipe = self.server.pipeline(transaction=False)
        for bucket in range(current, current - self.policy.buckets, -1):
            for position in positions:
                pipe.getbit(f"{self.key}:{bucket}", position)
        bits = pipe.execute()
        k = len(positions)
        return any(all(bits[i : i + k]) for i in range(0, len(bits), k))

    def count(self, result: int) -> bool:
        """Stats for one Lua check result; True when the request is a duplicate."""
        if result == NEW:
            self.stats.inc_value("bloom/new")
            return False
        self.stats.inc_value("bloom/seen")
        if result == SEEN_OLDER:
            self.stats.inc_value("bloom/seen_older_bucket")
        return True

    def log(self, request: Request, spider: Spider) -> None:
        if self.debug:
            logger.debug("filtered duplicate request %s", request, extra={"spider": spider})
        elif not self._logged_dupe:
            logger.debug(
                "filtered duplicate request %s - no more duplicates will be shown "
                "(DUPEFILTER_DEBUG shows all)",
                request,
                extra={"spider": spider},
            )
            self._logged_dupe = True

    def clear(self) -> None:
        """Forget everything (scrapy-redis's scheduler calls this on flush)."""
        try:
            keys = list(self.server.scan_iter(f"{self.key}:*"))
            if keys:
                self.server.delete(*keys)
        except RedisError as exc:
            logger.error("could not clear the Bloom filter %s: %s", self.key, exc)

    def close(self, reason: str = "") -> None:
        self.server.close()
