"""Raise an alert once per (subject, level) and deliver it, logging every attempt.

`raise_alert(db, key, level, payload, config=...)` is the one entry point: the alert
stage calls it for important items and events, the crawl-health monitor for its own
alerts. The `alerts` document `_id` is `<key>@<level>`, so raising the same alert
twice (a re-crawl, two workers, a retried run) stores and sends it once; an alert at
or below a level already raised for the key is not raised at all, so a subject alerts
again only when its level rises. Blocking (pymongo, HTTP, SMTP): call it from a thread.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from pymongo import ASCENDING, DESCENDING, IndexModel
from pymongo.errors import (
    AutoReconnect,
    BulkWriteError,
    ConnectionFailure,
    NetworkTimeout,
    PyMongoError,
    ServerSelectionTimeoutError,
)

from yuqing_spiders.ops.alerting.channels import SENDERS, DeliveryError
from yuqing_spiders.ops.alerting.spool import Alert, AlertSpool

if TYPE_CHECKING:
    from pymongo.database import Database

    from yuqing_spiders.ops.alerting.config import AlertingConfig, Receiver

logger = logging.getLogger(__name__)

ALERTS = "alerts"
DUPLICATE_KEY = 11000
# MongoDB is away (not: refuses): the alert waits in the spool.
CONNECTION_ERRORS = (ServerSelectionTimeoutError, AutoReconnect, NetworkTimeout, ConnectionFailure)
DEFAULT_ORDER = ("general", "important", "urgent")
ALERT_INDEXES = [
    IndexModel([("key", ASCENDING), ("rank", DESCENDING)], name="key_rank"),
    IndexModel([("created_at", DESCENDING)], name="created_at_desc"),
    IndexModel([("status", ASCENDING)], name="status"),
]


@dataclass
class AlertOutcome:
    """What `raise_alert` did. `status`: raised | duplicate | not_higher | spooled
    (MongoDB away or refusing the batch: on disk until a replay stores it) |
    store_failed (not recorded and no spool; retried on a later item) | rejected
    (MongoDB refused this one document, e.g. a collection validator: kept with its
    error in the spool's `rejected/`, not retried) | refused (the same without a
    spool: only logged) | lost (neither stored nor spooled: no disk)."""

    status: str
    alert_id: str
    delivery: str | None = None  # delivered | partial | failed | no_receivers
    counts: Counter[str] = field(default_factory=Counter)


def alert_id(key: str, level: str) -> str:
    return f"{key}@{level}"


def ensure_alert_indexes(db: Database) -> None:
    db[ALERTS].create_indexes(ALERT_INDEXES)


def raise_alert(
    db: Database,
    key: str,
    level: str,
    payload: Mapping[str, Any],
    *,
    config: AlertingConfig,
    order: Sequence[str] = DEFAULT_ORDER,
    kind: str = "opinion",
    now: datetime | None = None,
    sleep: Callable[[float], None] = time.sleep,
    spool: AlertSpool | None = None,
) -> AlertOutcome:
    """Store the alert for (`key`, `level`) unless it or a higher one exists, then
    deliver it to every receiver that takes it. Never raises for a receiver's fault."""
    alert = Alert(key, level, dict(payload), kind, now or datetime.now(UTC))
    (outcome,) = raise_alerts(db, [alert], config=config, order=order, sleep=sleep, spool=spool)
    return outcome


