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
from pymongo.errors import DuplicateKeyError, PyMongoError

from yuqing_spiders.ops.alerting.channels import SENDERS, DeliveryError

if TYPE_CHECKING:
    from pymongo.database import Database

    from yuqing_spiders.ops.alerting.config import AlertingConfig, Receiver

logger = logging.getLogger(__name__)

ALERTS = "alerts"
DEFAULT_ORDER = ("general", "important", "urgent")
ALERT_INDEXES = [
    IndexModel([("key", ASCENDING), ("rank", DESCENDING)], name="key_rank"),
    IndexModel([("created_at", DESCENDING)], name="created_at_desc"),
    IndexModel([("status", ASCENDING)], name="status"),
]


@dataclass
class AlertOutcome:
    """What `raise_alert` did. `status`: raised | duplicate | not_higher | store_failed."""

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
) -> AlertOutcome:
    """Store the alert for (`key`, `level`) unless it or a higher one exists, then
    deliver it to every receiver that takes it. Never raises for a receiver's fault."""
    now = now or datetime.now(UTC)
    rank = order.index(level) if level in order else len(order)
    doc_id = alert_id(key, level)
    outcome = AlertOutcome("raised", doc_id)
    try:
        # A higher level already raised: this one is not news. The same level is
        # caught by the insert below (deterministic _id), atomically.
        if db[ALERTS].find_one({"key": key, "rank": {"$gt": rank}}, {"_id": 1}):
            outcome.status = "not_higher"
            outcome.counts["not_higher"] += 1
            return outcome
        db[ALERTS].insert_one(_document(doc_id, key, level, rank, kind, payload, now))
    except DuplicateKeyError:
        outcome.status = "duplicate"
        outcome.counts["duplicate"] += 1
        return outcome
    except PyMongoError as exc:
        # Not recorded means not deduplicated: better to retry later than to risk
        # sending it on every crawl.
        outcome.status = "store_failed"
        outcome.counts["store_failed"] += 1
        logger.error("alert %s not stored (%s); not sent", doc_id, type(exc).__name__)
        return outcome
    outcome.counts["raised"] += 1
    outcome.counts[f"raised/{level}"] += 1
    _deliver_all(db, doc_id, config, order, rank, payload, outcome, sleep)
    return outcome


def _document(
    doc_id: str,
    key: str,
    level: str,
    rank: int,
    kind: str,
    payload: Mapping[str, Any],
    now: datetime,
) -> dict[str, Any]:
    return {
        "_id": doc_id,
        "key": key,
        "kind": kind,
        "level": level,
        "rank": rank,
        "payload": dict(payload),
        "created_at": now,
        "status": "pending",
        "deliveries": [],
    }


def _takes(receiver: Receiver, order: Sequence[str], rank: int, payload: Mapping[str, Any]) -> bool:
    floor = receiver.min_level
    if floor and floor in order and rank < order.index(floor):
        return False
    if receiver.routes:
        return bool(set(receiver.routes) & set(payload.get("routed_to") or ()))
    return True


def _deliver_all(
    db: Database,
    doc_id: str,
    config: AlertingConfig,
    order: Sequence[str],
    rank: int,
    payload: Mapping[str, Any],
    outcome: AlertOutcome,
    sleep: Callable[[float], None],
) -> None:
    alert = db[ALERTS].find_one({"_id": doc_id}) or {"_id": doc_id, "payload": dict(payload)}
    receivers = [r for r in config.receivers if _takes(r, order, rank, payload)]
    results = [_deliver(db, doc_id, r, alert, config, outcome, sleep) for r in receivers]
    if not results:
        status = "no_receivers"
    elif all(results):
        status = "delivered"
    else:
        status = "partial" if any(results) else "failed"
    outcome.delivery = status
    outcome.counts[f"delivery/{status}"] += 1
    try:
        db[ALERTS].update_one({"_id": doc_id}, {"$set": {"status": status}})
    except PyMongoError as exc:
        outcome.counts["log_failed"] += 1
        logger.warning("alert %s: status not recorded (%s)", doc_id, type(exc).__name__)


def _deliver(
    db: Database,
    doc_id: str,
    receiver: Receiver,
    alert: Mapping[str, Any],
    config: AlertingConfig,
    outcome: AlertOutcome,
    sleep: Callable[[float], None],
) -> bool:
    """Up to `retry.attempts` tries with exponential backoff; each logged in the doc."""
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
        _log_attempt(db, doc_id, entry, outcome)
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


def _log_attempt(db: Database, doc_id: str, entry: dict[str, Any], outcome: AlertOutcome) -> None:
    try:
        db[ALERTS].update_one({"_id": doc_id}, {"$push": {"deliveries": entry}})
    except PyMongoError as exc:
        outcome.counts["log_failed"] += 1
        logger.warning("alert %s: delivery attempt not logged (%s)", doc_id, type(exc).__name__)
