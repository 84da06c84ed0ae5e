"""Values MongoDB accepts: what a platform's JSON may hold that BSON refuses.

An `extra` field is copied from an API answer as it came, so it may hold an integer
beyond int64 (`10**30`), a float that is not a number (1e400 is inf), or a key with
`$` or `.` — each refused by MongoDB, and one refused document failed the writer's
whole batch. `storable` returns the value MongoDB can store and how many parts it
changed, so the caller counts them.
"""

from __future__ import annotations

import math
from typing import Any

from yuqing_spiders.extract.kit.numbers import INT64_MAX, INT64_MIN


def storable(value: Any) -> tuple[Any, int]:
    """`value` with ints clamped to int64, inf/nan as None, and field names made safe
    (a leading `$` and every `.` become `_`, NULs go); the count of changes."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value, 0
    if isinstance(value, int):
        clamped = max(INT64_MIN, min(INT64_MAX, value))
        return clamped, int(clamped != value)
    if isinstance(value, float):
        return (value, 0) if math.isfinite(value) else (None, 1)
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        changes = 0
        for key, child in value.items():
            name = safe_key(key)
            out[name], changed = storable(child)
            changes += changed + int(name != key)
        return out, changes
    if isinstance(value, list | tuple):
        items = [storable(v) for v in value]
        return [v for v, _ in items], sum(c for _, c in items)
    return value, 0  # datetimes and the like: BSON types of their own


def safe_key(key: Any) -> str:
    """A field name MongoDB accepts: text, no leading `$`, no `.`, no NUL."""
    name = str(key).replace("\x00", "").replace(".", "_")
    if name.startswith("$"):
        name = "_" + name[1:]
    return name or "_"