def raise_alerts(
    db: Database,
    alerts: Sequence[Alert],
    *,
    config: AlertingConfig,
    order: Sequence[str] = DEFAULT_ORDER,
    sleep: Callable[[float], None] = time.sleep,
    spool: AlertSpool | None = None,
    replaying: bool = False,
) -> list[AlertOutcome]:
    """`raise_alert` for a batch, in two storage operations whatever its size (one
    read of the keys' levels, one unordered insert) plus one update per alert a
    receiver takes. With MongoDB away, or refusing the whole batch (not authorised, a
    bad database name), the batch goes to `spool` (status `spooled`) and is raised,
    once, when the spool is replayed; without a spool it is `store_failed`. A document
    MongoDB refuses alone costs only its alert (`rejected`, kept in `spool`).
    `replaying` (the spool's own replay, `spool` the replayed one): a batch that fails
    again is not spooled twice (the replay keeps its file); an alert this very decision
    stored before the server went away, but never delivered, is delivered now."""
    outcomes = [AlertOutcome("raised", alert_id(a.key, a.level)) for a in alerts]
    # Stored as finished at once when no receiver takes them: no second operation.
    quiet = {i for i, a in enumerate(alerts) if not _receivers_of(config, order, a)}
    spool_to = None if replaying else spool
    try:
        fresh = _store_new(db, alerts, order, outcomes, replaying, quiet, spool)
    except CONNECTION_ERRORS as exc:
        return _store_failed(alerts, outcomes, exc, spool_to, replaying)
    except PyMongoError as exc:
        # The server answers but refuses the batch: as the item writer does, keep it on
        # disk (an alert only retried "on a later item" is lost when none comes).
        logger.error(
            "MongoDB refused a batch of %d alerts (%s%s)",
            len(alerts),
            type(exc).__name__,
            _code(exc),
        )
        return _store_failed(alerts, outcomes, exc, spool_to, replaying)
    for index in fresh:
        alert, outcome = alerts[index], outcomes[index]
        outcome.counts["raised"] += 1
        outcome.counts[f"raised/{alert.level}"] += 1
        if index in quiet and outcome.counts["duplicate"] == 0:
            outcome.delivery = "no_receivers"
            outcome.counts["delivery/no_receivers"] += 1
            continue
        _deliver_all(db, alert, config, order, outcome, sleep)
    return outcomes


def _receivers_of(config: AlertingConfig, order: Sequence[str], alert: Alert) -> list[Receiver]:
    rank = _rank(order, alert.level)
    return [r for r in config.receivers if _takes(r, order, rank, alert.payload)]


def _store_new(
    db: Database,
    alerts: Sequence[Alert],
    order: Sequence[str],
    outcomes: list[AlertOutcome],
    replaying: bool,
    quiet: set[int],
    spool: AlertSpool | None,
) -> list[int]:
    """Insert the alerts that are news; the indexes of those this call must deliver."""
    if not alerts:
        return []
    keys = sorted({a.key for a in alerts})
    top: dict[str, int] = {}
    stored: dict[str, Mapping[str, Any]] = {}
    # A higher level already raised: this one is not news. The same level is caught
    # by the insert below (deterministic _id), atomically.
    for doc in db[ALERTS].find({"key": {"$in": keys}}, {"key": 1, "rank": 1, "decision": 1}):
        top[doc["key"]] = max(top.get(doc["key"], -1), int(doc.get("rank", -1)))
        stored[doc["_id"]] = doc
    docs: dict[int, dict[str, Any]] = {}
    taken: set[str] = set()
    for index, alert in enumerate(alerts):
        rank = _rank(order, alert.level)
        doc_id = outcomes[index].alert_id
        if doc_id in stored or doc_id in taken:
            _mark_duplicate(outcomes[index])
        elif top.get(alert.key, -1) > rank:
            outcomes[index].status = "not_higher"
            outcomes[index].counts["not_higher"] += 1
        else:
            taken.add(doc_id)
            top[alert.key] = max(top.get(alert.key, -1), rank)  # as if raised one by one
            docs[index] = _document(doc_id, alert, rank, index in quiet)
    fresh = list(docs)
    if docs:
        fresh = _insert(db, docs, outcomes, spool)
    if replaying:
        fresh += _undelivered(db, alerts, outcomes, stored)
    return sorted(fresh)


def _insert(
    db: Database,
    docs: dict[int, dict[str, Any]],
    outcomes: list[AlertOutcome],
    spool: AlertSpool | None,
) -> list[int]:
    indexes = list(docs)
    try:
        db[ALERTS].insert_many([docs[i] for i in indexes], ordered=False)
    except BulkWriteError as exc:
        # Unordered: every document but those named here was stored.
        not_stored = set()
        for error in exc.details.get("writeErrors", []):
            index = indexes[error["index"]]
            not_stored.add(index)
            if error.get("code") == DUPLICATE_KEY:
                _mark_duplicate(outcomes[index])  # raised by another process meanwhile
            else:
                _reject(docs[index], error, outcomes[index], spool)
        return [i for i in indexes if i not in not_stored]
    return indexes


