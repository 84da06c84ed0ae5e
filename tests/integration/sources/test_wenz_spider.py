"""问政江西's walk state in Redis: the last message id only ever rises.

Real Redis (the session server; keys under a test prefix). Facts modelled: 问政江西
message ids only grow, so several walkers share one high-water mark.
"""

from __future__ import annotations

from spiders.wenz.spider import WalkState


def test_walk_state_only_ever_rises(redis_client, key_prefix):
    state = WalkState(redis_client, f"{key_prefix}:ids", f"{key_prefix}:months")
    assert state.load("wenz_jx") is None
    assert state.raise_to("wenz_jx", 481703, "202611")
    assert not state.raise_to("wenz_jx", 481700, "202610")  # a slower walk cannot lower it
    assert state.load("wenz_jx") == (481703, "202611")
    memory = WalkState(None, "a", "b")
    assert memory.raise_to("s", 5, "202601")
    assert not memory.raise_to("s", 4, "202601")
    assert memory.load("s") == (5, "202601")
