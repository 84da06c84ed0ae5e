"""Cluster-wide back-off for search engines that showed a captcha or a broken answer.

One Redis key per engine (`SEARCH_COOLDOWN_KEY`, e.g. `yuqing:cooldown:baidu`) with a
TTL: every worker sees it, and it ends by itself. The first worker to be blocked sets
it (`SET NX EX`, atomic); later blocks during the same cooldown do not prolong it, so
one bad minute never turns into an endless silence. Without Redis (a bare
`scrapy crawl`) the cooldown is kept in this process only.
"""

from __future__ import annotations

import logging
import time

import redis

logger = logging.getLogger(__name__)


class Cooldown:
    def __init__(self, client: redis.Redis | None, key_template: str) -> None:
        self.client = client
        self.key_template = key_template
        self._local: dict[str, float] = {}

    def key(self, engine: str) -> str:
        return self.key_template % {"engine": engine}

    def remaining(self, engine: str) -> float:
        """Seconds left of the engine's cooldown; 0 when it may be asked."""
        if self.client is None:
            return max(0.0, self._local.get(engine, 0.0) - time.monotonic())
        ttl = self.client.pttl(self.key(engine))
        return ttl / 1000 if ttl and ttl > 0 else 0.0

    def start(self, engine: str, seconds: float, reason: str) -> bool:
        """Begin a cooldown unless one runs; True when this call started it."""
        if seconds <= 0:
            return False
        if self.client is None:
            if self.remaining(engine):
                return False
            self._local[engine] = time.monotonic() + seconds
            return True
        return bool(self.client.set(self.key(engine), reason, px=int(seconds * 1000), nx=True))
