"""Alerts decided while MongoDB is away wait on disk, and are raised once when it returns.

An alert is stored before it is sent (the stored `_id` is what keeps it to one), so
with the server away it can be neither deduplicated nor sent. Instead of dropping it,
the batch is written to the alert spool, a directory of the same atomic JSON-lines
files the item writer uses (yuqing_spiders.store.spool), and replayed oldest first
through `raise_alerts` when MongoDB answers: an alert already raised meanwhile (by a
later item, another worker, an earlier replay stopped half-way) is a duplicate of its
`_id` and is not sent again.
"""

from __future__ import annotations

import logging
import uuid
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from yuqing_spiders.store.spool import Spool

if TYPE_CHECKING:
    from pymongo.database import Database

    from yuqing_spiders.ops.alerting.config import AlertingConfig

logger = logging.getLogger(__name__)

SPOOLED = "alerts"  # the collection named in the spool files


@dataclass(frozen=True)
class Alert:
    """One alert decision: a subject (`key`) at a level, and what receivers are told.
    `decision` tells this decision's own stored copy from another process's."""

    key: str
    level: str
    payload: Mapping[str, Any]
    kind: str = "opinion"
    decided_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    decision: str = field(default_factory=lambda: uuid.uuid4().hex)

    def to_record(self) -> dict[str, Any]:
        return {
            "_id": self.decision,
            "key": self.key,
            "level": self.level,
            "payload": dict(self.payload),
            "kind": self.kind,
            "decided_at": self.decided_at,
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Alert:
        return cls(
            key=record["key"],
            level=record["level"],
            payload=record.get("payload") or {},
            kind=record.get("kind") or "opinion",
            decided_at=record["decided_at"],
            decision=record["_id"],
        )


class AlertSpool:
    """Alert batches on disk until MongoDB takes them (one file per batch)."""

    def __init__(self, directory: Path | str) -> None:
        self.spool = Spool(directory)

    @property
    def directory(self) -> Path:
        return self.spool.directory

    def put(self, alerts: Sequence[Alert]) -> Path:
        """Write a batch (atomically: the whole file or none). OSError on a full disk."""
        return self.spool.append([a.to_record() for a in alerts], SPOOLED)

    def reject(self, doc: dict[str, Any], code: int | str, message: str) -> Path:
        """Keep an alert document MongoDB refused, with its error (`rejected/`, as the
        item writer keeps refused items). OSError on a full disk."""
        return self.spool.reject(doc, code, message)

    def waiting(self) -> int:
        """Alerts waiting on disk."""
        return self.spool.size()[1]

    def replay(
        self,
        db: Database,
        raise_batch: Callable[..., Sequence[Any]],
        *,
        config: AlertingConfig,
        order: Sequence[str],
    ) -> Counter[str]:
        """Raise every spooled batch, oldest first; a file is removed only once MongoDB
        took every alert of it, and kept (for the next try) when it went away again.
        `raise_batch` is `raise_alerts` (passed in: the store imports this module)."""
        counts: Counter[str] = Counter()
        for path in self.spool.pending():
            with self.spool.claim(path) as records:
                if records is None:
                    continue  # another process replays it
                alerts = [Alert.from_record(r) for r in records]
                outcomes = raise_batch(
                    db, alerts, config=config, order=order, spool=self, replaying=True
                )
                for outcome in outcomes:
                    counts.update(outcome.counts)
                if any(o.status == "store_failed" for o in outcomes):
                    counts["spool_kept"] += len(alerts)
                    break  # still away: keep this file and the later ones
                path.unlink(missing_ok=True)
                counts["spool_replayed"] += len(alerts)
        if counts["spool_replayed"]:
            logger.warning(
                "replayed %d spooled alerts from %s (%d raised, %d already raised)",
                counts["spool_replayed"],
                self.directory,
                counts["raised"],
                counts["duplicate"],
            )
        return counts
