"""What `yuqing status` reports, as plain data (the CLI draws tables or prints JSON).

Read-only: live workers and schedulers (their expiring hashes), each spider's request
queue (seeds, pending, leased, dead), each source's schedule state, last success and
pause (cool-down reason and end), the latest ``crawl_stats`` period per source with
its item counts, field coverage and errors, and the per-source summary of the last 24
hours that `yuqing run` prints at its end. docs/operations.md documents the JSON.
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
from yuqing_spiders.ops.summary import (
    CrawlOutcome,
    SourceOutcome,
    apply_pauses,
    outcome_from_stats,
    outcome_json,
)

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
    """The request queues of each spider: seeds waiting, requests pending, leased to a
    worker and dead (given up after repeated lease expiry). Only these: the caches
    other parts keep under the same prefix (front-page URL sets, Weibo user profiles,
    Bloom filters) are not queues."""
    from yuqing_spiders.queue.leased import queue_depths

    result = {}
    for spider in spiders:
        known = names.named(spider)
        depths = queue_depths(client, known["requests"])
        result[spider] = {
            "seeds": int(client.llen(known["seeds"])),
            **depths,
            "keys": {"requests": known["requests"], "seeds": known["seeds"]},
        }
    return result


def queued(entry: Mapping[str, Any]) -> int:
    return int(sum(entry.get(k, 0) for k in ("seeds", "pending", "leased", "dead")))


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
        "comment_coverage": (coverage.get("comment") or {}).get("ratio", {}),
        "counts": doc.get("counts", {}),
        "errors": doc.get("errors", {}),
    }


def recent_outcome(
    db: Database,
    sources: Mapping[str, SourceConfig],
    since: datetime,
    stats: Mapping[str, Mapping[str, Any]] | None = None,
) -> CrawlOutcome:
    """Per source, what the runs seen since `since` did (`stats`: `recent_stats`,
    when the caller already read it)."""
    by_spider = recent_stats(db, since) if stats is None else stats
    sources_of: dict[str, list[str]] = {}
    for key, source in sources.items():
        sources_of.setdefault(source.spider, []).append(key)
    outcome = outcome_from_stats(by_spider, sources_of)
    for key, source in sources.items():  # configured but never run: listed as idle
        outcome.sources.setdefault(key, SourceOutcome(key, source.spider))
    return outcome


def ban_counts(
    stats_by_spider: Mapping[str, Mapping[str, Any]], sources: Mapping[str, SourceConfig]
) -> dict[str, dict[str, int]]:
    """source -> the ban middleware's counts (`ban/<platform>/<verdict>`: ban, captcha,
    login, retried, gave_up). A platform's counts go to the spider's source of that
    platform (or keyed like it), else to the platform's name."""
    result: dict[str, dict[str, int]] = {}
    for spider, stats in stats_by_spider.items():
        served = {k: s for k, s in sources.items() if s.spider == spider}
        for key, value in stats.items():
            if not key.startswith("ban/") or not isinstance(value, int | float):
                continue
            platform, _, what = key[len("ban/") :].partition("/")
            owner = (
                platform
                if platform in served
                else next((k for k, s in served.items() if s.platform == platform), platform)
            )
            counts = result.setdefault(owner, {})
            counts[what] = counts.get(what, 0) + int(value)
    return result


def recent_stats(db: Database, since: datetime) -> dict[str, dict[str, Any]]:
    """Per spider, the stats of the runs seen since `since`: each run's newest
    ``crawl_stats`` document holds its cumulative stats; runs are added up."""
    newest: dict[str, dict[str, Any]] = {}
    cursor = db[CRAWL_STATS].find(
        {"period.end": {"$gt": since}}, {"run_id": 1, "spider": 1, "seq": 1, "stats": 1}
    )
    for doc in cursor.limit(10_000):
        run = str(doc.get("run_id"))
        if run not in newest or doc.get("seq", 0) > newest[run].get("seq", 0):
            newest[run] = doc
    by_spider: dict[str, dict[str, Any]] = {}
    for doc in newest.values():
        merged = by_spider.setdefault(str(doc.get("spider")), {})
        for key, value in (doc.get("stats") or {}).items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                merged[key] = merged.get(key, 0) + value
            elif key not in merged:
                merged[key] = value
    return by_spider


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
    pause_templates: tuple[str, str | None] = ("yuqing:backoff:%(engine)s", None),
    clock: Callable[[], float] = time.time,
) -> dict[str, Any]:
    keys = keys or OpsKeys()
    now = clock()
    spiders = sorted({s.spider for s in sources.values()})
    engines = {k: k.removeprefix("search_") for k, s in sources.items() if s.platform == "search"}
    pauses = read_pauses(client, pause_keys(sources, *pause_templates, engines), now)
    by_source = sources_status(client, db, sources, keys, now)
    report: dict[str, Any] = {
        "generated_at": now,
        "workers": workers(client, keys, now),
        "schedulers": schedulers(client, keys, now),
        "queues": queues(client, spiders, queue_keys or QueueKeys()),
        "sources": by_source,
    }
    for key, entry in by_source.items():
        reason, until = pauses.get(key, (None, None))
        entry["paused"] = {"reason": reason, "until": until} if until else None
    if db is not None:
        since = datetime.fromtimestamp(now, UTC) - timedelta(days=1)
        stats = recent_stats(db, since)
        outcome = recent_outcome(db, sources, since, stats)
        report["bans"] = ban_counts(stats, sources)
        apply_pauses(outcome, pauses)
        report["summary"] = outcome_json(outcome)
        report["_outcome"] = outcome
    return report


def pause_keys(
    sources: Mapping[str, SourceConfig],
    backoff_template: str,
    cooldown_template: str | None = None,
    engines: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The cool-down key of each source: the back-off of blocked sources
    (``BLOCK_BACKOFF_KEY``) and, for search sources, their engine's cool-down
    (``SEARCH_COOLDOWN_KEY``; `engines` maps source -> engine)."""
    keys = {key: backoff_template % {"engine": key} for key in sources}
    if cooldown_template:
        for source, engine in (engines or {}).items():
            keys[source] = cooldown_template % {"engine": engine}
    return keys


def read_pauses(
    client: redis.Redis, keys: Mapping[str, str], now: float
) -> dict[str, tuple[str, float]]:
    """source -> (reason, epoch the pause ends) for every cool-down key that is set."""
    if not keys:
        return {}
    pipe = client.pipeline(transaction=False)
    for key in keys.values():
        pipe.get(key)
        pipe.pttl(key)
    answers = pipe.execute()
    pauses = {}
    for index, source in enumerate(keys):
        reason, ttl = answers[2 * index], answers[2 * index + 1]
        if reason is not None and isinstance(ttl, int) and ttl > 0:
            pauses[source] = (_text(reason), now + ttl / 1000)
    return pauses
