"""A request rate per site shared by every worker: slots reserved in Redis.

Scrapy's DOWNLOAD_DELAY and AutoThrottle pace one process; ten workers would hit a site
ten times as often. Here each request reserves the site's next free slot in Redis (one
Lua script: the slot is max(now, next free), next free moves one interval on); the
caller waits for it. The clock is Redis's ``TIME``, one for the cluster, so workers on
different nodes never race on skewed clocks.

A "site" is the configured domain a host falls under (``YUQING_RATE_INTERVALS`` keys,
suffix match, so ``people.com.cn`` covers ``jx.people.com.cn``), else the host.
middlewares/rate_limit.py is the Scrapy shell that waits and counts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import redis

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


class SiteRates:
    """The per-site intervals and their shared slots (raises redis.RedisError)."""

    def __init__(
        self,
        client: redis.Redis,
        *,
        key_template: str,
        interval: float,
        intervals: dict[str, float],
    ) -> None:
        self.key_template = key_template
        self.interval = interval
        self.intervals = {d.lower(): float(v) for d, v in intervals.items()}
        self._reserve = client.register_script(_RESERVE)

    def site(self, host: str) -> str:
        return site_of(host, self.intervals)

    def interval_for(self, site: str, override: float | None = None) -> float:
        """Seconds between two requests to `site`; a request's own value wins (0: exempt)."""
        if override is not None:
            return float(override)
        return self.intervals.get(site, self.interval)

    def reserve(self, site: str, interval: float) -> int:
        """Reserve the site's next slot: the milliseconds to wait for it (0: now)."""
        key = self.key_template % {"domain": site}
        return int(self._reserve(keys=[key], args=[int(interval * 1000)]))
