"""`yuqing scheduler`: seed every source on its cron expression or interval.

Each source's ticks are the fire times of its schedule (``schedule: "*/20 * * * *"``
in the source zone, or ``interval: 15m`` aligned to the epoch). A tick is served once
``jitter`` seconds after it fires; the jitter is derived from the source and the tick,
so every scheduler computes the same due time and sources that share an expression
do not all hit Redis and the sites in the same second.

Any number of schedulers may run (one per node, for availability): a tick is seeded
by the one that wins ``SET lock NX`` for (source, tick), and the seeds and the
source's state (``yuqing:schedule:<source>``) are written in one transaction, so a
tick is seeded once even when two schedulers race or one dies half-way.

Items the analysis wants re-fetched sit in the sorted set ``yuqing:track`` (member
JSON ``{"url", "source", "opinion_id", "event_id"}`` and optionally ``"spider"``,
score = due epoch; written by yuqing_spiders/analysis/tracking.py). Due members
are claimed atomically (one Lua call: range + remove) and pushed as ``refresh``
seeds, which spiders request with ``dont_filter`` and their article callback.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import re
import socket
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

import redis
from croniter import croniter

from yuqing_spiders.model.sources import SourceConfig
from yuqing_spiders.ops.keys import OpsKeys
from yuqing_spiders.queue.seeds import DEFAULT_KEY, Seed, push_seeds, seed_key

logger = logging.getLogger(__name__)

REDIS_DOWN = (redis.ConnectionError, redis.TimeoutError)
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_INTERVAL = re.compile(r"^\s*(?:(\d+)d)?\s*(?:(\d+)h)?\s*(?:(\d+)m)?\s*(?:(\d+)s)?\s*$")

# Range and remove in one step: two schedulers can never claim the same member.
_CLAIM_DUE = """
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
if #due > 0 then redis.call('ZREM', KEYS[1], unpack(due)) end
return due
"""


def parse_interval(text: str | int | float) -> float:
    """Seconds in ``90s``, ``15m``, ``2h``, ``1d``, ``1h30m`` or a bare number of seconds."""
    if isinstance(text, int | float):
        seconds = float(text)
    else:
        match = _INTERVAL.match(str(text).lower())
        if not match or not any(match.groups()):
            raise ValueError(f"not an interval: {text!r} (use e.g. 90s, 15m, 2h, 1d)")
        seconds = float(
            sum(int(n) * _UNITS[u] for n, u in zip(match.groups(), "dhms", strict=True) if n)
        )
    if seconds <= 0:
        raise ValueError(f"interval must be positive: {text!r}")
    return seconds


@dataclass(frozen=True)
class Schedule:
    """When one source's list pages are due: cron in `tz`, or every `every` seconds."""

    source: str
    spider: str
    cron: str | None = None
    every: float | None = None
    tz: str = "Asia/Shanghai"

    def last_fire(self, now: float) -> float:
        """The latest tick at or before `now`."""
        if self.every:
            return now - now % self.every
        # croniter's get_prev is strict; starting a second past `now` (whole seconds,
        # cron has no finer grain) includes a tick that fires exactly at `now`.
        start = datetime.fromtimestamp(math.floor(now) + 1, ZoneInfo(self.tz))
        return float(self._cron(start).get_prev(float))

    def next_fire(self, after: float) -> float:
        """The first tick strictly after `after`."""
        if self.every:
            return after - after % self.every + self.every
        it = self._cron(datetime.fromtimestamp(after, ZoneInfo(self.tz)))
        return float(it.get_next(float))

    def _cron(self, start: datetime) -> croniter:
        assert self.cron is not None  # a schedule without `every` has a cron expression
        return croniter(self.cron, start)

    def ticks_between(self, start: float, end: float, limit: int) -> int:
        """How many ticks fall in (start, end], counting no further than `limit`."""
        count, tick = 0, self.next_fire(start)
        while tick <= end and count < limit:
            count += 1
            tick = self.next_fire(tick)
        return count


