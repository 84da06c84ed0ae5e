"""The shared ticker (ops/ticker.py) on a real asyncio event loop: the crawlers of a
worker tick on one timer per interval, a failing member does not stop the others, and
a new event loop gets a timer of its own."""

from __future__ import annotations

import asyncio
from collections import Counter

from yuqing_spiders.ops.ticker import Ticker

INTERVAL = 0.02


def test_members_share_one_timer_and_a_failing_one_stops_nobody() -> None:
    calls: Counter[str] = Counter()
    ticker = Ticker()

    def good() -> None:
        calls["good"] += 1

    def bad() -> None:
        calls["bad"] += 1
        raise RuntimeError("a member's fault")

    async def run() -> None:
        ticker.add(INTERVAL, bad)
        ticker.add(INTERVAL, good)
        assert ticker.members(INTERVAL) == 2  # one timer, two members
        await asyncio.sleep(INTERVAL * 8)
        ticker.remove(INTERVAL, bad)
        seen = calls["bad"]
        await asyncio.sleep(INTERVAL * 4)
        assert calls["bad"] == seen  # removed: no more calls
        ticker.remove(INTERVAL, good)
        assert ticker.members(INTERVAL) == 0
        stopped = calls["good"]
        await asyncio.sleep(INTERVAL * 4)
        assert calls["good"] == stopped  # the timer stopped with its last member

    asyncio.run(run())
    assert calls["bad"] >= 3
    assert calls["good"] > calls["bad"]


def test_a_new_event_loop_gets_a_timer_of_its_own() -> None:
    """A member left behind by a loop that ended (a crawl that stopped without closing
    its scheduler) must not keep a later loop's members from ticking."""
    calls: Counter[str] = Counter()
    ticker = Ticker()

    async def first() -> None:
        ticker.add(INTERVAL, lambda: calls.update(["stale"]))
        await asyncio.sleep(INTERVAL * 3)

    async def second() -> None:
        ticker.add(INTERVAL, lambda: calls.update(["fresh"]))
        await asyncio.sleep(INTERVAL * 6)

    asyncio.run(first())
    asyncio.run(second())
    assert calls["fresh"] >= 3
