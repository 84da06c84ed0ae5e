"""One look at every crawler's queue per process, instead of one poll per crawler.

A `yuqing worker` runs a crawler per spider (47), and most of them wait most of the day.
Scrapy's engine wakes each waiting crawler every 5 s and asks: the scheduler pops (a
script), `has_pending_requests` counts the queue (two ZCARDs) and the spider's idle
handler pops its seed list (LPOP). An idle worker sent ~73 Redis commands a second, and
they were about a third of its CPU while waiting (bench/idle.py).

Here the crawlers of a process that share a Redis connection pool share a `QueueWatch`:
one script reads, for every watched queue, the pending and leased counts, whether a
lease has run out (the pop script would put it back) and the seed list's length. A
reading serves every crawler for `max_age` seconds; the first crawler to ask after that
takes a new one. A crawler whose last pop found nothing asks the watch before popping
again, and does not pop while a fresh reading says its queue has nothing for it.

What it costs in freshness: a request queued by another process just after a reading
is seen at the crawler's next wake-up after the reading expires, so at most `max_age`
later than a direct poll would (requests this crawler queued itself, or leases that
ran out, are never waited for). A reading that fails (Redis away) answers None, and the
caller asks Redis directly, as without the watch.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from redis.exceptions import RedisError

if TYPE_CHECKING:
    import redis

# KEYS per queue: pending, leases, seeds. -> per queue: pending, leased, expired, seeds.
_LOOK = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local out = {}
for i = 1, #KEYS, 3 do
  out[#out + 1] = redis.call('ZCARD', KEYS[i])
  out[#out + 1] = redis.call('ZCARD', KEYS[i + 1])
  out[#out + 1] = #redis.call('ZRANGEBYSCORE', KEYS[i + 1], '-inf', now, 'LIMIT', 0, 1)
  out[#out + 1] = redis.call('LLEN', KEYS[i + 2])
end
return out
"""


class Look(NamedTuple):
    """One queue as the last reading saw it."""

    pending: int
    leased: int
    expired: bool  # a lease ran out: a pop would give it back and may take it
    seeds: int

    @property
    def work_for_pop(self) -> bool:
        return self.pending > 0 or self.expired

    @property
    def backlog(self) -> int:
        return self.pending + self.leased


@dataclass(frozen=True)
class Watched:
    """The keys of one crawler's queue and seed list."""

    pending: str
    leases: str
    seeds: str


class QueueWatch:
    """The shared reading of one Redis server's watched queues (see the module doc)."""

    def __init__(
        self,
        server: redis.Redis,
        max_age: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.server = server
        self.max_age = max_age
        self.clock = clock
        self._script = server.register_script(_LOOK)
        self._users: dict[Watched, int] = {}
        self._by_seeds: dict[str, Watched] = {}
        self._looks: dict[Watched, Look] = {}
        self._read_at = -math.inf
        self.readings = 0  # for tests and benches: scripts run

    def watch(self, watched: Watched) -> None:
        self._users[watched] = self._users.get(watched, 0) + 1
        self._by_seeds[watched.seeds] = watched
        self._read_at = -math.inf  # the next reading must include it

    def forget(self, watched: Watched) -> None:
        left = self._users.get(watched, 0) - 1
        if left > 0:
            self._users[watched] = left
            return
        self._users.pop(watched, None)
        self._looks.pop(watched, None)
        if self._by_seeds.get(watched.seeds) == watched:
            del self._by_seeds[watched.seeds]

    def __len__(self) -> int:
        return len(self._users)

    def look(self, watched: Watched) -> Look | None:
        """The queue's latest reading, read again when older than `max_age`; None when
        the watch cannot say (not watched, or Redis failed)."""
        if watched not in self._users:
            return None
        if self.clock() - self._read_at > self.max_age:
            self._read()
        return self._looks.get(watched)

    def seeds(self, key: str) -> int | None:
        """Seeds waiting in the list `key` at the latest reading; None when unknown."""
        watched = self._by_seeds.get(key)
        look = self.look(watched) if watched is not None else None
        return look.seeds if look is not None else None

    def _read(self) -> None:
        queues = list(self._users)
        keys = [key for w in queues for key in (w.pending, w.leases, w.seeds)]
        try:
            flat = self._script(keys=keys)
        except RedisError:
            # Unknown until the next reading is due: callers ask Redis directly, and a
            # Redis that is away is not waited for twice per ask.
            self._looks.clear()
            self._read_at = self.clock()
            return
        self.readings += 1
        self._read_at = self.clock()
        values = [int(v) for v in flat]
        self._looks = {
            w: Look(values[i], values[i + 1], bool(values[i + 2]), values[i + 3])
            for w, i in zip(queues, range(0, len(values), 4), strict=True)
        }


_WATCHES: dict[tuple[int, int], QueueWatch] = {}


def queue_watch(server: redis.Redis, max_age: float) -> QueueWatch:
    """The process's watch for `server`'s connection pool (one per pool and process:
    clients from `redis_from_url` share a pool per URL)."""
    key = (os.getpid(), id(server.connection_pool))
    found = _WATCHES.get(key)
    if found is None or found.server.connection_pool is not server.connection_pool:
        found = _WATCHES[key] = QueueWatch(server, max_age)
    return found


def find_watch(server: redis.Redis) -> QueueWatch | None:
    """The process's watch for `server`'s pool if a scheduler made one, else None."""
    found = _WATCHES.get((os.getpid(), id(server.connection_pool)))
    if found is not None and found.server.connection_pool is server.connection_pool:
        return found
    return None


def release_watch(watch: QueueWatch, watched: Watched) -> None:
    """Stop watching `watched`; the watch itself goes once nothing is watched."""
    watch.forget(watched)
    if len(watch):
        return
    for key, found in list(_WATCHES.items()):
        if found is watch:
            del _WATCHES[key]