def schedule_for(source: SourceConfig, tz: str) -> Schedule:
    """The source's schedule from YAML: `interval:` wins over `schedule:`; a `schedule:`
    that reads as an interval (``15m``) is one. Raises ValueError on bad input."""
    interval = source.options.get("interval")
    expression = source.schedule
    if interval is None and expression and _INTERVAL.match(str(expression).lower()):
        interval = expression
    if interval is not None:
        return Schedule(source.key, source.spider, every=parse_interval(interval), tz=tz)
    if not expression:
        raise ValueError(f"source {source.key!r} has neither schedule nor interval")
    if not croniter.is_valid(expression):
        raise ValueError(f"source {source.key!r}: bad cron expression {expression!r}")
    return Schedule(source.key, source.spider, cron=expression, tz=tz)


def jitter_offset(source: str, tick: float, max_jitter: float, period: float) -> float:
    """Seconds after `tick` at which it is served: the same in every scheduler (a hash,
    not a random draw), and less than half the period so ticks never run together."""
    span = min(max_jitter, period / 2)
    if span <= 0:
        return 0.0
    digest = hashlib.sha256(f"{source}:{int(tick)}".encode()).digest()
    return span * int.from_bytes(digest[:8], "big") / 2**64


def worker_id() -> tuple[str, int]:
    return socket.gethostname(), os.getpid()


@dataclass
class TickReport:
    seeded: dict[str, int] = field(default_factory=dict)
    refresh: int = 0


