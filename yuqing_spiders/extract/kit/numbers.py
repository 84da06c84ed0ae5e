"""Counts as platforms print them: 1234, "1,234", "1.2万", "3亿", "1.2w", "10万+"."""

from __future__ import annotations

import math
import re
from decimal import Decimal
from typing import Any

from yuqing_spiders.extract.kit.html import squash

# MongoDB stores integers as int64 at most; a larger one would fail the whole insert.
INT64_MAX = 2**63 - 1
INT64_MIN = -(2**63)

_UNITS = {"": 1, "万": 10_000, "w": 10_000, "W": 10_000, "亿": 100_000_000}
# A shown count: digits, an optional fraction and unit, and the "+" of "10万+".
_COUNT_RE = re.compile(r"(\d+(?:\.\d+)?)\s*(万|亿|w|W)?\s*\+?")


def to_count(value: Any) -> int | None:
    """A counter as APIs and pages send it, as an int; None when absent or unreadable.

    Numbers are taken as they are (truncated, clamped to int64). Text may carry
    thousands separators, a 万 / w / 亿 unit and a trailing "+"; a sign, a word or an
    empty string is not a count."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return _clamped(value)
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return INT64_MAX if value > INT64_MAX else INT64_MIN if value < INT64_MIN else int(value)
    text = squash(str(value)).replace(",", "")
    match = _COUNT_RE.fullmatch(text)
    if not match:
        return None
    # Decimal, not float: "1.15万" is 11500, not 11499.999…
    return _clamped(int(Decimal(match[1]) * _UNITS[match[2] or ""]))


def _clamped(number: int) -> int:
    return max(INT64_MIN, min(INT64_MAX, number))
