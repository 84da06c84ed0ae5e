"""Every Redis key of the event, heat, tracking and alert stages, from one place.

One prefix (`EVENTS_REDIS_PREFIX`, default `yuqing`) so that tests and a second
deployment on the same server keep apart. The layout is documented in docs/analysis.md.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

# The per-event sets kept beside the event hash.
EVENT_SETS = ("members", "sites", "platforms", "tiers", "bigv", "frontpage")


@dataclass(frozen=True)
class Keys:
    prefix: str = "yuqing"

    def doc(self, opinion_id: str) -> str:
        """Hash of one indexed item: signature, size, event."""
        return f"{self.prefix}:neardup:doc:{opinion_id}"

    def band(self, band: int, bucket: str) -> str:
        """Set of item ids whose MinHash agrees on all rows of `band`."""
        return f"{self.prefix}:neardup:band:{band}:{bucket}"

    def story_fact(self, fact: str) -> str:
        """Sorted set of item ids naming `fact`, scored by publication time (ms)."""
        digest = hashlib.blake2b(fact.encode("utf-8"), digest_size=8).hexdigest()
        return f"{self.prefix}:story:fact:{digest}"

    def event(self, event_id: str) -> str:
        """Hash of one event: first publisher, last activity, totals, heat, level."""
        return f"{self.prefix}:event:{event_id}"

    def event_set(self, event_id: str, kind: str) -> str:
        return f"{self.prefix}:event:{event_id}:{kind}"

    def event_metrics(self, event_id: str) -> str:
        """Hash member id -> "comments,reposts,likes,reads" last seen (for totals)."""
        return f"{self.prefix}:event:{event_id}:metrics"

    def event_series(self, event_id: str) -> str:
        """Sorted set of (time, weighted interactions) points: the event's trend."""
        return f"{self.prefix}:event:{event_id}:series"

    @property
    def track(self) -> str:
        """Sorted set of items to re-fetch (analysis/tracking.py); same name as
        `OpsKeys.track`, which the scheduler reads."""
        return f"{self.prefix}:track"
