"""The reactor-turn stage lets callbacks that were ready run before the item goes on."""

from __future__ import annotations

import asyncio

from pipelines.reactor_turn import ReactorTurnPipeline
from tests.helpers.items import make_item


def test_what_was_ready_runs_before_the_item_goes_on() -> None:
    async def scenario() -> list[str]:
        order: list[str] = []
        # A download that completed while the item was being parsed.
        asyncio.get_running_loop().call_soon(order.append, "download handled")
        item = await ReactorTurnPipeline().process_item(make_item(1))
        order.append(f"item {item.id} judged")
        return order

    assert asyncio.run(scenario()) == ["download handled", "item people:1 judged"]
