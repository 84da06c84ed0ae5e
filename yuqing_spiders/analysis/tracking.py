"""Items worth tracking: re-fetched on a schedule to refresh their metrics until they cool.

The contract with the scheduler (yuqing_spiders/ops/scheduling.py; docs/analysis.md):
`<prefix>:track` (default `yuqing:track`) is a sorted set whose member is the JSON
`{"event_id", "opinion_id", "source", "url"}` (keys sorted, so the same item is always
the same member) and whose score is the next refresh time in epoch seconds. The
scheduler claims due members atomically (range and remove in one Lua call) and pushes
`refresh` seeds; when the re-fetched item comes through the heat stage it is scheduled
again, or left out once it has cooled. `due_for_refresh` is that claim as a function.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, cast

from yuqing_spiders.queue.seeds import Seed

if TYPE_CHECKING:
    import redis

# Range and remove in one step: two callers never claim the same member.
CLAIM_DUE_LUA = """
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
if #due > 0 then redis.call('ZREM', KEYS[1], unpack(due)) end
return due
"""

# The member's encoder, made once: `json.dumps` with options builds a new encoder on
# every call (the heat stage makes a member for every item).
_MEMBER_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True)


@dataclass(frozen=True)
class TrackConfig:
    min_heat: float = 15.0  # heat (item or its event) from which an item is tracked
    interval_minutes: float = 60.0
    rising_interval_minutes: float = 20.0  # spreading faster: look again sooner
    max_age_hours: float = 72.0  # never tracked past this age, hot or not

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any] | None) -> TrackConfig:
        raw = dict(raw or {})
        base = cls()
        return cls(
            min_heat=float(raw.get("min_heat", base.min_heat)),
            interval_minutes=float(raw.get("interval_minutes", base.interval_minutes)),
            rising_interval_minutes=float(
                raw.get("rising_interval_minutes", base.rising_interval_minutes)
            ),
            max_age_hours=float(raw.get("max_age_hours", base.max_age_hours)),
        )

    def next_refresh(self, now: datetime, label: str | None) -> float:
        minutes = self.rising_interval_minutes if label == "rising" else self.interval_minutes
        return now.timestamp() + minutes * 60


def should_track(
    heat: float, trend_label: str | None, age_hours: float | None, config: TrackConfig
) -> bool:
    """Hot enough, still young, and not cooling."""
    if heat < config.min_heat or trend_label == "cooling":
        return False
    return age_hours is None or age_hours <= config.max_age_hours


def member(opinion_id: str, url: str, source: str, event_id: str | None = None) -> str:
    data = {"opinion_id": opinion_id, "url": url, "source": source}
    if event_id:
        data["event_id"] = event_id
    return _MEMBER_JSON.encode(data)


def track(client: redis.Redis | redis.client.Pipeline, key: str, entry: str, at: float) -> None:
    """Track `entry`, next refreshed at `at` (queued only, when `client` is a pipeline)."""
    client.zadd(key, {entry: at})


def untrack(client: redis.Redis, key: str, entry: str) -> bool:
    """Stop tracking; True when the item was tracked. (On a pipeline, `zrem` queues the
    same command and its reply, 1 or 0, says the same.)"""
    return bool(client.zrem(key, entry))


def due_for_refresh(
    client: redis.Redis, now: datetime | float, *, key: str = "yuqing:track", limit: int = 500
) -> list[Seed]:
    """Claim the tracked items due at `now` and return their `refresh` seeds."""
    stamp = now.timestamp() if isinstance(now, datetime) else float(now)
    raw = client.eval(CLAIM_DUE_LUA, 1, key, stamp, limit) or []
    seeds = []
    for entry in raw:
        try:
            data = json.loads(entry)
            meta = {k: data[k] for k in ("opinion_id", "event_id") if data.get(k)}
            seeds.append(Seed(url=data["url"], source=data["source"], kind="refresh", meta=meta))
        except (ValueError, KeyError, TypeError):
            continue  # not written by the heat stage: nothing to re-fetch
    return seeds


def tracked(client: redis.Redis, key: str) -> dict[str, float]:
    """Every tracked item's opinion id and next refresh time (status views, tests)."""
    out: dict[str, float] = {}
    for pair in client.zrange(key, 0, -1, withscores=True):
        # withscores=True: every entry is a (member, score) pair, which the client's
        # return type (plain members or pairs) does not tell apart.
        entry, score = cast("tuple[bytes, float]", pair)
        out[json.loads(entry)["opinion_id"]] = score
    return out