def _reject(
    doc: dict[str, Any], error: Mapping[str, Any], outcome: AlertOutcome, spool: AlertSpool | None
) -> None:
    """MongoDB refused this one alert (a validator, a size limit): it would be refused
    again, so it is kept with its error for an operator, and the batch goes on."""
    code = error.get("code", "unknown")
    message = str(error.get("errmsg") or "")[:300]
    outcome.counts["refused"] += 1
    outcome.counts[f"refused/{code}"] += 1
    path = None
    if spool is not None:
        try:
            path = spool.reject(doc, code, message)
        except OSError as exc:
            logger.error("refused alert %s could not be kept (%s)", doc["_id"], exc)
    outcome.status = "rejected" if path else "refused"
    if path:
        outcome.counts["rejected"] += 1
    logger.error(
        "MongoDB refused alert %s (code %s: %s)%s",
        doc["_id"],
        code,
        message,
        f"; kept in {path}" if path else "; not sent",
    )


def _code(exc: PyMongoError) -> str:
    """`: code <n> <name>` of the server's answer, or nothing for an error raised in
    this process; never the message (the server's may quote a URI)."""
    details = getattr(exc, "details", None) or {}
    if "code" not in details:
        return ""
    return f": code {details['code']} {details.get('codeName', '')}".rstrip()


def _undelivered(
    db: Database,
    alerts: Sequence[Alert],
    outcomes: list[AlertOutcome],
    stored: Mapping[str, Mapping[str, Any]],
) -> list[int]:
    """Duplicates this decision itself stored just before the server went away (the
    insert landed, its answer did not): claimed atomically, then delivered."""
    claimed = []
    for index, alert in enumerate(alerts):
        doc = stored.get(outcomes[index].alert_id)
        if doc is None or outcomes[index].status != "duplicate":
            continue
        if doc.get("decision") != alert.decision:
            continue
        result = db[ALERTS].update_one(
            {"_id": doc["_id"], "decision": alert.decision, "status": "delivering"},
            {"$set": {"status": "redelivering"}},
        )
        if result.modified_count:
            outcomes[index].status = "raised"
            del outcomes[index].counts["duplicate"]
            claimed.append(index)
    return claimed


def _mark_duplicate(outcome: AlertOutcome) -> None:
    outcome.status = "duplicate"
    outcome.counts["duplicate"] += 1


def _store_failed(
    alerts: Sequence[Alert],
    outcomes: list[AlertOutcome],
    exc: BaseException,
    spool: AlertSpool | None,
    replaying: bool = False,
) -> list[AlertOutcome]:
    spool_failed = False
    if spool is not None:
        try:
            spool.put(alerts)
        except OSError as error:
            logger.error("%d alerts could not be spooled (%s)", len(alerts), error)
            spool_failed = True
        else:
            for outcome in outcomes:
                outcome.status = "spooled"
                outcome.counts["spooled"] += 1
            logger.warning(
                "%d alerts not stored (%s); spooled, raised when MongoDB answers",
                len(alerts),
                type(exc).__name__,
            )
            return outcomes
    for outcome in outcomes:
        # Not recorded means not deduplicated: better to retry later than to risk
        # sending it on every crawl.
        outcome.status = "lost" if spool_failed else "store_failed"
        outcome.counts["store_failed"] += 1
        if spool_failed:
            outcome.counts["spool_failed"] += 1
    if replaying:
        logger.warning(
            "%d spooled alerts not stored yet (%s); kept in the spool",
            len(alerts),
            type(exc).__name__,
        )
    else:
        logger.error("%d alerts not stored (%s); not sent", len(alerts), type(exc).__name__)
    return outcomes


def _rank(order: Sequence[str], level: str) -> int:
    return order.index(level) if level in order else len(order)


