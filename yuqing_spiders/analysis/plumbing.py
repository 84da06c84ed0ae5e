"""Small runtime helpers shared by the event, heat, level and alert stages.

Blocking work (pymongo, HTTP, SMTP) never runs on the reactor: `in_thread` awaits it,
`Background` runs fire-and-forget jobs whose results are collected on the reactor
thread (where the stats collector is safe to touch). Clients of Redis and MongoDB come
from yuqing_spiders/store/connections.py, like everywhere else. `Breaker` stops a stage from
waiting on a server that is down for every item: after a failure, calls are skipped
for a pause and only counted.
"""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import TYPE_CHECKING, Any, TypeVar

from scrapy.utils.asyncio import is_asyncio_available
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

if TYPE_CHECKING:
    from collections.abc import Callable

_T = TypeVar("_T")


async def in_thread(func: Callable[..., _T], *args: Any) -> _T:
    """Run a blocking call in a thread and await it: on asyncio's default executor when
    an asyncio loop runs (the project's reactor), else in Twisted's thread pool."""
    if is_asyncio_available():
        return await asyncio.to_thread(func, *args)
    return await maybe_deferred_to_future(deferToThread(func, *args))


class Breaker:
    """Open for `pause` seconds after a failure; `ready()` says whether to try."""

    def __init__(self, pause: float = 30.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.pause = pause
        self.clock = clock
        self._until = 0.0

    def ready(self) -> bool:
        return self.clock() >= self._until

    def trip(self) -> bool:
        """Record a failure; True when the breaker was closed (first failure of a run)."""
        was_ready = self.ready()
        self._until = self.clock() + self.pause
        return was_ready


class Background:
    """A small thread pool for jobs nobody awaits; `harvest` collects what finished."""

    def __init__(self, name: str, workers: int = 2) -> None:
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name)
        self._futures: list[Future[Any]] = []

    def submit(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        self._futures.append(self._executor.submit(func, *args, **kwargs))

    @property
    def pending(self) -> int:
        return len(self._futures)

    def harvest(self) -> list[Future[Any]]:
        """The finished futures (result or exception), removed from the pending list."""
        done = [f for f in self._futures if f.done()]
        self._futures = [f for f in self._futures if not f.done()]
        return done

    def collect(
        self, on_result: Callable[[Any], None], on_error: Callable[[BaseException], None]
    ) -> int:
        """Hand each finished job to `on_result` (its return value) or `on_error` (what
        it raised); call on the reactor thread. The number of jobs handed over."""
        done = self.harvest()
        for future in done:
            error = future.exception()
            if error is None:
                on_result(future.result())
            else:
                on_error(error)
        return len(done)

    def wait(self, timeout: float) -> None:
        """Block until pending jobs end or `timeout` passes (call from a thread)."""
        if self._futures:
            wait(list(self._futures), timeout=timeout)

    def shutdown(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
