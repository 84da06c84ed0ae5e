"""Shared dupefilter in Redis keyed by Scrapy's own request fingerprints.

scrapy-redis computes its own fingerprint; two fingerprints in one crawler would let
the scheduler and other components disagree on what a duplicate is, so this one asks
``crawler.request_fingerprinter``. The seen-check stays one atomic ``SADD``.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Self

from scrapy_redis.dupefilter import RFPDupeFilter

from yuqing_spiders.store.connections import redis_from_settings

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.utils.request import RequestFingerprinterProtocol

logger = logging.getLogger(__name__)


class FingerprintRedisDupeFilter(RFPDupeFilter):
    fingerprinter: RequestFingerprinterProtocol | None = None

    @classmethod
    def from_spider(cls, spider: Spider) -> Self:
        crawler: Crawler = spider.crawler
        settings = crawler.settings
        key = settings.get("SCHEDULER_DUPEFILTER_KEY") % {"spider": spider.name}
        dupefilter = cls(
            redis_from_settings(settings), key=key, debug=settings.getbool("DUPEFILTER_DEBUG")
        )
        dupefilter.fingerprinter = crawler.request_fingerprinter
        dupefilter.stats = crawler.stats
        return dupefilter

    def request_fingerprint(self, request: Request) -> str:
        assert self.fingerprinter is not None  # set by from_spider
        return self.fingerprinter.fingerprint(request).hex()

    def request_seen(self, request: Request) -> bool:
        seen = super().request_seen(request)
        if seen:
            self.stats.inc_value("dupefilter/filtered_redis")
        return seen
