"""Periodic calls of many components on one timer per interval and process.

A `yuqing worker` runs a crawler per spider (47). Each crawler's leased scheduler
ticks every 0.2 s (`YUQING_QUEUE_TICK_INTERVAL`), and its item writer, event record and
alert stages flush every 2 s; with a looping call each, an idle worker woke its event
loop over 300 times a second for them. Components that tick at the same interval join
one looping call here instead, which calls each of them in the order they joined; a
call that raises is logged and does not stop the others. (bench/idle.py: the idle
worker's CPU 36.5 -> 13.5 ms a second with the schedulers on it, 7.5 with the flushes.)

The timer belongs to the event loop (or Twisted reactor) that was running when it
started: a component joining under another one (a test that starts a new loop) gets a
new timer, so a stopped loop's timer never swallows its members.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from scrapy.utils.asyncio import create_looping_call, is_asyncio_available

logger = logging.getLogger(__name__)

Tick = Callable[[], None]


def _running_loop() -> object:
    """What a looping call started now runs on: asyncio's loop or Twisted's reactor."""
    if is_asyncio_available():
        return asyncio.get_event_loop()
    from twisted.internet import reactor

    return reactor


@dataclass
class _Timer:
    owner: object
    loop: Any = None
    members: list[Tick] = field(default_factory=list)

    def run(self) -> None:
        for tick in list(self.members):
            try:
                tick()
            except Exception:  # one member's fault must not stop the others' ticks
                logger.exception("periodic call %r failed", tick)


class Ticker:
    """Shared looping calls, one per interval (module-level `TICKER` for the process)."""

    def __init__(self) -> None:
        self._timers: dict[float, _Timer] = {}

    def add(self, interval: float, tick: Tick) -> None:
        """Call `tick` every `interval` seconds from now on (the first call after one
        interval), until `remove`."""
        owner = _running_loop()
        timer = self._timers.get(interval)
        if timer is None or timer.owner is not owner:
            if timer is not None and timer.loop.running:
                timer.loop.stop()
            timer = self._timers[interval] = _Timer(owner)
            timer.loop = create_looping_call(timer.run)
            timer.loop.start(interval, now=False)
        timer.members.append(tick)

    def remove(self, interval: float, tick: Tick) -> None:
        """Stop calling `tick`; the timer stops with its last member."""
        timer = self._timers.get(interval)
        if timer is None or tick not in timer.members:
            return
        timer.members.remove(tick)
        if not timer.members:
            if timer.loop.running:
                timer.loop.stop()
            del self._timers[interval]

    def members(self, interval: float) -> int:
        timer = self._timers.get(interval)
        return len(timer.members) if timer else 0


TICKER = Ticker()
