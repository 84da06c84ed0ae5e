"""Wait without blocking the reactor, under either reactor Scrapy may run on."""

from __future__ import annotations

import asyncio

from scrapy.utils.asyncio import is_asyncio_available
from scrapy.utils.defer import maybe_deferred_to_future


async def sleep(seconds: float) -> None:
    """An awaitable pause for `async def` middleware methods (`process_request`)."""
    if seconds <= 0:
        return
    if is_asyncio_available():
        await asyncio.sleep(seconds)
        return
    from twisted.internet import reactor
    from twisted.internet.task import deferLater

    await maybe_deferred_to_future(deferLater(reactor, seconds, lambda: None))
