"""The cluster-wide rate per site (yuqing_spiders/fetch/rate.py), as a downloader middleware.

Each request reserves its site's next slot in Redis and waits for it without blocking
the reactor. Per request: ``meta["yuqing_rate_interval"]`` (`meta.RATE_INTERVAL`)
overrides the interval, 0 exempts.

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

from yuqing_spiders.fetch.delay import sleep
from yuqing_spiders.fetch.rate import SiteRates
from yuqing_spiders.model import meta
from yuqing_spiders.store.connections import redis_from_settings, redis_url

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


class ClusterRateLimitMiddleware:
    def __init__(self, rates: SiteRates, stats: StatsCollector) -> None:
        self.rates = rates
        self.stats = stats
        self._failing = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("YUQING_RATE_ENABLED"):
            raise NotConfigured("YUQING_RATE_ENABLED is off")
        if not redis_url(settings):
            raise NotConfigured("the cluster-wide rate needs REDIS_URL")
        assert crawler.stats is not None
        rates = SiteRates(
            redis_from_settings(settings),
            key_template=settings["YUQING_RATE_KEY"],
            interval=settings.getfloat("YUQING_RATE_INTERVAL"),
            intervals=settings.getdict("YUQING_RATE_INTERVALS"),
        )
        return cls(rates, crawler.stats)

    async def process_request(self, request: Request) -> None:
        host = urlsplit(request.url).hostname or ""
        site = self.rates.site(host)
        interval = self.rates.interval_for(site, request.meta.get(meta.RATE_INTERVAL))
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
        try:
            wait_ms = self.rates.reserve(site, interval)
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
