"""Heartbeats: every crawling process says in Redis that it lives and what it runs.

Every ``YUQING_HEARTBEAT_INTERVAL`` seconds the process writes the hash
``yuqing:workers:<host>:<pid>`` (host, pid, role, spiders, started_at, last_beat,
pages, items, errors, and ``spider:<name>`` JSON counts per spider) and lets it expire
after ``YUQING_HEARTBEAT_TTL_BEATS`` beats: the live workers are the keys present, so a
killed worker disappears by itself. It also records each source's last complete item
(``yuqing:source:<source>:last_success``) and last list page fetched
(``...:last_fetch``), which `yuqing status` shows and crawl health reads.

Spiders never close in distributed mode, so nothing here waits for a close: the beat
is periodic, and a clean close only removes the process's entry early.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Self

import redis
from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call

from yuqing_spiders.model import meta
from yuqing_spiders.ops.keys import OpsKeys
from yuqing_spiders.ops.progress import crawler_counts
from yuqing_spiders.ops.source_counts import item_value
from yuqing_spiders.store.connections import redis_from_settings, redis_url

if TYPE_CHECKING:
    from redis.typing import EncodableT, FieldT
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

# Roughly when this process started (the module is imported at crawler set-up).
PROCESS_STARTED = time.time()
# Keep the newest time when several workers report the same source.
_SET_IF_NEWER = """
local current = redis.call('GET', KEYS[1])
if not current or tonumber(current) < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], ARGV[1])
end
return 0
"""
# Crawlers of this process (one per spider) that beat. The first of them (the oldest
# still open) writes the process's entry, for all of them, on its periodic beat; the
# others flush only their sources' times. With every crawler writing every crawler's
# counts, an idle worker of 47 spiders read 2,209 stats dicts every 10 s.
_LIVE: dict[str, HeartbeatExtension] = {}


def source_of(spider: Spider) -> str:
    source = getattr(spider, "source", None)
    return getattr(source, "key", None) or spider.name


class HeartbeatExtension:
    def __init__(
        self,
        crawler: Crawler,
        client: redis.Redis,
        *,
        keys: OpsKeys,
        interval: float,
        ttl_beats: int,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.crawler = crawler
        self.client = client
        self.keys = keys
        self.interval = interval
        self.ttl = max(1, int(interval * max(1, ttl_beats) + 0.999))
        self.clock = clock
        self.host, self.pid = socket.gethostname(), os.getpid()
        self.role = "worker" if crawler.settings.getbool("YUQING_DISTRIBUTED") else "single"
        self.spider_name: str | None = None
        self.started_at = clock()
        self._success: dict[str, float] = {}
        self._fetch: dict[str, float] = {}
        self._set_if_newer = client.register_script(_SET_IF_NEWER)
        self._loop: Any = None
        self._down = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("YUQING_HEARTBEAT_ENABLED", True):
            raise NotConfigured("YUQING_HEARTBEAT_ENABLED is off")
        if not redis_url(settings):
            raise NotConfigured("no REDIS_URL: heartbeats are written to the shared Redis")
        client = redis_from_settings(settings)
        extension = cls(
            crawler,
            client,
            keys=OpsKeys(settings.get("YUQING_OPS_PREFIX") or "yuqing"),
            interval=settings.getfloat("YUQING_HEARTBEAT_INTERVAL", 10.0),
            ttl_beats=settings.getint("YUQING_HEARTBEAT_TTL_BEATS", 3),
        )
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(extension.response_received, signal=signals.response_received)
        return extension

    @property
    def key(self) -> str:
        return self.keys.worker(self.host, self.pid)

    # --- signals ----------------------------------------------------------------------
    def spider_opened(self, spider: Spider) -> None:
        self.register(spider.name)
        self._loop = create_looping_call(self.beat)
        self._loop.start(self.interval, now=False)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self._loop is not None and self._loop.running:
            self._loop.stop()
        self.unregister()
        self.client.close()

    def register(self, spider_name: str) -> None:
        """Count this crawler in the process's entry and write it at once."""
        self.spider_name = spider_name
        self.started_at = self.clock()
        _LIVE[spider_name] = self
        self.beat(entry=True)

    def unregister(self) -> None:
        """Last beat, then leave the entry; the last crawler out deletes it (a clean exit
        is gone from `yuqing status` now, not when the key expires)."""
        self.beat(entry=False)
        if self.spider_name is None:
            return
        _LIVE.pop(self.spider_name, None)
        try:
            if _LIVE:
                self.client.hdel(self.key, f"spider:{self.spider_name}")
                self._write_process(self.clock())
            else:
                self.client.delete(self.key)
        except redis.RedisError as exc:
            self._redis_failed(exc)

    def item_scraped(self, item: Any, spider: Spider) -> None:
        if item_value(item, "complete"):
            self._success[item_value(item, "source") or source_of(spider)] = self.clock()

    def response_received(self, response: Response, request: Request, spider: Spider) -> None:
        if request.meta.get(meta.KIND) == "list" and 200 <= response.status < 300:
            # The request's own source: a spider serving several boards fetches each.
            self._fetch[request.meta.get(meta.SOURCE) or source_of(spider)] = self.clock()

    # --- the beat ---------------------------------------------------------------------
    def beat(self, *, entry: bool | None = None) -> None:
        """Write the newest source times, and the process's entry when `entry` (by
        default: when this crawler is the process's first); never raises."""
        stats = self.crawler.stats
        if entry is None:
            entry = next(iter(_LIVE.values()), self) is self
        try:
            now = self.clock()
            if entry:
                self._write_process(now)
            self._flush_sources()
        except redis.RedisError as exc:
            self._redis_failed(exc)
            return
        if self._down:
            logger.info("heartbeats reach Redis again")
            self._down = False
        if stats is not None:
            stats.inc_value("heartbeat/beats")

    def _write_process(self, now: float) -> None:
        live = [ext for ext in _LIVE.values() if ext.spider_name]
        per_spider = {ext.spider_name: ext.counts() for ext in live if ext.spider_name}
        mapping: dict[FieldT, EncodableT] = {
            "host": self.host,
            "pid": self.pid,
            "role": self.role,
            "started_at": PROCESS_STARTED,
            "last_beat": now,
            "interval": self.interval,
            "spiders": ",".join(sorted(per_spider)),
        }
        for total in ("pages", "items", "stored", "errors"):
            mapping[total] = sum(counts[total] for counts in per_spider.values())
        for name, counts in per_spider.items():
            mapping[f"spider:{name}"] = json.dumps(counts)
        pipe = self.client.pipeline(transaction=True)
        pipe.hset(self.key, mapping=mapping)
        pipe.expire(self.key, self.ttl)
        pipe.execute()

    def counts(self) -> dict[str, Any]:
        counts: dict[str, Any] = dict(crawler_counts(self.crawler))
        counts["started_at"] = self.started_at
        return counts

    def _flush_sources(self) -> None:
        for source, when in list(self._success.items()):
            self._set_if_newer(keys=[self.keys.last_success(source)], args=[when])
            self._success.pop(source, None)
        for source, when in list(self._fetch.items()):
            self._set_if_newer(keys=[self.keys.last_fetch(source)], args=[when])
            self._fetch.pop(source, None)

    def _redis_failed(self, exc: Exception) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value("heartbeat/redis_errors")
        if not self._down:
            self._down = True
            logger.warning(
                "heartbeat not written (%s: %s); the crawl goes on, retried every %.0fs",
                type(exc).__name__,
                exc,
                self.interval,
            )
