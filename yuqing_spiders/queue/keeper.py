"""This worker's side of the leases: when a taken request may be acknowledged.

A request is done when the engine has finished it (downloaded, its callback or errback
run, every request it yielded queued, every item through the pipelines) **and** every
durable sink has made what its items left there durable: the MongoDB writer the items
(stored, or spooled on disk), the alert stage their alerts (the same). An alert decided
for an item but lost with a crash after the item's request was acknowledged would
never be raised: nobody fetches that item again. The writer
batches items in memory, so acknowledging at the end of the callback would lose the
batch's items with a killed worker; acknowledging after the flush that covers them
cannot. Until then the keeper renews the lease, so a slow site or a long MongoDB outage
never hands a live worker's request to another one.

Bookkeeping: `held` are leases the engine still works on; `done` are finished ones
waiting for the writer, each with the writer's accepted-item count its items need.
Those counts (one per sink) are noted per request as each of its items passes the last
pipeline (``item_scraped``: every sink holds what it took of the item by then), so a
request is acknowledged with the very batches that stored its items and their alerts,
and one without items at once. An item
that cannot be traced to a request of this worker (a response whose request a
middleware replaced) makes every request finishing after it wait for it too: slower,
never unsafe. The writer's ``items_durable`` signal, and a periodic tick, acknowledge
every done lease the writer has caught up with.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Container, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from redis.exceptions import RedisError

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.settings import BaseSettings
    from scrapy.statscollectors import StatsCollector

    from yuqing_spiders.queue.leased import Lease, LeasedPriorityQueue

logger = logging.getLogger(__name__)

_T = TypeVar("_T")


class DurableSink(Protocol):
    """What the keeper reads from a durable sink (pipelines.mongo_writer, pipelines.alerts)."""

    @property
    def accepted(self) -> int: ...  # items taken in so far

    @property
    def durable_through(self) -> int: ...  # of those, how many are stored or spooled


Need = tuple[int, ...]  # per sink, the accepted count a request's items need durable


@dataclass(frozen=True)
class LeaseConfig:
    lease_seconds: float
    renew_interval: float
    tick_interval: float
    reap_batch: int
    watch_max_age: float = 0.0  # 0: no shared watch (queue/watch.py)

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> LeaseConfig:
        lease = settings.getfloat("YUQING_QUEUE_LEASE_SECONDS")
        renew = settings.getfloat("YUQING_QUEUE_RENEW_INTERVAL") or lease / 4
        tick = settings.getfloat("YUQING_QUEUE_TICK_INTERVAL")
        if lease <= 0 or tick <= 0:
            raise ValueError("YUQING_QUEUE_LEASE_SECONDS and _TICK_INTERVAL must be positive")
        if renew >= lease:
            raise ValueError(
                f"YUQING_QUEUE_RENEW_INTERVAL ({renew}s) must be shorter than the lease "
                f"({lease}s), or leases of a live worker run out"
            )
        return cls(
            lease,
            renew,
            tick,
            settings.getint("YUQING_QUEUE_REAP_BATCH"),
            max(0.0, settings.getfloat("YUQING_QUEUE_WATCH_MAX_AGE")),
        )


class LeaseKeeper:
    def __init__(
        self,
        queue: LeasedPriorityQueue,
        stats: StatsCollector,
        *,
        in_progress: Callable[[], Container[Request]],
        sinks: Sequence[DurableSink],
        renew_interval: float,
        ack_blocked: Callable[[], bool] = lambda: False,
    ) -> None:
        self.queue = queue
        # True while a request this worker produced is not in Redis yet (the
        # scheduler's outbox): the request that produced it may be finished, but is
        # not done, and acknowledging it would lose the waiting one with a crash.
        self.ack_blocked = ack_blocked
        self.stats = stats
        self.in_progress = in_progress
        self.sinks = tuple(sinks)
        self.renew_interval = renew_interval
        self.held: dict[str, Request] = {}
        self.done: dict[str, Need] = {}
        self._ids: dict[Request, str] = {}  # held request -> its lease id
        self._item_need: dict[str, Need] = {}  # lease id -> sink counts its items need
        self._nothing: Need = (0,) * len(self.sinks)
        self._untraced_need = self._nothing  # the same, for items of unknown origin
        self._next_renew = time.monotonic() + renew_interval
        self._failing: set[str] = set()
        self._tainted: set[str] = set()

    # --- from the scheduler ---------------------------------------------------------------

    def took(self, lease: Lease) -> None:
        self.held[lease.id] = lease.request
        self._ids[lease.request] = lease.id
        self.stats.inc_value("queue/leased")

    def on_item_scraped(self, response: object = None) -> None:
        """An item passed every pipeline, so every sink has what it takes of it: its
        request now needs each sink durable up to that sink's present count."""
        if not self.sinks:
            return
        need = tuple(sink.accepted for sink in self.sinks)
        lease_id = self._ids.get(getattr(response, "request", None))  # type: ignore[arg-type]
        if lease_id is None:
            self._untraced_need = need
            self.stats.inc_value("queue/items_untraced")
        else:
            self._item_need[lease_id] = need

    def tick(self) -> None:
        """Periodic: settle finished requests, acknowledge, renew, reap."""
        self._settle()
        self.ack_ready()
        if time.monotonic() >= self._next_renew:
            self._next_renew = time.monotonic() + self.renew_interval
            self._renew()
            self._reap()

    def stop(self, *, ack: bool = True) -> None:
        """At close: acknowledge what is done and durable, give every other lease back.
        With `ack` off (storage failed for good: "no disk, no ack") nothing more is
        acknowledged and every lease still held goes back to be fetched by another
        worker (or, with Redis away too, runs out and is reaped)."""
        self._settle()
        if ack:
            self.ack_ready()
        leftover = [*self.held, *self.done]
        if leftover:
            released = self._call("release", self.queue.release, leftover)
            if released is not None:
                self.stats.inc_value("queue/released", released)
                logger.info("returned %d unfinished leases to the queue", released)
                self.held.clear()
                self.done.clear()
                self._ids.clear()
        self.stats.set_value("queue/held_at_close", len(self.held) + len(self.done))

    # --- from the writer ------------------------------------------------------------------

    def on_items_durable(self, through: int, lost: int = 0) -> None:
        if lost:
            # Some items could not even be spooled, and a batch does not say whose they
            # were: every request that may have produced one is fetched again (the
            # upserts make that harmless for the others).
            self._tainted.update(self.held)
            self._give_back(list(self.done))
            self.done.clear()
        self._settle()
        self.ack_ready()

    # --- internals ------------------------------------------------------------------------

    def _settle(self) -> None:
        """Move leases the engine has finished from `held` to `done`."""
        if not self.held:
            return
        busy = self.in_progress()
        finished = [i for i, request in self.held.items() if request not in busy]
        redo = []
        for request_id in finished:
            del self._ids[self.held.pop(request_id)]
            need = _later(self._item_need.pop(request_id, self._nothing), self._untraced_need)
            if request_id in self._tainted:
                self._tainted.discard(request_id)
                redo.append(request_id)
            else:
                self.done[request_id] = need
        self._give_back(redo)

    def _give_back(self, ids: list[str]) -> None:
        # On a Redis error they simply expire and come back through the reaper.
        if ids and self._call("release", self.queue.release, ids) is not None:
            self.stats.inc_value("queue/released_items_lost", len(ids))

    def ack_ready(self) -> None:
        if not self.done or self.ack_blocked():
            return  # nothing finished: the common case of an idle crawler's tick
        durable = tuple(sink.durable_through for sink in self.sinks)
        ready = [i for i, need in self.done.items() if _within(need, durable)]
        if not ready:
            return
        result = self._call("ack", self.queue.ack, ready)
        if result is None:
            return
        acked, requeued, stale = result
        for request_id in ready:
            del self.done[request_id]
        self.stats.inc_value("queue/acked", acked)
        if requeued:
            self.stats.inc_value("queue/acked_after_requeue", requeued)
        if stale:
            # Our lease ran out and another worker holds the request now: it will fetch
            # it again (upserts keep that harmless). A lease shorter than a worker's
            # pauses does this; counted so it shows.
            self.stats.inc_value("queue/ack_stale", stale)
            logger.warning("%d finished requests had lost their lease to another worker", stale)

    def _renew(self) -> None:
        ids = [*self.held, *self.done]
        lost = self._call("renew", self.queue.renew, ids)
        if lost is None:
            return
        self.stats.inc_value("queue/renewed", len(ids) - len(lost))
        if lost:
            self.stats.inc_value("queue/lease_lost", len(lost))
            logger.warning(
                "%d leases ran out before renewal (worker paused longer than the lease?)",
                len(lost),
            )

    def _reap(self) -> None:
        reaped = self._call("reap", self.queue.reap)
        if reaped:
            self.stats.inc_value("queue/reaped", reaped)
            logger.info("returned %d expired leases of other workers to the queue", reaped)

    def _call(self, op: str, func: Callable[..., _T], *args: Any) -> _T | None:
        """Run a Redis operation; None on a Redis error, logged once per outage."""
        try:
            result = func(*args)
        except RedisError as exc:
            self.stats.inc_value(f"queue/redis_errors/{op}")
            if op not in self._failing:
                self._failing.add(op)
                logger.warning("queue %s failed (%s); retrying every tick", op, exc)
            return None
        if op in self._failing:
            self._failing.discard(op)
            logger.info("queue %s works again", op)
        return result


def _later(a: Need, b: Need) -> Need:
    """What both needs need: each sink's larger count."""
    return tuple(map(max, a, b))


def _within(need: Need, durable: Need) -> bool:
    """Whether every sink is durable up to what `need` needs of it."""
    return all(n <= d for n, d in zip(need, durable, strict=True))