class Scheduler:
    """Serves due ticks and tracked items on each `tick()`; `run()` loops forever."""

    def __init__(
        self,
        client: redis.Redis,
        sources: dict[str, SourceConfig],
        *,
        keys: OpsKeys | None = None,
        seed_template: str = DEFAULT_KEY,
        tz: str = "Asia/Shanghai",
        jitter: float = 0.0,
        lock_ttl: int = 600,
        refresh_batch: int = 500,
        beat_ttl: int = 60,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.client = client
        self.sources = sources
        self.keys = keys or OpsKeys()
        self.seed_template = seed_template
        self.jitter = jitter
        self.lock_ttl = lock_ttl
        self.refresh_batch = refresh_batch
        self.beat_ttl = beat_ttl
        self.clock = clock
        self.stats: Counter[str] = Counter()
        self.host, self.pid = worker_id()
        self.owner = f"{self.host}:{self.pid}"
        self.started_at = clock()
        self.schedules = self._schedules(tz)
        self._claim = client.register_script(_CLAIM_DUE)
        self._bad_logged = False  # bad tracked items: the first is logged, all counted
        self._down_since: float | None = None

    def _schedules(self, tz: str) -> list[Schedule]:
        schedules = []
        for source in self.sources.values():
            try:
                schedules.append(schedule_for(source, tz))
            except ValueError as exc:
                self.stats["scheduler/unscheduled"] += 1
                logger.warning("not scheduled: %s", exc)
        return schedules

    # --- one tick ---------------------------------------------------------------------
    def tick(self) -> TickReport:
        """Seed every source whose tick is due and not yet served; push due refreshes.
        Raises redis.ConnectionError / TimeoutError when Redis cannot be reached."""
        now = self.clock()
        report = TickReport()
        self.stats["scheduler/ticks"] += 1
        for schedule in self.schedules:
            seeded = self._serve(schedule, now)
            if seeded is not None:
                report.seeded[schedule.source] = seeded
        report.refresh = self._push_refreshes(now)
        self._beat(now)
        return report

    def due_time(self, schedule: Schedule, tick: float) -> float:
        period = schedule.next_fire(tick) - tick
        return tick + jitter_offset(schedule.source, tick, self.jitter, period)

    def _serve(self, schedule: Schedule, now: float) -> int | None:
        tick = schedule.last_fire(now)
        if now < self.due_time(schedule, tick):
            self.stats["scheduler/not_due"] += 1
            return None
        state_key = self.keys.schedule(schedule.source)
        last = self.client.hget(state_key, "last_tick")
        if last is not None and float(last) >= tick:
            self.stats["scheduler/already_served"] += 1
            return None
        lock = self.keys.schedule_lock(schedule.source, int(tick))
        if not self.client.set(lock, self.owner, nx=True, ex=self.lock_ttl):
            # Another scheduler holds this tick: it seeds, we do not.
            self.stats["scheduler/lock_lost"] += 1
            return None
        return self._seed(schedule, tick, now)

    def _seed(self, schedule: Schedule, tick: float, now: float) -> int:
        source = self.sources[schedule.source]
        seeds = [Seed(url=url, source=source.key, kind="list") for url in source.start_urls]
        next_due = self.due_time(schedule, schedule.next_fire(tick))
        state_key = self.keys.schedule(schedule.source)
        pipe = self.client.pipeline(transaction=True)
        # A start page still waiting from an earlier push (the last tick's, while no
        # worker runs; or `yuqing seed`'s) is not queued twice: it is the same request.
        push_seeds(self.client, schedule.spider, seeds, self.seed_template, pipe=pipe)
        pipe.hsetnx(state_key, "first_tick", tick)
        pipe.hincrby(state_key, "ticks", 1)
        pipe.hset(
            state_key,
            mapping={
                "last_tick": tick,
                "last_seeded_at": now,
                "next_due": next_due,
                "seeds": len(seeds),
                "owner": self.owner,
            },
        )
        answers = pipe.execute()
        added = int(answers[0]) if seeds else 0
        self.stats["scheduler/seeded_ticks"] += 1
        self.stats[f"scheduler/seeds/{source.key}"] += added
        self.stats["scheduler/seeds_still_waiting"] += len(seeds) - added
        logger.info(
            "%s: tick %s seeded %d list pages into %s (%d still waiting; next due %s)",
            source.key,
            _iso(tick, schedule.tz),
            added,
            schedule.spider,
            len(seeds) - added,
            _iso(next_due, schedule.tz),
        )
        return added

    def seed_now(self, source_key: str, *, force: bool = False) -> int | None:
        """`yuqing seed`: serve the source's current tick now, before its jitter.

        None when the tick was already served (by a scheduler or an earlier
        `yuqing seed`) or another process holds its lock: its seeds are queued, and
        pushing them again would crawl every list twice. `force` pushes anyway (seeds
        still waiting in the list are not doubled either way)."""
        now = self.clock()
        schedule = next((s for s in self.schedules if s.source == source_key), None)
        if schedule is None:  # no usable schedule: only the list itself dedupes
            source = self.sources[source_key]
            seeds = [Seed(url=url, source=source.key) for url in source.start_urls]
            return push_seeds(self.client, source.spider, seeds, self.seed_template)
        tick = schedule.last_fire(now)
        if not force:
            last = self.client.hget(self.keys.schedule(source_key), "last_tick")
            if last is not None and float(last) >= tick:
                self.stats["scheduler/already_served"] += 1
                return None
            lock = self.keys.schedule_lock(source_key, int(tick))
            if not self.client.set(lock, self.owner, nx=True, ex=self.lock_ttl):
                self.stats["scheduler/lock_lost"] += 1
                return None
        return self._seed(schedule, tick, now)

    def last_served(self, source_key: str) -> float | None:
        raw = self.client.hget(self.keys.schedule(source_key), "last_tick")
        return float(raw) if raw is not None else None

    # --- tracked items ----------------------------------------------------------------
    def _push_refreshes(self, now: float) -> int:
        claimed = self._claim(keys=[self.keys.track], args=[now, self.refresh_batch])
        if not claimed:
            return 0
        by_spider: dict[str, list[Seed]] = defaultdict(list)
        for member in claimed:
            seed, spider = self._refresh_seed(member)
            if seed is not None:
                by_spider[spider].append(seed)
        pipe = self.client.pipeline(transaction=True)
        for spider, seeds in by_spider.items():
            pipe.rpush(seed_key(spider, self.seed_template), *(s.dumps() for s in seeds))
        pipe.execute()
        pushed = sum(len(s) for s in by_spider.values())
        self.stats["scheduler/refresh_seeds"] += pushed
        if pushed:
            logger.info("pushed %d refresh seeds for tracked items", pushed)
        return pushed

    def _refresh_seed(self, member: bytes | str) -> tuple[Seed | None, str]:
        """A refresh seed from a `yuqing:track` member, or None (counted) if unusable."""
        try:
            data = json.loads(member)
            url, source_key = data["url"], data["source"]
            source = self.sources.get(source_key)
            spider = data.get("spider") or (source.spider if source else None)
            if not isinstance(url, str) or not url.startswith(("http://", "https://")):
                raise ValueError(f"bad url {url!r}")
            if not spider:
                raise ValueError(f"unknown source {source_key!r} and no spider")
        except (ValueError, KeyError, TypeError) as exc:
            self.stats["scheduler/refresh_invalid"] += 1
            level = logging.DEBUG if self._bad_logged else logging.WARNING
            self._bad_logged = True
            logger.log(level, "unusable tracked item %r dropped: %s", member, exc)
            return None, ""
        meta = {k: data[k] for k in ("opinion_id", "event_id") if data.get(k)}
        return Seed(url=url, source=source_key, kind="refresh", meta=meta), spider

    # --- liveness ----------------------------------------------------------------------
    def _beat(self, now: float) -> None:
        """`yuqing status` lists live schedulers from these expiring hashes."""
        key = self.keys.scheduler(self.host, self.pid)
        pipe = self.client.pipeline(transaction=False)
        pipe.hset(
            key,
            mapping={
                "host": self.host,
                "pid": self.pid,
                "started_at": self.started_at,
                "last_tick": now,
                "ticks": self.stats["scheduler/ticks"],
                "seeded_ticks": self.stats["scheduler/seeded_ticks"],
                "refresh_seeds": self.stats["scheduler/refresh_seeds"],
                "redis_errors": self.stats["scheduler/redis_errors"],
                "sources": len(self.schedules),
            },
        )
        pipe.expire(key, max(1, int(self.beat_ttl)))
        pipe.execute()

    def run_once(self, after_tick: Callable[[], None] | None = None) -> bool:
        """One tick that never raises for a Redis outage: False while Redis is away."""
        try:
            self.tick()
            if after_tick is not None:
                after_tick()
        except REDIS_DOWN as exc:
            self.stats["scheduler/redis_errors"] += 1
            if self._down_since is None:
                self._down_since = self.clock()
                logger.warning("Redis unreachable (%s); retrying with back-off", type(exc).__name__)
            return False
        if self._down_since is not None:
            logger.warning("Redis is back after %.0fs", self.clock() - self._down_since)
            self._down_since = None
        return True

    def run(
        self,
        *,
        interval: float,
        max_backoff: float = 60.0,
        stop: Callable[[], bool] = lambda: False,
        sleep: Callable[[float], None] = time.sleep,
        after_tick: Callable[[], None] | None = None,
    ) -> None:
        """Tick every `interval` seconds until `stop()`; while Redis is away, wait twice as
        long each time (up to `max_backoff`). redis-py reconnects by itself."""
        wait = interval
        while not stop():
            ok = self.run_once(after_tick)
            wait = interval if ok else min(max(wait, interval) * 2, max_backoff)
            if not stop():
                sleep(wait)


def _iso(epoch: float, tz: str) -> str:
    return datetime.fromtimestamp(epoch, ZoneInfo(tz)).isoformat(timespec="seconds")
