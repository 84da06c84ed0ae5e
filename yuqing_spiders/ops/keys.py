"""Names of the operational Redis keys: live workers, schedules, tracked items, cookies.

One prefix (``YUQING_OPS_PREFIX``, default ``yuqing``) so that tests, or two crawler
installations on one Redis server, never see each other's keys. docs/operations.md
lists every key with its type and who writes it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OpsKeys:
    prefix: str = "yuqing"

    # --- processes: hashes that expire unless refreshed (live = the key exists) ------
    def worker(self, host: str, pid: int) -> str:
        return f"{self.prefix}:workers:{host}:{pid}"

    @property
    def workers_pattern(self) -> str:
        return f"{self.prefix}:workers:*"

    def scheduler(self, host: str, pid: int) -> str:
        return f"{self.prefix}:schedulers:{host}:{pid}"

    @property
    def schedulers_pattern(self) -> str:
        return f"{self.prefix}:schedulers:*"

    # --- sources ------------------------------------------------------------------------
    def last_success(self, source: str) -> str:
        """Epoch of the source's latest complete item (string)."""
        return f"{self.prefix}:source:{source}:last_success"

    def last_fetch(self, source: str) -> str:
        """Epoch of the source's latest list page answered 2xx (string)."""
        return f"{self.prefix}:source:{source}:last_fetch"

    def schedule(self, source: str) -> str:
        """Hash: next_due, last_tick, last_seeded_at, seeds, ticks, first_tick, owner."""
        return f"{self.prefix}:schedule:{source}"

    def schedule_lock(self, source: str, tick: int) -> str:
        return f"{self.prefix}:schedule:lock:{source}:{tick}"

    # --- written by other parts, read here ----------------------------------------------
    @property
    def track(self) -> str:
        """Sorted set of items to re-fetch for metrics: JSON member, due epoch score."""
        return f"{self.prefix}:track"

    def cookies_expired(self, platform: str) -> str:
        """Hash: cookie/account id -> epoch it was found expired (never the cookie)."""
        return f"{self.prefix}:cookies:{platform}:expired"

    @property
    def cookies_expired_pattern(self) -> str:
        return f"{self.prefix}:cookies:*:expired"
