"""Documents, upserts and indexes of yuqing_spiders.store.documents, written to the real server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pymongo
import pytest
from itemadapter import ItemAdapter
from pymongo import InsertOne, UpdateOne

from yuqing_spiders.model.items import FrontPagePlacement, Metrics, OpinionItem
from yuqing_spiders.store.connections import redact_uri
from yuqing_spiders.store.documents import (
    FIRST_MOVED,
    OPINION_METRICS,
    OPINIONS,
    SCHEMA_VERSION,
    StoredState,
    _normalise,
    ensure_indexes,
    has_observation,
    metrics_point,
    opinion_insert,
    opinion_update,
    point_id,
    stored_states,
    to_document,
    upsert_operations,
)

T0 = datetime(2025, 3, 1, 8, 0, 0, 123456, tzinfo=UTC)


def item(n: int = 1, **fields: Any) -> OpinionItem:
    base: dict[str, Any] = {
        "url": f"https://example.gov.cn/a/{n}.html",
        "source": "people",
        "platform": "news",
        "id": f"people:{n}",
        "title": f"title {n}",
        "content": "body",
        "published_at": T0 - timedelta(hours=1),
        "crawled_at": T0,
        "metrics": Metrics(comments=3, reposts=1, likes=7, reads=100),
    }
    base.update(fields)
    return OpinionItem(**base)


def write(db: pymongo.database.Database, docs: list[dict[str, Any]]) -> None:
    ops = upsert_operations(docs, stored_states(db[OPINIONS], [d["_id"] for d in docs]))
    if ops.opinions:
        db[OPINIONS].bulk_write(ops.opinions, ordered=False)
    if ops.metrics:
        db[OPINION_METRICS].bulk_write(ops.metrics, ordered=False)


# --- to_document --------------------------------------------------------------------------


def test_to_document_ids_dates_and_version() -> None:
    cst = timezone(timedelta(hours=8))
    placement = FrontPagePlacement(
        site="people.com.cn", seen_at=datetime(2025, 3, 1, 16, 0, tzinfo=cst)
    )
    doc = to_document(item(front_page=[placement]))
    assert doc["_id"] == "people:1"
    assert "id" not in doc
    assert doc["schema_version"] == SCHEMA_VERSION == 1
    # UTC, truncated to BSON's milliseconds so the document survives a round-trip as is.
    assert doc["crawled_at"] == datetime(2025, 3, 1, 8, 0, 0, 123000, tzinfo=UTC)
    assert doc["crawled_at"].utcoffset() == timedelta(0)
    assert doc["front_page"][0]["seen_at"] == datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
    assert doc["metrics"] == {"comments": 3, "reposts": 1, "likes": 7, "reads": 100}
    assert doc["author"]["name"] is None  # nested dataclasses become plain dicts


def test_to_document_treats_naive_datetimes_as_utc() -> None:
    doc = to_document(item(published_at=datetime(2025, 1, 1, 12, 0)))
    assert doc["published_at"] == datetime(2025, 1, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("field", "message"), [("id", "without id"), ("crawled_at", "crawled_at")])
def test_to_document_refuses_items_without_identity(field: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        to_document(item(**{field: None}))


# --- operations ---------------------------------------------------------------------------


def test_point_id_is_deterministic_in_milliseconds() -> None:
    assert point_id("people:1", T0) == "people:1@2025-03-01T08:00:00.123Z"
    beijing = T0.astimezone(timezone(timedelta(hours=8)))
    assert point_id("people:1", beijing) == point_id("people:1", T0.replace(microsecond=123999))


def test_metrics_point_of_every_crawl_that_saw_a_counter_or_a_status() -> None:
    # No counter and no status on the page (most news articles): no point at all.
    empty = to_document(item(metrics=Metrics()))
    assert not has_observation(empty)
    assert upsert_operations([empty]).points == []
    deleted = to_document(item(metrics=Metrics(), extra={"status": "deleted"}))
    assert has_observation(deleted)
    assert metrics_point(deleted)["status"] == "deleted"
    one = to_document(item(metrics=Metrics(comments=0)))  # a zero is an observation
    assert [p["comments"] for p in upsert_operations([one]).points] == [0]
    point = metrics_point(to_document(item()))
    assert point == {
        "_id": "people:1@2025-03-01T08:00:00.123Z",
        "opinion_id": "people:1",
        "at": datetime(2025, 3, 1, 8, 0, 0, 123000, tzinfo=UTC),
        "source": "people",
        "comments": 3,
        "reposts": 1,
        "likes": 7,
        "reads": 100,
    }


def test_opinion_update_sets_first_seen_only_on_insert() -> None:
    doc = to_document(item())
    assert "first_seen_at" in doc  # None here: the writer decides it on insert
    update = opinion_update(doc)._doc
    assert update["$setOnInsert"]["first_seen_at"] == doc["crawled_at"]
    assert "first_seen_at" not in update["$set"]
    assert update["$set"]["title"] == doc["title"]
    # A stage that knows an earlier sighting (e.g. on a front page) is believed.
    earlier = to_document(item(first_seen_at=T0 - timedelta(days=1)))
    assert (
        opinion_update(earlier)._doc["$setOnInsert"]["first_seen_at"] == (earlier["first_seen_at"])
    )


def test_a_counter_one_route_saw_survives_a_crawl_that_did_not_see_it(mongo_db) -> None:
    # A list page shows the comment count; a later search hit of the same article
    # does not. The stored count must stay, the new one (likes) must arrive.
    listed = to_document(item(metrics=Metrics(comments=5)))
    searched = to_document(item(metrics=Metrics(likes=3), crawled_at=T0 + timedelta(hours=3)))
    mongo_db.opinions.bulk_write([opinion_update(listed)])
    stored = mongo_db.opinions.find_one({"_id": listed["_id"]})
    assert stored["metrics"] == {"comments": 5, "reposts": None, "likes": None, "reads": None}
    mongo_db.opinions.bulk_write([opinion_update(searched)])
    stored = mongo_db.opinions.find_one({"_id": listed["_id"]})
    assert stored["metrics"] == {"comments": 5, "reposts": None, "likes": 3, "reads": None}


def test_upsert_operations_plans() -> None:
    fresh = to_document(item(1))
    partial = to_document(item(2, title=None, complete=False, metrics=Metrics(comments=9)))
    late = to_document(item(3))
    older_release = to_document(item(4, crawled_at=T0 + timedelta(days=1)))
    stored = {
        "people:2": StoredState(complete=True, crawled_at=T0 - timedelta(hours=1)),
        "people:3": StoredState(complete=True, crawled_at=T0 + timedelta(hours=1)),
        "people:4": StoredState(complete=True, crawled_at=T0, schema_version=2),
    }
    ops = upsert_operations([fresh, partial, late, older_release], stored)
    assert ops.opinion_ids == ["people:1", "people:2"]
    assert ops.metrics_only == ["people:2"]
    assert ops.stale == ["people:3"]
    assert ops.newer_schema == ["people:4"]
    assert len(ops.metrics) == len(ops.points) == 4  # a late point is still a true point
    # Not an upsert, and only the counters this crawl did see.
    assert ops.opinions[1] == UpdateOne(
        {"_id": "people:2"}, {"$set": {"metrics.comments": 9, "crawled_at": partial["crawled_at"]}}
    )


def test_an_id_the_lookup_did_not_find_is_inserted() -> None:
    fresh, known = to_document(item(1)), to_document(item(2))
    stored = {"people:2": StoredState(complete=True, crawled_at=T0 - timedelta(hours=1))}
    ops = upsert_operations([fresh, known], stored)
    assert [type(op) for op in ops.opinions] == [InsertOne, UpdateOne]
    # Without a lookup nothing is known to be absent: every write is an upsert.
    assert {type(op) for op in upsert_operations([fresh, known]).opinions} == {UpdateOne}


def test_an_insert_stores_what_the_upsert_would(mongo_db: pymongo.database.Database) -> None:
    # Counters seen and unseen (embedded `metrics.*` fields), first_seen_at, the
    # comment lean only on insert, FIRST_MOVED dropped from `extra`.
    doc = to_document(
        item(1, metrics=Metrics(comments=5, reads=0), extra={FIRST_MOVED: True, "k": 1})
    )
    mongo_db["upserted"].bulk_write([opinion_update(doc)])
    mongo_db["inserted"].bulk_write([opinion_insert(doc)])
    upserted = mongo_db["upserted"].find_one({"_id": doc["_id"]})
    assert upserted["metrics"] == {"comments": 5, "reads": 0, "reposts": None, "likes": None}
    assert mongo_db["inserted"].find_one({"_id": doc["_id"]}) == upserted


@pytest.mark.parametrize(
    ("uri", "shown"),
    [
        ("mongodb://u:secret@127.0.0.1:1/", "mongodb://u:***@127.0.0.1:1/"),
        (
            "mongodb://u:p%40ss@h1,h2:27018/db?authSource=admin",
            "mongodb://u:***@h1,h2:27018/db?***",
        ),
        ("mongodb+srv://user@cluster.example/", "mongodb+srv://user@cluster.example/"),
        ("mongodb://127.0.0.1:27017", "mongodb://127.0.0.1:27017"),
        ("no scheme", "<unparsable MongoDB URI>"),
    ],
)
def test_redact_uri(uri: str, shown: str) -> None:
    assert redact_uri(uri) == shown


# --- against the server -------------------------------------------------------------------


def test_ensure_indexes_is_idempotent(mongo_db: pymongo.database.Database) -> None:
    ensure_indexes(mongo_db)
    ensure_indexes(mongo_db)
    opinions = mongo_db[OPINIONS].index_information()
    assert set(opinions) == {
        "_id_",
        "canonical_url",
        "published_at_desc",
        "crawled_at",
        "source_published",
        "platform",
        "event_id",
        "level",
        "jurisdiction_district",
    }
    assert not opinions["canonical_url"].get("unique")
    assert opinions["source_published"]["key"] == [("source", 1), ("published_at", -1)]
    metrics = mongo_db[OPINION_METRICS].index_information()
    assert metrics["opinion_at"]["key"] == [("opinion_id", 1), ("at", 1)]


def test_two_ids_may_share_a_canonical_url(mongo_db: pymongo.database.Database) -> None:
    ensure_indexes(mongo_db)
    url = "https://weibo.com/1/abc"
    write(
        mongo_db, [to_document(item(1, canonical_url=url)), to_document(item(2, canonical_url=url))]
    )
    assert mongo_db[OPINIONS].count_documents({"canonical_url": url}) == 2


def test_recrawl_refreshes_and_keeps_first_seen(mongo_db: pymongo.database.Database) -> None:
    write(mongo_db, [to_document(item(title="old"))])
    later = T0.replace(microsecond=0) + timedelta(hours=2)
    write(
        mongo_db, [to_document(item(title="new", crawled_at=later, metrics=Metrics(comments=50)))]
    )
    stored = mongo_db[OPINIONS].find_one({"_id": "people:1"})
    assert stored is not None
    assert mongo_db[OPINIONS].count_documents({}) == 1
    assert stored["title"] == "new"
    assert stored["metrics"]["comments"] == 50
    assert stored["first_seen_at"].replace(tzinfo=UTC) == to_document(item())["crawled_at"]
    assert stored["crawled_at"].replace(tzinfo=UTC) == later
    assert mongo_db[OPINION_METRICS].count_documents({"opinion_id": "people:1"}) == 2
    # The same crawl again changes nothing and adds no point.
    write(
        mongo_db, [to_document(item(title="new", crawled_at=later, metrics=Metrics(comments=50)))]
    )
    assert mongo_db[OPINION_METRICS].count_documents({}) == 2


def test_stored_states(mongo_db: pymongo.database.Database) -> None:
    write(mongo_db, [to_document(item(1)), to_document(item(2, complete=False))])
    states = stored_states(mongo_db[OPINIONS], ["people:1", "people:2", "people:404"])
    assert states == {
        "people:1": StoredState(True, datetime(2025, 3, 1, 8, 0, 0, 123000, tzinfo=UTC), 1),
        "people:2": StoredState(False, datetime(2025, 3, 1, 8, 0, 0, 123000, tzinfo=UTC), 1),
    }
    assert stored_states(mongo_db[OPINIONS], []) == {}


def test_document_is_the_item_adapter_dict_normalised() -> None:
    # to_document walks the dataclasses itself (a third of the writer's CPU was
    # ItemAdapter asking every adapter about every string): it must give the same dict.
    beijing = timezone(timedelta(hours=8))
    rich = item(
        front_page=[
            FrontPagePlacement(
                site="people", block="要闻", position=2, seen_at=datetime(2025, 3, 1)
            )
        ],
        extra={
            "seen": datetime(2025, 3, 1, 16, 0, 0, 123456, tzinfo=beijing),
            "pair": ("a", "b"),
            "nested": [{"at": datetime(2025, 3, 1, 8, 0)}, 3, None],
        },
    )
    data = ItemAdapter(rich).asdict()
    expected = {"_id": data.pop("id"), **_normalise(data)}
    expected.setdefault("schema_version", SCHEMA_VERSION)
    assert to_document(rich) == expected
    assert to_document(rich)["extra"]["seen"] == datetime(2025, 3, 1, 8, 0, 0, 123000, tzinfo=UTC)
    assert to_document(rich)["extra"]["pair"] == ["a", "b"]
