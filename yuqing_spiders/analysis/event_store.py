"""The MongoDB `events` collection: one document per event, written from Redis state.

Blocking (pymongo); the event record stage calls it from a thread. Each document is a
snapshot of the event's shared state with its version (a counter Redis raises on every
change), and is written only over an older version: two workers writing snapshots of
the same event in any order leave the newest. One bulk command per flush, whatever the
number of events; no filter has a top-level `$or` (an embedded SecantusDB scans the
whole collection for one).

The members' `repost_of` / `is_first_publisher` are not written here: when a
later-crawled item turns out to have been published earlier, the item carries that
news to the opinions writer, which corrects the other members in its own batch
(store/documents.py `membership_corrections`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from pymongo import ASCENDING, DESCENDING, IndexModel, UpdateOne
from pymongo.errors import BulkWriteError

if TYPE_CHECKING:
    from pymongo.database import Database

    from yuqing_spiders.analysis.events import EventSummary

EVENTS = "events"
EVENT_SCHEMA_VERSION = 1
DUPLICATE_KEY = 11000
EVENT_INDEXES = [
    IndexModel([("first.published_at", DESCENDING)], name="first_published_desc"),
    IndexModel([("last_at", DESCENDING)], name="last_at_desc"),
    IndexModel([("level", ASCENDING), ("heat", DESCENDING)], name="level_heat"),
    IndexModel([("updated_at", ASCENDING)], name="updated_at"),
]


def ensure_event_indexes(db: Database) -> None:
    db[EVENTS].create_indexes(EVENT_INDEXES)


def event_document(summary: EventSummary, members: list[str], now: datetime) -> dict[str, Any]:
    return {
        "_id": summary.event_id,
        "version": summary.version,
        "first": {
            "id": summary.first_id,
            "published_at": summary.first_at,
            "site": summary.first_site,
            "platform": summary.first_platform,
            "tier": summary.first_tier,
        },
        "central_first": summary.central_first,
        "last_at": summary.last_at,
        "members": members,
        "member_count": summary.members,
        "sites": summary.sites,
        "platforms": summary.platforms,
        "tiers": summary.tiers,
        "big_v": summary.big_v,
        "front_pages": summary.front_pages,
        "metrics": summary.totals,
        "heat": summary.heat,
        "trend": summary.trend,
        "level": summary.level,
        "level_reasons": summary.level_reasons,
        "updated_at": now,
        "schema_version": EVENT_SCHEMA_VERSION,
    }


def _upsert(doc: dict[str, Any]) -> UpdateOne:
    # Matches a stored older version, or nothing (then the upsert inserts, or collides
    # on _id with a newer version: "stale"). Every stored event has a version.
    return UpdateOne(
        {"_id": doc["_id"], "version": {"$lt": doc["version"]}},
        {
            "$set": {k: v for k, v in doc.items() if k != "_id"},
            "$setOnInsert": {"created_at": doc["updated_at"]},
        },
        upsert=True,
    )


def write_events(db: Database, docs: list[dict[str, Any]]) -> Counter[str]:
    """Upsert snapshots (older versions lose), one bulk command. Connection errors
    propagate: the caller keeps the events for a retry."""
    counts: Counter[str] = Counter()
    if not docs:
        return counts
    result: Mapping[str, Any]
    try:
        result = db[EVENTS].bulk_write([_upsert(d) for d in docs], ordered=False).bulk_api_result
    except BulkWriteError as exc:
        result = exc.details
        for error in result.get("writeErrors", []):
            # The filter missed because a newer version is stored; the upsert then
            # collided on _id. That is the intended "older snapshot loses".
            counts["stale" if error.get("code") == DUPLICATE_KEY else "refused"] += 1
    counts["inserted"] += result.get("nUpserted", 0)
    counts["updated"] += result.get("nModified", 0)
    return counts


def utcnow() -> datetime:
    return datetime.now(UTC)
