"""The 问政 helpers every board shares (spiders/_base/wenzheng.py).

The boards label their states in their own words (待回复 / 受理中 / 已办结,
or no label but an official reply); all of them map to three states.
"""

from __future__ import annotations

import pytest

from spiders._base.wenzheng import normalise_status


@pytest.mark.parametrize(
    ("label", "reply", "expected"),
    [
        ("待回复", False, "待回复"),
        ("受理中", False, "办理中"),
        ("已办结", False, "已办理"),
        ("", True, "已办理"),
        ("", False, None),
    ],
)
def test_status_words_map_to_three_states(label, reply, expected):
    assert normalise_status(label, reply) == expected
