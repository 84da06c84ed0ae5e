"""The blocking core of storing items: batched, idempotent upserts into MongoDB that
survive its outages (no Scrapy here; pipelines/mongo_writer.py is the shell).

`Writer` stores a batch, and when the server cannot be reached it appends the batch to
a spool directory instead (yuqing_spiders.store.spool) and replays the spool, oldest
first, once a ping succeeds again. Every write is an upsert on a deterministic `_id`
(yuqing_spiders.store.documents), so a batch written twice — replayed after a write
that failed half-way, or left by a crashed run — is never stored twice.

It is the only writer of `opinions`: one bulk upsert per batch carries every field the
stages set; in the same flush it corrects the members of an event whose first
publisher turned out to be an item of this batch, and recounts `comment_sentiment` of
the items whose comments the batch brings (docs/architecture.md, Storage).
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import bson
from bson.errors import InvalidDocument
from pymongo import InsertOne
from pymongo.errors import (
    AutoReconnect,
    BulkWriteError,
    ConnectionFailure,
    NetworkTimeout,
    PyMongoError,
    ServerSelectionTimeoutError,
)

from yuqing_spiders.store.connections import (
    MongoOptions,
    redact_uri,
    release_mongo,
    scrub,
    shared_mongo_client,
    uri_secrets,
)
from yuqing_spiders.store.documents import (
    COMMENTS,
    OPINION_METRICS,
    OPINIONS,
    comment_operations,
    comment_sentiment,
    comment_sentiment_pipeline,
    comment_sentiment_updates,
    ensure_indexes,
    membership_corrections,
    stored_states,
    upsert_operations,
)
from yuqing_spiders.store.spool import Spool

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from pymongo import MongoClient, UpdateMany, UpdateOne

logger = logging.getLogger(__name__)

# The server is away: the batch waits in the spool, nothing is rejected.
CONNECTION_ERRORS = (ServerSelectionTimeoutError, AutoReconnect, NetworkTimeout, ConnectionFailure)
# Per-document error codes that say "the server is going away", not "this document is
# bad": shutdown, step-down, network. Such a batch is spooled like an outage.
# An insert that met a document already stored under its _id.
DUPLICATE_KEY = 11000
TRANSIENT_CODES = frozenset({6, 7, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436})
# The BSON limit of every MongoDB release; the server's own value replaces it at open.
DEFAULT_MAX_BSON = 16 * 1024 * 1024
# What `Writer.write` stores; `opinions` batches bring their `opinion_metrics` points.
WRITABLE = frozenset({OPINIONS, COMMENTS})
# Counts that are always in the stats (`mongo/<key>`), 0 included, so dashboards need
# no special case.
STAT_KEYS = (
    "items_received",
    "batches",
    "inserted",
    "updated",
    "unchanged",
    "metrics_points",
    "spooled_items",
    "spooled_batches",
    "spool_replayed_items",
    "write_errors",
)


@dataclass
class _Outage:
    started: float
    items: int = 0
    batches: int = 0


def _count_sources(
    docs: list[dict[str, Any]], rejected: set[str], counts: Counter[str], what: str
) -> None:
    """`stored/<source>` or `spooled/<source>` per acknowledged batch: the end-of-run
    summary says per source what reached MongoDB (or the spool), not what was scraped."""
    for doc in docs:
        if doc["_id"] not in rejected:
            counts[f"{what}/{doc.get('source') or 'unknown'}"] += 1


def _rounds(docs: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Split a batch so that no round holds an `_id` twice: the second crawl of an item
    in one batch must see what the first one stored (unordered bulks have no order)."""
    rounds: list[list[dict[str, Any]]] = []
    seen: Counter[str] = Counter()
    for doc in docs:
        index = seen[doc["_id"]]
        seen[doc["_id"]] += 1
        if index == len(rounds):
            rounds.append([])
        rounds[index].append(doc)
    return rounds


