"""How an item becomes MongoDB documents and write operations (docs/schema.md).

Pure helpers plus collection setup, no Scrapy: the writer pipeline and any tool that
stores or re-stores items (spool replay, migrations) build the same documents and the
same idempotent upserts from here, so a replayed item can never be stored twice.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

from itemadapter import ItemAdapter
from pymongo import ASCENDING, DESCENDING, IndexModel, InsertOne, UpdateMany, UpdateOne

from yuqing_spiders.model.items import SCHEMA_VERSION, CommentItem

if TYPE_CHECKING:
    from pymongo.collection import Collection as MongoCollection
    from pymongo.database import Database

OPINIONS = "opinions"
OPINION_METRICS = "opinion_metrics"
METRIC_FIELDS = ("comments", "reposts", "likes", "reads")
# Comments, replies and forum floors under an item: never stored as opinions.
COMMENTS = "comments"
# Put in an opinion's `extra` by the event stage when the item turned out to be the
# first publisher of an event that already had one: the writer then corrects the other
# members' `repost_of` / `is_first_publisher` in the same flush. Never stored.
FIRST_MOVED = "_event_first_moved"
SENTIMENT_LABELS = ("negative", "neutral", "positive")

__all__ = [
    "COMMENTS",
    "METRIC_FIELDS",
    "OPINIONS",
    "OPINION_METRICS",
    "SCHEMA_VERSION",
    "Operations",
    "StoredState",
    "CommentOperations",
    "FIRST_MOVED",
    "collection_for",
    "comment_operations",
    "comment_sentiment",
    "comment_sentiment_pipeline",
    "comment_sentiment_updates",
    "membership_corrections",
    "ensure_indexes",
    "has_observation",
    "metrics_point",
    "opinion_insert",
    "opinion_update",
    "point_id",
    "stored_states",
    "to_document",
    "upsert_operations",
]

# Every index has an explicit name so that create_indexes is a no-op on a second run
# and a changed definition fails loudly (IndexOptionsConflict) instead of piling up.
OPINION_INDEXES = [
    # Not unique: the same canonical URL may legitimately sit under two ids (a page
    # first reached without its platform id, later with it), and many items have no
    # canonical URL at all (null would collide). Identity looks duplicates up here.
    IndexModel([("canonical_url", ASCENDING)], name="canonical_url"),
    IndexModel([("published_at", DESCENDING)], name="published_at_desc"),  # newest first
    IndexModel([("crawled_at", ASCENDING)], name="crawled_at"),  # what changed since T
    IndexModel([("source", ASCENDING), ("published_at", DESCENDING)], name="source_published"),
    IndexModel([("platform", ASCENDING)], name="platform"),
    IndexModel([("event_id", ASCENDING)], name="event_id"),  # members of one event
    IndexModel([("level", ASCENDING)], name="level"),  # important items for the office
    IndexModel([("jurisdiction.district", ASCENDING)], name="jurisdiction_district"),  # routing
]
METRIC_INDEXES = [
    # One item's series in time order: heat and trend read exactly this.
    IndexModel([("opinion_id", ASCENDING), ("at", ASCENDING)], name="opinion_at"),
]
COMMENT_INDEXES = [
    # One item's comments, newest first: comment sentiment and the office's view read this.
    IndexModel([("opinion_id", ASCENDING), ("published_at", DESCENDING)], name="opinion_published"),
    IndexModel([("crawled_at", ASCENDING)], name="crawled_at"),  # what changed since T
]


class StoredState(NamedTuple):
    """What the writer must know of an already stored opinion before overwriting it."""

    complete: bool
    crawled_at: datetime | None
    schema_version: int = SCHEMA_VERSION


@dataclass
class Operations:
    """Write operations for one batch; the lists run parallel to each other."""

    # An insert for an id the batch's lookup did not find, else an upsert.
    opinions: list[UpdateOne | InsertOne[dict[str, Any]]] = field(default_factory=list)
    opinion_ids: list[str] = field(default_factory=list)
    metrics: list[UpdateOne] = field(default_factory=list)
    points: list[dict[str, Any]] = field(default_factory=list)
    # Partial re-crawls of a complete record: only metrics and crawled_at refreshed.
    metrics_only: list[str] = field(default_factory=list)
    # Older than what is stored (a late spool replay): the document is left alone.
    stale: list[str] = field(default_factory=list)
    # Stored by a newer release (higher schema_version): this one must not rewrite it.
    newer_schema: list[str] = field(default_factory=list)


def _utc_ms(value: datetime) -> datetime:
    """BSON keeps milliseconds in UTC; normalising first makes a document (and the
    metrics point id derived from it) identical before and after a spool round-trip."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)  # what pymongo assumes for naive values too
    value = value.astimezone(UTC)
    return value.replace(microsecond=value.microsecond // 1000 * 1000)


def _normalise(value: Any) -> Any:
    if isinstance(value, datetime):
        return _utc_ms(value)
    if isinstance(value, Mapping):
        return {key: _normalise(inner) for key, inner in value.items()}
    if isinstance(value, list | tuple):
        return [_normalise(inner) for inner in value]
    return value


@lru_cache(maxsize=64)
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


# Values `_plain` returns as they are, by exact type: most fields of an item are None
# or a string or an empty list: testing those inline spares ~75 of the ~95 calls of
# `_plain` an item made (issue 13).
# Subclasses (a str subclass, bool) still go through `_plain`'s isinstance tests.
_AS_IS = frozenset({type(None), str, int, float})


def _plain(value: Any) -> Any:
    """`_normalise(ItemAdapter(value).asdict())` in one pass, for the project's dataclass
    items: the same dict, without asking every adapter about every string (a third of
    the writer stage's CPU). Anything else goes through ItemAdapter as before."""
    if value is None or isinstance(value, str | int | float):
        return value
    if isinstance(value, datetime):
        return _utc_ms(value)
    if isinstance(value, dict):
        return {
            key: inner if type(inner) in _AS_IS else _plain(inner) for key, inner in value.items()
        }
    if isinstance(value, list | tuple):
        return [inner if type(inner) in _AS_IS else _plain(inner) for inner in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _plain_fields(value, _field_names(type(value)))
    if ItemAdapter.is_item(value):
        return _normalise(ItemAdapter(value).asdict())
    return _normalise(value)


def _plain_fields(value: object, names: tuple[str, ...]) -> dict[str, Any]:
    """`_plain` of a dataclass instance: its fields `names`, in declaration order."""
    plain: dict[str, Any] = {}
    for name in names:
        inner = getattr(value, name)
        kind = type(inner)
        if kind in _AS_IS:
            plain[name] = inner
        elif kind is list and not inner:
            plain[name] = []  # most list fields of an item are empty
        else:
            plain[name] = _plain(inner)
    return plain


def to_document(item: Any) -> dict[str, Any]:
    """The document of an item (opinion or comment): `_id` from `id`, datetimes as UTC."""
    data = _plain(item)
    if not isinstance(data, dict):
        raise ValueError(f"not an item: {type(item).__name__}")
    opinion_id = data.pop("id", None)
    if not opinion_id:
        raise ValueError(f"item without id (the identity stage sets it): {data.get('url')}")
    if not isinstance(data.get("crawled_at"), datetime):
        raise ValueError(f"item {opinion_id} without crawled_at")
    doc: dict[str, Any] = {"_id": opinion_id, **data}
    doc.setdefault("schema_version", SCHEMA_VERSION)
    return doc


def point_id(opinion_id: str, at: datetime) -> str:
    """`<opinion_id>@<ISO time in ms, Z>`: the same crawl always names the same point."""
    stamp = _utc_ms(at).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return f"{opinion_id}@{stamp}"


def has_observation(doc: Mapping[str, Any]) -> bool:
    """Whether this crawl saw something a metrics point records: a counter or a status.
    A news page without counters has no point: it would add nothing to a trend, and it
    was a third of the server's write cost per article (issue 13)."""
    metrics = doc.get("metrics") or {}
    if any(metrics.get(name) is not None for name in METRIC_FIELDS):
        return True
    return (doc.get("status") or (doc.get("extra") or {}).get("status")) is not None


def metrics_point(doc: Mapping[str, Any]) -> dict[str, Any]:
    """The `opinion_metrics` point of one crawl (written when `has_observation`)."""
    metrics = doc.get("metrics") or {}
    at = doc["crawled_at"]
    point = {"_id": point_id(doc["_id"], at), "opinion_id": doc["_id"], "at": at}
    point["source"] = doc.get("source")
    point.update({name: metrics.get(name) for name in METRIC_FIELDS})
    status = doc.get("status") or (doc.get("extra") or {}).get("status")
    if status is not None:
        point["status"] = status
    return point


def opinion_update(doc: Mapping[str, Any], *, metrics_only: bool = False) -> UpdateOne:
    """The idempotent upsert of one opinion; `first_seen_at` is only ever set on insert."""
    if metrics_only:
        # Only values this crawl did see: an empty counter must not blank a good one.
        fields = {f"metrics.{k}": v for k, v in (doc.get("metrics") or {}).items() if v is not None}
        fields["crawled_at"] = doc["crawled_at"]
        return UpdateOne({"_id": doc["_id"]}, {"$set": fields})
    fields, on_insert = _opinion_fields(doc)
    return UpdateOne({"_id": doc["_id"]}, {"$set": fields, "$setOnInsert": on_insert}, upsert=True)


def opinion_insert(doc: Mapping[str, Any]) -> InsertOne[dict[str, Any]]:
    """The document `opinion_update` would create when nothing is stored, as a plain
    insert: an embedded SecantusDB spends 0.4 ms of CPU on an insert and 1.1 ms on an
    upsert that inserts (bench/throughput.py, issue 13). Only for an id the batch's
    lookup did not find; if another writer stores it meanwhile, the insert collides
    on `_id` and the writer upserts it instead."""
    fields, on_insert = _opinion_fields(doc)
    document: dict[str, Any] = {"_id": doc["_id"]}
    for key, value in (*fields.items(), *on_insert.items()):
        outer, dot, inner = key.partition(".")
        if dot:  # "metrics.comments": the upsert would build the embedded document
            document.setdefault(outer, {})[inner] = value
        else:
            document[key] = value
    return InsertOne(document)


def _opinion_fields(doc: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """What a full write of `doc` sets, and what it sets only on insert."""
    fields = {k: v for k, v in doc.items() if k not in ("_id", "first_seen_at", "metrics")}
    on_insert: dict[str, Any] = {"first_seen_at": doc.get("first_seen_at") or doc["crawled_at"]}
    if FIRST_MOVED in (fields.get("extra") or {}):
        fields["extra"] = {k: v for k, v in fields["extra"].items() if k != FIRST_MOVED}
    # The writer keeps `comment_sentiment` from the stored comments: a re-crawl of the
    # item that did not judge them must not blank it.
    if fields.get("comment_sentiment") is None and "comment_sentiment" in fields:
        on_insert["comment_sentiment"] = fields.pop("comment_sentiment")
    # Counters one route saw must survive a crawl by a route that does not show them
    # (a search hit after the list page gave the comment count): set what this crawl
    # saw, and leave the others null only on a first insert.
    for name, value in (doc.get("metrics") or {}).items():
        (fields if value is not None else on_insert)[f"metrics.{name}"] = value
    return fields, on_insert


def _plan(doc: Mapping[str, Any], stored: StoredState | None) -> str:
    if stored is None:
        return "full"
    if stored.schema_version > doc.get("schema_version", SCHEMA_VERSION):
        return "newer_schema"
    if stored.crawled_at is not None and stored.crawled_at > doc["crawled_at"]:
        return "stale"
    if stored.complete and not doc.get("complete", True):
        return "metrics_only"
    return "full"


def upsert_operations(
    docs: Iterable[Mapping[str, Any]],
    stored: Mapping[str, StoredState] | None = None,
    *,
    every_point: bool = False,
    inserts: bool = True,
) -> Operations:
    """Writes for `opinions` and `opinion_metrics`; `stored` (from `stored_states`)
    keeps partial or late re-crawls from degrading what is already stored, and an id
    it lacks is inserted rather than upserted (without `stored`, or with `inserts`
    off, every write is an upsert). A metrics point is written for a crawl that saw a
    counter or a status, or for every crawl with `every_point` (MONGO_METRICS_POINTS =
    "every")."""
    looked_up = stored is not None and inserts
    stored = stored or {}
    ops = Operations()
    for doc in docs:
        plan = _plan(doc, stored.get(doc["_id"]))
        if plan in ("stale", "newer_schema"):
            getattr(ops, plan).append(doc["_id"])
        elif looked_up and doc["_id"] not in stored:
            ops.opinions.append(opinion_insert(doc))
            ops.opinion_ids.append(doc["_id"])
        else:
            ops.opinions.append(opinion_update(doc, metrics_only=plan == "metrics_only"))
            ops.opinion_ids.append(doc["_id"])
            if plan == "metrics_only":
                ops.metrics_only.append(doc["_id"])
        if not every_point and not has_observation(doc):
            continue
        # A late point is still a true observation of its time: the series keeps it.
        point = metrics_point(doc)
        ops.points.append(point)
        ops.metrics.append(UpdateOne({"_id": point["_id"]}, {"$set": point}, upsert=True))
    return ops


def membership_corrections(
    docs: Iterable[Mapping[str, Any]],
) -> list[tuple[UpdateMany, Mapping[str, Any]]]:
    """For each item that became its event's first publisher after other members were
    stored: those members now repost it (the update, and the item it stands for). Only
    documents that disagree are matched (event_id index; no `$or`, which an embedded
    SecantusDB answers with a full scan)."""
    ops = []
    for doc in docs:
        if (doc.get("extra") or {}).get(FIRST_MOVED) and doc.get("event_id"):
            first = doc["_id"]
            members = {"event_id": doc["event_id"], "_id": {"$ne": first}}
            update = UpdateMany(
                {**members, "repost_of": {"$ne": first}},
                {"$set": {"repost_of": first, "is_first_publisher": False}},
            )
            ops.append((update, doc))
    return ops


def comment_sentiment_pipeline(opinion_ids: Collection[str]) -> list[dict[str, Any]]:
    """Aggregation over `comments`: per item and label, how many and the summed score."""
    return [
        {"$match": {"opinion_id": {"$in": sorted(opinion_ids)}}},
        {
            "$group": {
                "_id": {"opinion": "$opinion_id", "label": "$sentiment.label"},
                "n": {"$sum": 1},
                "score": {"$sum": "$sentiment.score"},
            }
        },
    ]


def comment_sentiment(rows: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """`comment_sentiment` of each item from the aggregation rows: `count` (comments
    judged), `counts` and `shares` per label, `score` (mean), `label` (the most common
    label; a tie goes to negative, then neutral: the office reads the negative first)."""
    found: dict[str, dict[str, Any]] = {}
    for row in rows:
        key = row["_id"]
        label = key.get("label")
        if label not in SENTIMENT_LABELS:
            continue  # a comment not judged (yet)
        entry = found.setdefault(
            key["opinion"], {"counts": dict.fromkeys(SENTIMENT_LABELS, 0), "sum": 0.0}
        )
        entry["counts"][label] += int(row["n"])
        entry["sum"] += float(row.get("score") or 0.0)
    result = {}
    for opinion, entry in found.items():
        counts = entry["counts"]
        total = sum(counts.values())
        result[opinion] = {
            "label": max(
                SENTIMENT_LABELS, key=lambda name: (counts[name], -SENTIMENT_LABELS.index(name))
            ),
            "score": round(entry["sum"] / total, 4),
            "count": total,
            "counts": counts,
            "shares": {name: round(counts[name] / total, 4) for name in SENTIMENT_LABELS},
            "terms": [],
        }
    return result


def comment_sentiment_updates(leans: Mapping[str, dict[str, Any]]) -> list[UpdateOne]:
    """Set each stored item's lean; an item not stored yet is not created by it."""
    return [
        UpdateOne({"_id": opinion}, {"$set": {"comment_sentiment": lean}})
        for opinion, lean in sorted(leans.items())
    ]


def collection_for(item: Any) -> str:
    """The collection an item is stored in: comments apart from the opinions."""
    return COMMENTS if isinstance(item, CommentItem) else OPINIONS


@dataclass
class CommentOperations:
    """Upserts of one batch of comments, with the ids they write (parallel lists)."""

    updates: list[UpdateOne] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    newer_schema: list[str] = field(default_factory=list)


def comment_operations(
    docs: Iterable[Mapping[str, Any]], stored: Mapping[str, StoredState] | None = None
) -> CommentOperations:
    """Idempotent upserts for `comments` (`_id` `<opinion_id>#<native id>`): the same
    late-replay and newer-release guards as opinions; a comment has no metrics series."""
    stored = stored or {}
    ops = CommentOperations()
    for doc in docs:
        plan = _plan(doc, stored.get(doc["_id"]))
        if plan in ("stale", "newer_schema"):
            getattr(ops, plan).append(doc["_id"])
            continue
        ops.updates.append(opinion_update(doc))
        ops.ids.append(doc["_id"])
    return ops


def stored_states(collection: MongoCollection, ids: Collection[str]) -> dict[str, StoredState]:
    """`complete`, `crawled_at` and `schema_version` of those of `ids` already stored."""
    if not ids:
        return {}
    projection = {"complete": 1, "crawled_at": 1, "schema_version": 1}
    cursor = collection.find({"_id": {"$in": list(ids)}}, projection)
    return {
        row["_id"]: StoredState(
            bool(row.get("complete", True)),
            _utc_ms(row["crawled_at"]) if isinstance(row.get("crawled_at"), datetime) else None,
            int(row.get("schema_version") or SCHEMA_VERSION),
        )
        for row in cursor
    }


def ensure_indexes(db: Database) -> list[str]:
    """Create the indexes of docs/schema.md; safe to call on every start."""
    names = db[OPINIONS].create_indexes(OPINION_INDEXES)
    names += db[OPINION_METRICS].create_indexes(METRIC_INDEXES)
    names += db[COMMENTS].create_indexes(COMMENT_INDEXES)
    return names