def _document(doc_id: str, alert: Alert, rank: int, quiet: bool) -> dict[str, Any]:
    return {
        "_id": doc_id,
        "key": alert.key,
        "kind": alert.kind,
        "level": alert.level,
        "rank": rank,
        "payload": dict(alert.payload),
        "created_at": alert.decided_at,
        # The process that inserts it delivers it; see `_undelivered` for the one case
        # where the spool's replay takes over.
        "status": "no_receivers" if quiet else "delivering",
        "decision": alert.decision,
        "deliveries": [],
    }


def _takes(receiver: Receiver, order: Sequence[str], rank: int, payload: Mapping[str, Any]) -> bool:
    floor = receiver.min_level
    if floor and floor in order and rank < order.index(floor):
        return False
    if receiver.routes:
        return bool(set(receiver.routes) & set(payload.get("routed_to") or ()))
    return True


def deliver_unrecorded(
    alert: Alert,
    *,
    config: AlertingConfig,
    order: Sequence[str] = DEFAULT_ORDER,
    sleep: Callable[[float], None] = time.sleep,
) -> AlertOutcome:
    """Deliver without storing: for an alert about storage itself (no MongoDB, no disk),
    whose key is unique to the incident, so nothing needs deduplicating."""
    outcome = AlertOutcome("raised", alert_id(alert.key, alert.level))
    outcome.counts["raised_unrecorded"] += 1
    _deliver_all(None, alert, config, order, outcome, sleep)
    return outcome


def _deliver_all(
    db: Database | None,
    alert: Alert,
    config: AlertingConfig,
    order: Sequence[str],
    outcome: AlertOutcome,
    sleep: Callable[[float], None],
) -> None:
    """Deliver to every receiver that takes it; one update records every attempt and
    the final status (none at all when no receiver takes it)."""
    rank = _rank(order, alert.level)
    doc_id = outcome.alert_id
    receivers = _receivers_of(config, order, alert)
    shown: dict[str, Any] = {"_id": doc_id, "key": alert.key, "kind": alert.kind}
    shown["level"] = alert.level
    shown.update(rank=rank, payload=dict(alert.payload), created_at=alert.decided_at)
    attempts: list[dict[str, Any]] = []
    results = [_deliver(doc_id, r, shown, config, outcome, attempts, sleep) for r in receivers]
    if not results:
        status = "no_receivers"
    elif all(results):
        status = "delivered"
    else:
        status = "partial" if any(results) else "failed"
    outcome.delivery = status
    outcome.counts[f"delivery/{status}"] += 1
    update: dict[str, Any] = {"$set": {"status": status}}
    if attempts:
        update["$push"] = {"deliveries": {"$each": attempts}}
    if db is None:
        return
    try:
        db[ALERTS].update_one({"_id": doc_id}, update)
    except PyMongoError as exc:
        outcome.counts["log_failed"] += 1
        logger.warning("alert %s: delivery not recorded (%s)", doc_id, type(exc).__name__)


def _deliver(
    doc_id: str,
    receiver: Receiver,
    alert: Mapping[str, Any],
    config: AlertingConfig,
    outcome: AlertOutcome,
    attempts: list[dict[str, Any]],
    sleep: Callable[[float], None],
) -> bool:
    """Up to `retry.attempts` tries with exponential backoff; each noted in `attempts`."""
    policy = config.retry
    for attempt in range(1, policy.attempts + 1):
        entry: dict[str, Any] = {"channel": receiver.name, "type": receiver.type}
        entry["attempt"] = attempt
        try:
            status = SENDERS[receiver.type](receiver, alert, policy.timeout_seconds)
            entry.update(ok=True, status=status, error=None)
        except DeliveryError as exc:
            entry.update(ok=False, status=exc.status, error=config.scrub(str(exc))[:300])
        entry["at"] = datetime.now(UTC)
        attempts.append(entry)
        outcome.counts[f"attempts/{receiver.type}"] += 1
        if entry["ok"]:
            outcome.counts[f"sent/{receiver.type}"] += 1
            return True
        if attempt < policy.attempts:
            outcome.counts["retries"] += 1
            sleep(policy.delay(attempt))
    outcome.counts[f"failed/{receiver.type}"] += 1
    logger.warning(
        "alert %s: receiver %s failed %d times, last: %s",
        doc_id,
        receiver.name,
        policy.attempts,
        entry["error"],
    )
    return False