class Writer:
    """Blocking batch writer with a disk spool. Call it from one thread only.

    Each public method returns a Counter of what happened (keys without the `mongo/`
    prefix), so the caller can turn them into stats on its own thread.
    """

    def __init__(
        self,
        client: MongoClient[dict[str, Any]],
        database: str,
        spool: Spool,
        *,
        retry_interval: float,
        target: str = "",
        secrets: tuple[str, ...] = (),
        every_point: bool = False,
    ) -> None:
        self.client = client
        self._released = False
        # A metrics point for every crawl, not only those that saw a counter or status.
        self.every_point = every_point
        self.db = client[database]
        self.spool = spool
        self.retry_interval = retry_interval
        self.target = target  # a redacted URI, for log lines only
        self._secrets = tuple(s for s in secrets if s)
        self.down = False
        self._prepared = False
        self._max_bson = DEFAULT_MAX_BSON
        self._next_retry = 0.0
        self._outage: _Outage | None = None

    # --- public API -------------------------------------------------------------------

    def open(self) -> Counter[str]:
        """Create the indexes and replay a spool left by an earlier run."""
        counts: Counter[str] = Counter()
        try:
            self._prepare()
        except CONNECTION_ERRORS as exc:
            self._enter_outage(exc, counts)
            return counts
        self._replay(counts)
        return counts

    def write(self, docs: list[dict[str, Any]], collection: str = OPINIONS) -> Counter[str]:
        """Store a batch of one collection's documents (`opinions`, which brings its
        `opinion_metrics` points, or `comments`), or spool it while the server is away.
        An empty batch still gives a down server its periodic retry."""
        if collection not in WRITABLE:
            raise ValueError(f"the writer does not store {collection!r}")
        counts: Counter[str] = Counter()
        if docs:
            counts["batches"] += 1
        docs = self._screen(docs, counts)
        if self.down and not self._recover(counts):
            self._spool(docs, counts, collection)
            return counts
        if docs:
            self._store_or_spool(docs, counts, collection)
        return counts

    def close(self) -> Counter[str]:
        """One last try to empty the spool, then release the client."""
        counts: Counter[str] = Counter()
        if self.down:
            self._recover(counts, force=True)
        if self.down:
            files, items = self.spool.size()
            logger.warning(
                "MongoDB %s still unreachable at close: %d items in %d batches wait in %s "
                "and are written by the next run",
                self.target,
                items,
                files,
                self.spool.directory,
            )
        self.release()
        return counts

    def release(self) -> None:
        """Give the client back (a shared one: other components use it too), once."""
        if not self._released:
            self._released = True
            release_mongo(self.client)

    # --- connection state -------------------------------------------------------------

    def _prepare(self) -> None:
        if self._prepared:
            return
        hello = self.db.command("hello")
        self._max_bson = int(hello.get("maxBsonObjectSize", DEFAULT_MAX_BSON))
        ensure_indexes(self.db)
        self._prepared = True

    def _scrub(self, exc: BaseException) -> str:
        """An error message fit for logs: first line, bounded, no password in it."""
        lines = str(exc).splitlines() or [""]
        return scrub(lines[0][:300], self._secrets)

    def _enter_outage(self, exc: BaseException, counts: Counter[str]) -> None:
        self._next_retry = time.monotonic() + self.retry_interval
        if self.down:
            return
        self.down = True
        self._outage = _Outage(time.monotonic())
        counts["outages"] += 1
        # Once per outage; the batches spooled meanwhile are counted, not logged.
        logger.warning(
            "MongoDB %s unreachable (%s: %s); batches go to the spool %s until it answers "
            "(tried every %.0fs)",
            self.target,
            type(exc).__name__,
            self._scrub(exc),
            self.spool.directory,
            self.retry_interval,
        )

    def _recover(self, counts: Counter[str], *, force: bool = False) -> bool:
        """While down: ping when a retry is due; on an answer, replay the spool."""
        if not force and time.monotonic() < self._next_retry:
            return False
        try:
            self.client.admin.command("ping")
            self._prepare()
        except CONNECTION_ERRORS:
            self._next_retry = time.monotonic() + self.retry_interval
            return False
        outage = self._outage or _Outage(time.monotonic())
        self.down, self._outage = False, None
        logger.warning(
            "MongoDB %s answers again after %.1fs; %d items in %d batches were spooled "
            "meanwhile, replaying them",
            self.target,
            time.monotonic() - outage.started,
            outage.items,
            outage.batches,
        )
        return self._replay(counts)

    # --- spool --------------------------------------------------------------------------

    def _spool(
        self, docs: list[dict[str, Any]], counts: Counter[str], collection: str = OPINIONS
    ) -> None:
        if not docs:
            return
        try:
            self.spool.append(docs, collection)
        except OSError as exc:
            counts["lost_items"] += len(docs)
            logger.error("could not spool %d items to %s: %s", len(docs), self.spool.directory, exc)
            return
        counts["spooled_items"] += len(docs)
        counts["spooled_batches"] += 1
        _count_sources(docs, set(), counts, "spooled")
        if self._outage is not None:
            self._outage.items += len(docs)
            self._outage.batches += 1

    def _replay(self, counts: Counter[str]) -> bool:
        """Write the spooled batches oldest first; False when the server went away again."""
        files = self.spool.pending()
        if not files:
            return True
        logger.info("replaying %d spooled batches from %s", len(files), self.spool.directory)
        try:
            for path in files:
                self._replay_file(path, counts)
        except CONNECTION_ERRORS as exc:
            self._enter_outage(exc, counts)
            return False
        except PyMongoError as exc:
            # The server answers but refuses (e.g. not authorised): the files stay for
            # the next open or recovery; new batches are tried, and spooled if refused.
            counts["batch_errors"] += 1
            logger.error(
                "MongoDB %s refused the spool replay (%s: %s); %s is kept",
                self.target,
                type(exc).__name__,
                self._scrub(exc),
                self.spool.directory,
            )
        return True

    def _replay_file(self, path: Path, counts: Counter[str]) -> None:
        with self.spool.claim(path) as docs:
            if docs is None:
                return
            rejected: set[str] = set()
            self._store(docs, counts, rejected, self.spool.collection_of(path))
            _count_sources(docs, rejected, counts, "stored")
            # Removed only once written: a crash before this line replays it again,
            # which the idempotent upserts make harmless.
            path.unlink(missing_ok=True)
        counts["spool_replayed_items"] += len(docs)
        counts["spool_replayed_batches"] += 1

    # --- storing ------------------------------------------------------------------------

    def _screen(self, docs: list[dict[str, Any]], counts: Counter[str]) -> list[dict[str, Any]]:
        """Refuse, before sending anything, what BSON cannot hold, so that one bad
        document never fails the bulk (or the spool) of the others."""
        kept = []
        for doc in docs:
            try:
                size = len(bson.encode(doc))
            except (InvalidDocument, TypeError, OverflowError) as exc:
                self._reject(doc, "InvalidDocument", str(exc), counts, set())
                continue
            if size > self._max_bson:
                message = f"document of {size} bytes exceeds the {self._max_bson} byte limit"
                self._reject(doc, "DocumentTooLarge", message, counts, set())
                continue
            kept.append(doc)
        return kept

    def _store_or_spool(
        self, docs: list[dict[str, Any]], counts: Counter[str], collection: str
    ) -> None:
        rejected: set[str] = set()
        try:
            self._store(docs, counts, rejected, collection)
            _count_sources(docs, rejected, counts, "stored")
        except CONNECTION_ERRORS as exc:
            self._enter_outage(exc, counts)
            self._spool([d for d in docs if d["_id"] not in rejected], counts, collection)
        except PyMongoError as exc:
            # Not the server's absence and not one document (e.g. not authorised):
            # keep the batch on disk; the next open or recovery replays it.
            counts["batch_errors"] += 1
            logger.error(
                "MongoDB %s refused a batch of %d (%s: %s); spooled for a later run",
                self.target,
                len(docs),
                type(exc).__name__,
                self._scrub(exc),
            )
            self._spool([d for d in docs if d["_id"] not in rejected], counts, collection)

    def _store(
        self,
        docs: list[dict[str, Any]],
        counts: Counter[str],
        rejected: set[str],
        collection: str = OPINIONS,
    ) -> None:
        store = self._store_comments if collection == COMMENTS else self._store_round
        for round_docs in _rounds(docs):
            store(round_docs, counts, rejected)

    def _store_comments(
        self, docs: list[dict[str, Any]], counts: Counter[str], rejected: set[str]
    ) -> None:
        states = stored_states(self.db[COMMENTS], [d["_id"] for d in docs])
        ops = comment_operations(docs, states)
        if ops.updates:
            by_id = {doc["_id"]: doc for doc in docs}
            subjects = [by_id[i] for i in ops.ids]
            result = self._bulk(COMMENTS, ops.updates, subjects, counts, rejected)
            counts["comments/inserted"] += result.get("nUpserted", 0)
            counts["comments/updated"] += result.get("nModified", 0)
            counts["comments/unchanged"] += result.get("nMatched", 0) - result.get("nModified", 0)
        counts["comments/stale_not_overwriting"] += len(ops.stale)
        counts["comments/newer_schema_not_overwriting"] += len(ops.newer_schema)
        self._comment_sentiment(
            {doc["opinion_id"] for doc in docs if doc.get("opinion_id")}, counts
        )

    def _comment_sentiment(self, parents: set[str], counts: Counter[str]) -> None:
        """Recompute `comment_sentiment` of the items whose comments this batch wrote:
        one aggregation and one bulk per batch, whatever the number of comments, and
        exact after a replay (a recount, not an increment)."""
        if not parents:
            return
        rows = self.db[COMMENTS].aggregate(comment_sentiment_pipeline(parents))
        leans = comment_sentiment(rows)
        if not leans:
            return
        ops = comment_sentiment_updates(leans)
        subjects = [{"_id": opinion} for opinion in sorted(leans)]
        result = self._bulk(OPINIONS, ops, subjects, counts, set())
        counts["comment_sentiment/updated"] += result.get("nModified", 0)
        # Comments that reached the writer before their item: its lean is set by the
        # item's next comment batch.
        counts["comment_sentiment/item_not_stored"] += len(ops) - result.get("nMatched", 0)

    def _store_round(
        self,
        docs: list[dict[str, Any]],
        counts: Counter[str],
        rejected: set[str],
        *,
        inserts: bool = True,
    ) -> None:
        states = stored_states(self.db[OPINIONS], [d["_id"] for d in docs])
        ops = upsert_operations(docs, states, every_point=self.every_point, inserts=inserts)
        by_id = {doc["_id"]: doc for doc in docs}
        if ops.opinions:
            subjects = [by_id[i] for i in ops.opinion_ids]
            raced: list[str] = []
            result = self._bulk(OPINIONS, ops.opinions, subjects, counts, rejected, raced)
            counts["inserted"] += result.get("nUpserted", 0) + result.get("nInserted", 0)
            counts["updated"] += result.get("nModified", 0)
            counts["unchanged"] += result.get("nMatched", 0) - result.get("nModified", 0)
            if raced:
                # Stored by another writer between the lookup and the insert: written
                # again on top of what it stored, by the usual rules, as upserts.
                counts["insert_raced"] += len(raced)
                self._store_round([by_id[i] for i in raced], counts, rejected, inserts=False)
        corrections = membership_corrections(by_id[i] for i in ops.opinion_ids)
        if corrections:
            # After the upserts, in a bulk of their own: an unordered bulk has no order,
            # and a member in this very batch must be corrected too.
            updates = [update for update, _ in corrections]
            subjects = [dict(doc) for _, doc in corrections]
            result = self._bulk(OPINIONS, updates, subjects, counts, rejected)
            counts["first_publisher_fixed"] += result.get("nModified", 0)
        counts["partial_not_overwriting"] += len(ops.metrics_only)
        counts["stale_not_overwriting"] += len(ops.stale)
        counts["newer_schema_not_overwriting"] += len(ops.newer_schema)
        # A refused opinion takes its metrics point along: no series without its item.
        pairs = [
            (op, point)
            for op, point in zip(ops.metrics, ops.points, strict=True)
            if point["opinion_id"] not in rejected
        ]
        if pairs:
            result = self._bulk(
                OPINION_METRICS, [p[0] for p in pairs], [p[1] for p in pairs], counts, rejected
            )
            counts["metrics_points"] += result.get("nUpserted", 0)
            counts["metrics_points_unchanged"] += result.get("nMatched", 0)

    def _bulk(
        self,
        collection: str,
        ops: Sequence[UpdateOne | UpdateMany | InsertOne[dict[str, Any]]],
        subjects: list[dict[str, Any]],
        counts: Counter[str],
        rejected: set[str],
        raced: list[str] | None = None,
    ) -> Mapping[str, Any]:
        """An unordered bulk; documents it refuses for good are set aside one by one.
        An insert that collides on `_id` is no refusal: its id goes to `raced`."""
        try:
            return self.db[collection].bulk_write(ops, ordered=False).bulk_api_result
        except BulkWriteError as exc:
            details = exc.details
        errors = details.get("writeErrors", [])
        if any(error.get("code") in TRANSIENT_CODES for error in errors):
            # Re-sent whole from the spool; what did get written is matched, not doubled.
            raise AutoReconnect(f"transient write errors on {collection}") from None
        for error in errors:
            doc = subjects[error["index"]]
            if (
                raced is not None
                and error.get("code") == DUPLICATE_KEY
                and error.get("keyPattern") == {"_id": 1}
                and isinstance(ops[error["index"]], InsertOne)
            ):
                raced.append(doc["_id"])
                continue
            # A refused metrics point stands for its opinion; anything else for itself.
            key = doc["opinion_id"] if collection == OPINION_METRICS else doc["_id"]
            code, message = error.get("code", "?"), error.get("errmsg", "")
            self._reject(doc, code, message, counts, rejected, key=key)
        if details.get("writeConcernErrors"):
            counts["write_concern_errors"] += len(details["writeConcernErrors"])
            logger.warning("MongoDB %s: write concern not met on %s", self.target, collection)
        return details

    def _reject(
        self,
        doc: dict[str, Any],
        code: int | str,
        message: str,
        counts: Counter[str],
        rejected: set[str],
        *,
        key: str | None = None,
    ) -> None:
        message = message[:300]
        rejected.add(key or doc["_id"])
        counts["write_errors"] += 1
        counts[f"write_errors/{code}"] += 1
        counts[f"refused/{doc.get('source') or 'unknown'}"] += 1
        try:
            path = self.spool.reject(doc, code, message)
        except OSError as exc:
            counts["lost_items"] += 1
            logger.error(
                "MongoDB refused %s (code %s: %s); could not keep it: %s",
                doc["_id"],
                code,
                message,
                exc,
            )
            return
        counts["rejected_items"] += 1
        logger.error(
            "MongoDB refused %s (code %s: %s); kept in %s", doc["_id"], code, message, path
        )


def open_writer(
    uri: str,
    database: str,
    spool_dir: Path | str,
    *,
    retry_interval: float,
    options: MongoOptions | None = None,
    every_point: bool = False,
) -> Writer:
    """A writer of `uri` (blocking: run it off the reactor). UnusableURI, redacted,
    when pymongo refuses the URI; an unreachable server is found at `Writer.open`."""
    client = shared_mongo_client(uri, options)
    return Writer(
        client,
        database,
        Spool(spool_dir),
        retry_interval=retry_interval,
        target=redact_uri(uri),
        secrets=uri_secrets(uri),
        every_point=every_point,
    )


def write_grouped(writer: Writer, docs: list[tuple[str, dict[str, Any]]]) -> Counter[str]:
    """One flush of (collection, document) pairs: a batch per collection, opinions
    first (an item's comment lean is set on the stored item). Nothing to write still
    gives a down server its retry."""
    groups: dict[str, list[dict[str, Any]]] = {OPINIONS: []}
    for collection, doc in docs:
        groups.setdefault(collection, []).append(doc)
    counts: Counter[str] = Counter()
    for collection, batch in groups.items():
        if batch or collection == OPINIONS:
            counts.update(writer.write(batch, collection))
    return counts
