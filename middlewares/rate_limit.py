"""A request rate per site shared by every worker: slots reserved in Redis.

Scrapy's DOWNLOAD_DELAY and AutoThrottle pace one process; ten workers would hit a site
ten times as often. Here each request reserves the site's next free slot in Redis (one
Lua script: the slot is max(now, next free), next free moves one interval on), then
waits for it without blocking the reactor. The clock is Redis's ``TIME``, one for the
cluster, so workers on different nodes never race on skewed clocks.

A "site" is the configured domain a host falls under (``YUQING_RATE_INTERVALS`` keys,
suffix match, so ``people.com.cn`` covers ``jx.people.com.cn``), else the host. Per
request: ``meta["yuqing_rate_interval"]`` overrides the interval, 0 exempts.

When Redis cannot be reached the request goes on unpaced (Scrapy's own per-process
delay still applies): counted as ``rate/redis_errors`` and logged once per outage.
Requests waiting here occupy the worker's CONCURRENT_REQUESTS, which is what keeps a
worker from queueing more of one site than it can send.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Self
from urllib.parse import urlsplit

from redis.exceptions import RedisError
from scrapy.exceptions import NotConfigured
from scrapy_redis.connection import get_redis_from_settings

from yuqing_spiders.fetch.delay import sleep

if TYPE_CHECKING:
    import redis
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

# KEYS[1] the site's key; ARGV[1] interval in ms -> ms to wait for the reserved slot.
_RESERVE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local interval = tonumber(ARGV[1])
local slot = math.max(now, tonumber(redis.call('GET', KEYS[1]) or 0))
redis.call('SET', KEYS[1], slot + interval, 'PX', slot + interval - now + 1000)
return slot - now
"""


def site_of(host: str, configured: dict[str, float]) -> str:
    """The configured domain `host` belongs to (longest match), else `host` itself."""
    host = host.lower().rstrip(".")
    matches = [d for d in configured if host == d or host.endswith(f".{d}")]
    return max(matches, key=len) if matches else host


class ClusterRateLimitMiddleware:
    def __init__(
        self,
        server: redis.Redis,
        stats: StatsCollector,
        *,
        key_template: str,
        interval: float,
        intervals: dict[str, float],
    ) -> None:
        self.server = server
        self.stats = stats
        self.key_template = key_template
        self.interval = interval
        self.intervals = {d.lower(): float(v) for d, v in intervals.items()}
        self._reserve = server.register_script(_RESERVE)
        self._failing = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("YUQING_RATE_ENABLED"):
            raise NotConfigured("YUQING_RATE_ENABLED is off")
        if not settings.get("REDIS_URL") and not settings.get("REDIS_HOST"):
            raise NotConfigured("the cluster-wide rate needs REDIS_URL")
        return cls(
            get_redis_from_settings(settings),
            crawler.stats,
            key_template=settings["YUQING_RATE_KEY"],
            interval=settings.getfloat("YUQING_RATE_INTERVAL"),
            intervals=settings.getdict("YUQING_RATE_INTERVALS"),
        )

    def interval_for(self, request: Request, site: str) -> float:
        override = request.meta.get("yuqing_rate_interval")
        if override is not None:
            return float(override)
        return self.intervals.get(site, self.interval)

    async def process_request(self, request: Request) -> None:
        host = urlsplit(request.url).hostname or ""
        site = site_of(host, self.intervals)
        interval = self.interval_for(request, site)
        if interval <= 0 or not host:
            return
        wait_ms = self._reserve_slot(site, interval)
        if wait_ms is None:
            return
        self.stats.inc_value("rate/reserved")
        if wait_ms > 0:
            self.stats.inc_value("rate/delayed")
            self.stats.inc_value("rate/delay_ms", wait_ms)
            await sleep(wait_ms / 1000)

    def _reserve_slot(self, site: str, interval: float) -> int | None:
        key = self.key_template % {"domain": site}
        try:
            wait_ms = int(self._reserve(keys=[key], args=[int(interval * 1000)]))
        except RedisError as exc:
            self.stats.inc_value("rate/redis_errors")
            if not self._failing:
                self._failing = True
                logger.warning("cluster rate limit unavailable (%s); requests go unpaced", exc)
            return None
        if self._failing:
            self._failing = False
            logger.info("cluster rate limit available again")
        return wait_ms
