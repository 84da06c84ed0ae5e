"""The `events` writer: new events inserted, others written only over an older version,
an insert that races another worker's written over it by version. Real MongoDB (the
embedded SecantusDB of the test session, or MONGO_URI)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pymongo
import pytest

from yuqing_spiders.analysis import event_store
from yuqing_spiders.analysis.event_store import EVENTS, write_events

T0 = datetime(2026, 12, 5, 8, 0, tzinfo=UTC)


def event(number: int, version: int, **fields: Any) -> dict[str, Any]:
    return {"_id": f"ev:{number:016x}", "version": version, "updated_at": T0, **fields}


def stored(db: pymongo.database.Database) -> dict[str, dict[str, Any]]:
    return {doc["_id"]: doc for doc in db[EVENTS].find({})}


def test_new_events_are_inserted_and_others_written_only_over_older_versions(
    mongo_db: pymongo.database.Database,
) -> None:
    counts = write_events(mongo_db, [event(1, 3, heat=1.0), event(2, 1, heat=2.0)])
    assert (counts["inserted"], counts["updated"], counts["stale"]) == (2, 0, 0)
    assert stored(mongo_db)[event(1, 3)["_id"]]["created_at"] == T0.replace(tzinfo=None)
    # An older snapshot of event 1 (another worker flushing late) is not even sent; a
    # newer one of event 2 replaces it.
    counts = write_events(mongo_db, [event(1, 2, heat=9.0), event(2, 4, heat=5.0)])
    assert (counts["inserted"], counts["updated"], counts["stale"]) == (0, 1, 1)
    events = stored(mongo_db)
    assert [events[event(n, 0)["_id"]]["heat"] for n in (1, 2)] == [1.0, 5.0]


@pytest.mark.parametrize(("theirs", "ours", "kept"), [(2, 5, 5), (7, 5, 7)])
def test_an_insert_raced_by_another_worker_is_written_by_version(
    mongo_db: pymongo.database.Database,
    monkeypatch: pytest.MonkeyPatch,
    theirs: int,
    ours: int,
    kept: int,
) -> None:
    # The other worker stores the event between this worker's lookup and its insert.
    write_events(mongo_db, [event(1, theirs, heat=float(theirs))])
    monkeypatch.setattr(event_store, "stored_versions", lambda db, ids: {})
    counts = write_events(mongo_db, [event(1, ours, heat=float(ours))])
    assert counts["refused"] == 0
    assert (counts["updated"], counts["stale"]) == ((1, 0) if ours > theirs else (0, 1))
    assert stored(mongo_db)[event(1, 0)["_id"]]["version"] == kept
