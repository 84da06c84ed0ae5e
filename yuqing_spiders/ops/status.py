"""What `yuqing status` reports, as plain data (the CLI draws tables or prints JSON).

Read-only: live workers and schedulers (their expiring hashes), every Redis key of
each spider's queue with its type and size (whatever the queue implementation names
them), each source's schedule state and last success, and the latest ``crawl_stats``
period per source with its item counts, field coverage and errors.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from pymongo import DESCENDING

from yuqing_spiders.model.sources import SourceConfig
from yuqing_spiders.ops.crawl_stats import CRAWL_STATS, mongo_key
from yuqing_spiders.ops.keys import OpsKeys

if TYPE_CHECKING:
    import redis
    from pymongo.database import Database

# How a key's size is read, by Redis type.
_SIZE = {
    "list": "llen",
    "zset": "zcard",
    "set": "scard",
    "hash": "hlen",
    "string": "strlen",
    "stream": "xlen",
}
_WORKER_FIELDS = ("pages", "items", "stored", "errors")


@dataclass(frozen=True)
class QueueKeys:
    """The key templates of the settings in force (``%(spider)s`` filled in)."""

    requests: str = "yuqing:%(spider)s:requests"
    seeds: str = "yuqing:%(spider)s:start_urls"
    dupefilter: str = "yuqing:%(spider)s:dupefilter"

    def named(self, spider: str) -> dict[str, str]:
        return {
            "requests": self.requests % {"spider": spider},
            "seeds": self.seeds % {"spider": spider},
            "dupefilter": self.dupefilter % {"spider": spider},
        }


def _text(raw: Any) -> str:
    return raw.decode() if isinstance(raw, bytes) else str(raw)


def _hash(client: redis.Redis, key: str) -> dict[str, str]:
    return {_text(k): _text(v) for k, v in client.hgetall(key).items()}


def _float(value: Any) -> float | None:
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def key_info(client: redis.Redis, key: str) -> dict[str, Any]:
    kind = _text(client.type(key))
    size = getattr(client, _SIZE[kind])(key) if kind in _SIZE else (0 if kind == "none" else None)
    return {"key": key, "type": kind, "size": size}


def workers(client: redis.Redis, keys: OpsKeys, now: float) -> list[dict[str, Any]]:
    found = []
    for raw in client.scan_iter(match=keys.workers_pattern, count=200):
        data = _hash(client, _text(raw))
        if not data:
            continue  # expired between SCAN and HGETALL
        per_spider = {
            name[len("spider:") :]: json.loads(value)
            for name, value in data.items()
            if name.startswith("spider:")
        }
        last_beat = _float(data.get("last_beat"))
        found.append(
            {
                "host": data.get("host"),
                "pid": int(data.get("pid") or 0),
                "role": data.get("role"),
                "spiders": [s for s in (data.get("spiders") or "").split(",") if s],
                "started_at": _float(data.get("started_at")),
                "last_beat": last_beat,
                "beat_age": round(now - last_beat, 1) if last_beat else None,
                **{f: int(float(data.get(f) or 0)) for f in _WORKER_FIELDS},
                "per_spider": per_spider,
            }
        )
    return sorted(found, key=lambda w: (w["host"] or "", w["pid"]))


def schedulers(client: redis.Redis, keys: OpsKeys, now: float) -> list[dict[str, Any]]:
    found = []
    for raw in client.scan_iter(match=keys.schedulers_pattern, count=200):
        data = _hash(client, _text(raw))
        if data:
            last = _float(data.get("last_tick"))
            found.append(
                {
                    "host": data.get("host"),
                    "pid": int(data.get("pid") or 0),
                    "last_tick": last,
                    "tick_age": round(now - last, 1) if last else None,
                    "ticks": int(data.get("ticks") or 0),
                    "seeded_ticks": int(data.get("seeded_ticks") or 0),
                    "refresh_seeds": int(data.get("refresh_seeds") or 0),
                    "redis_errors": int(data.get("redis_errors") or 0),
                }
            )
    return sorted(found, key=lambda s: (s["host"] or "", s["pid"]))


def queues(client: redis.Redis, spiders: list[str], names: QueueKeys) -> dict[str, Any]:
    """Known keys by role, then any other key under the spider's namespace (a lease
    table, a Bloom filter...) with its type and size."""
    result = {}
    for spider in spiders:
        known = names.named(spider)
        entry: dict[str, Any] = {role: key_info(client, key) for role, key in known.items()}
        namespace = known["requests"].rsplit(":", 1)[0] + ":*"
        others = sorted(_text(k) for k in client.scan_iter(match=namespace, count=500))
        entry["other"] = [key_info(client, k) for k in others if k not in known.values()]
        result[spider] = entry
    return result


def _latest_period(db: Database, source: str) -> dict[str, Any] | None:
    """The newest crawl_stats period in which the source produced items."""
    path = f"coverage.{mongo_key(source)}"
    doc = db[CRAWL_STATS].find_one(
        {f"{path}.items": {"$gt": 0}},
        {"coverage": 1, "period": 1, "worker": 1, "spider": 1, "counts": 1, "errors": 1},
        sort=[("period.end", DESCENDING)],
    )
    if not doc:
        return None
    coverage = doc["coverage"][mongo_key(source)]
    return {
        "period_end": doc["period"]["end"],
        "worker": doc.get("worker"),
        "items": coverage.get("items", 0),
        "coverage": coverage.get("ratio", {}),
        "counts": doc.get("counts", {}),
        "errors": doc.get("errors", {}),
    }


def _items_since(db: Database, spider: str, since: datetime) -> dict[str, Any]:
    """Counts and errors of every period of the spider that ended after `since`."""
    totals: dict[str, int] = {"items": 0, "complete": 0, "pages": 0, "requests_failed": 0}
    errors: dict[str, int] = {}
    cursor = db[CRAWL_STATS].find(
        {"spider": spider, "period.end": {"$gt": since}}, {"counts": 1, "errors": 1}
    )
    for doc in cursor.limit(10_000):
        for name in totals:
            totals[name] += int((doc.get("counts") or {}).get(name, 0))
        for reason, count in (doc.get("errors") or {}).items():
            errors[reason] = errors.get(reason, 0) + int(count)
    return {**totals, "errors": errors}


def sources_status(
    client: redis.Redis,
    db: Database | None,
    sources: Mapping[str, SourceConfig],
    keys: OpsKeys,
    now: float,
) -> dict[str, Any]:
    day_ago = datetime.fromtimestamp(now, UTC) - timedelta(days=1)
    result = {}
    for key, source in sources.items():
        schedule = _hash(client, keys.schedule(key))
        entry: dict[str, Any] = {
            "name": source.name,
            "spider": source.spider,
            "schedule": source.options.get("interval") or source.schedule,
            "last_success": _float(client.get(keys.last_success(key))),
            "last_fetch": _float(client.get(keys.last_fetch(key))),
            "next_due": _float(schedule.get("next_due")),
            "last_tick": _float(schedule.get("last_tick")),
            "ticks": int(schedule.get("ticks") or 0),
        }
        if db is not None:
            entry["latest"] = _latest_period(db, key)
            entry["last_24h"] = _items_since(db, source.spider, day_ago)
        result[key] = entry
    return result


def collect(
    client: redis.Redis,
    db: Database | None,
    sources: Mapping[str, SourceConfig],
    *,
    keys: OpsKeys | None = None,
    queue_keys: QueueKeys | None = None,
    clock: Callable[[], float] = time.time,
) -> dict[str, Any]:
    keys = keys or OpsKeys()
    now = clock()
    spiders = sorted({s.spider for s in sources.values()})
    return {
        "generated_at": now,
        "workers": workers(client, keys, now),
        "schedulers": schedulers(client, keys, now),
        "queues": queues(client, spiders, queue_keys or QueueKeys()),
        "sources": sources_status(client, db, sources, keys, now),
    }
