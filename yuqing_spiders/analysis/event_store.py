"""The MongoDB `events` collection: one document per event, written from Redis state.

Blocking (pymongo); the event record stage calls it from a thread. Each document is a
snapshot of the event's shared state with its version (a counter Redis raises on every
change), and is written only over an older version: two workers writing snapshots of
the same event in any order leave the newest. Two commands per flush, whatever the
number of events: one lookup of the versions stored, then one bulk that inserts the
events not stored yet (most events have one member and are written once: an embedded
SecantusDB spends a third of an upsert's CPU on an insert, issue 13) and writes the
others over older versions. No filter has a top-level `$or` (an embedded SecantusDB
scans the whole collection for one).

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

from pymongo import ASCENDING, DESCENDING, IndexModel, InsertOne, UpdateOne
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


def _insert(doc: dict[str, Any]) -> InsertOne[dict[str, Any]]:
    return InsertOne({**doc, "created_at": doc["updated_at"]})


def write_events(db: Database, docs: list[dict[str, Any]]) -> Counter[str]:
    """Write snapshots (older versions lose): inserted when the lookup finds no stored
    version, else upserted over an older one, and not sent at all when the stored one
    is as new. Connection errors propagate: the caller keeps the events for a retry."""
    counts: Counter[str] = Counter()
    if not docs:
        return counts
    stored = stored_versions(db, [d["_id"] for d in docs])
    writes: list[tuple[str, InsertOne[dict[str, Any]] | UpdateOne]] = []
    for doc in docs:
        if doc["_id"] not in stored:
            writes.append((doc["_id"], _insert(doc)))
        elif stored[doc["_id"]] < doc["version"]:
            writes.append((doc["_id"], _upsert(doc)))
        else:
            counts["stale"] += 1
    raced = _bulk(db, writes, counts)
    if raced:
        # Inserted by another worker since the lookup: written over it by version.
        _bulk(db, [(doc["_id"], _upsert(doc)) for doc in docs if doc["_id"] in raced], counts)
    return counts


def stored_versions(db: Database, ids: list[str]) -> dict[str, int]:
    found = db[EVENTS].find({"_id": {"$in": ids}}, {"version": 1})
    return {row["_id"]: int(row.get("version") or 0) for row in found}


def _bulk(
    db: Database,
    writes: list[tuple[str, InsertOne[dict[str, Any]] | UpdateOne]],
    counts: Counter[str],
) -> set[str]:
    """One unordered bulk; the ids of inserts that met a stored event come back."""
    if not writes:
        return set()
    raced: set[str] = set()
    result: Mapping[str, Any]
    try:
        result = db[EVENTS].bulk_write([op for _, op in writes], ordered=False).bulk_api_result
    except BulkWriteError as exc:
        result = exc.details
        for error in result.get("writeErrors", []):
            event_id, op = writes[error["index"]]
            if error.get("code") != DUPLICATE_KEY:
                counts["refused"] += 1
            elif isinstance(op, InsertOne):
                raced.add(event_id)
            else:
                # The filter missed because a newer version is stored; the upsert then
                # collided on _id. That is the intended "older snapshot loses".
                counts["stale"] += 1
    counts["inserted"] += result.get("nUpserted", 0) + result.get("nInserted", 0)
    counts["updated"] += result.get("nModified", 0)
    return raced


def utcnow() -> datetime:
    return datetime.now(UTC)
