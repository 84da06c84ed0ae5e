"""Crawl health: sources gone silent, fields a layout change emptied, expired cookies.

Run by the scheduler every ``YUQING_HEALTH_INTERVAL`` seconds and by ``yuqing status
--check``. Each problem becomes one alert per problem and day (the alert key holds the
date), sent the way content alerts are sent (`send_alert`), so a repeat check the same
day raises nothing new.

- **silent**: no complete item (``yuqing:source:<s>:last_success``) during the last
  ``silent_ticks`` ticks the scheduler served for the source.
- **coverage drop**: the source's ``crawl_stats`` periods, newest first, are grouped
  into windows of at least ``MIN_ITEMS`` items; a field whose share in the newest
  window is below ``(1 - DROP)`` times its share over the previous ``HISTORY`` windows
  (and was normally at least ``FLOOR``) lost its selector: the page layout changed.
- **cookies expired**: the cookie pool lists expired cookie ids per platform in the
  hash ``yuqing:cookies:<platform>:expired`` (id -> epoch; never the cookie itself).
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from pymongo import DESCENDING

from yuqing_spiders.model.sources import SourceConfig
from yuqing_spiders.ops.alerting import AlertingConfig, raise_alert
from yuqing_spiders.ops.crawl_stats import CRAWL_STATS, mongo_key
from yuqing_spiders.ops.keys import OpsKeys
from yuqing_spiders.ops.scheduling import Schedule, schedule_for

if TYPE_CHECKING:
    import redis
    from pymongo.database import Database
    from scrapy.settings import Settings

logger = logging.getLogger(__name__)

# Receivers without a min_level, or with min_level important, take health alerts.
HEALTH_LEVEL = "important"
# How many of a source's newest crawl_stats periods are read to build windows.
PERIODS_READ = 500


@dataclass(frozen=True)
class HealthConfig:
    silent_ticks: int = 6
    coverage_drop: float = 0.5
    coverage_min_items: int = 20
    coverage_history: int = 5
    coverage_min_windows: int = 2
    coverage_floor: float = 0.3
    tz: str = "Asia/Shanghai"

    @classmethod
    def from_settings(cls, settings: Settings) -> HealthConfig:
        return cls(
            silent_ticks=settings.getint("YUQING_HEALTH_SILENT_TICKS", 6),
            coverage_drop=settings.getfloat("YUQING_HEALTH_COVERAGE_DROP", 0.5),
            coverage_min_items=settings.getint("YUQING_HEALTH_COVERAGE_MIN_ITEMS", 20),
            coverage_history=settings.getint("YUQING_HEALTH_COVERAGE_HISTORY", 5),
            coverage_min_windows=settings.getint("YUQING_HEALTH_COVERAGE_MIN_WINDOWS", 2),
            coverage_floor=settings.getfloat("YUQING_HEALTH_COVERAGE_FLOOR", 0.3),
            tz=settings.get("YUQING_DEFAULT_TZ") or "Asia/Shanghai",
        )


@dataclass(frozen=True)
class Problem:
    kind: str  # source_silent | coverage_drop | cookies_expired
    subject: str  # the source, "<source>/<field>" or the platform
    message: str
    details: dict[str, Any] = field(default_factory=dict)

    def alert_key(self, day: str) -> str:
        return f"crawl_health:{self.kind}:{self.subject}:{day}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "subject": self.subject,
            "message": self.message,
            "details": self.details,
        }


def send_alert(
    db: Database, key: str, level: str, payload: dict[str, Any], config: AlertingConfig
) -> bool:
    """Raise the alert through the channels content alerts use (webhook, WeCom,
    DingTalk, email); True if it is new. The `alerts` document is keyed by `key`
    (the day included), so a repeat the same day sends nothing."""
    outcome = raise_alert(db, key, level, payload, config=config, kind="crawl_health")
    if outcome.status == "raised":
        logger.warning("crawl-health alert %s: %s", key, payload.get("message"))
        return True
    return False


# --- windows of coverage --------------------------------------------------------------


@dataclass
class Window:
    items: int = 0
    count: Counter[str] = field(default_factory=Counter)

    def ratio(self, name: str) -> float:
        return self.count[name] / self.items if self.items else 0.0


def coverage_windows(periods: Iterable[Mapping[str, Any]], min_items: int) -> list[Window]:
    """Consecutive periods (newest first) merged into windows of >= min_items items;
    an unfinished oldest window is left out."""
    windows, current = [], Window()
    for period in periods:
        current.items += int(period.get("items") or 0)
        current.count.update({k: int(v) for k, v in (period.get("count") or {}).items()})
        if current.items >= min_items:
            windows.append(current)
            current = Window()
    return windows


def coverage_problems(source: str, windows: list[Window], config: HealthConfig) -> list[Problem]:
    if len(windows) < 1 + config.coverage_min_windows:
        return []
    latest, history = windows[0], windows[1 : 1 + config.coverage_history]
    baseline = Window()
    for window in history:
        baseline.items += window.items
        baseline.count.update(window.count)
    problems = []
    for name in sorted(baseline.count):
        usual, now = baseline.ratio(name), latest.ratio(name)
        if usual < config.coverage_floor or now >= usual * (1 - config.coverage_drop):
            continue
        problems.append(
            Problem(
                "coverage_drop",
                f"{source}/{name}",
                f"{source}: {name} found in {now:.0%} of the latest {latest.items} items, "
                f"usually {usual:.0%}: the page layout has probably changed",
                {
                    "source": source,
                    "field": name,
                    "latest_ratio": round(now, 4),
                    "latest_items": latest.items,
                    "usual_ratio": round(usual, 4),
                    "usual_items": baseline.items,
                },
            )
        )
    return problems


# --- the checker ------------------------------------------------------------------------


class HealthChecker:
    def __init__(
        self,
        client: redis.Redis,
        db: Database | None,
        sources: Mapping[str, SourceConfig],
        *,
        keys: OpsKeys | None = None,
        config: HealthConfig | None = None,
        alerting: AlertingConfig | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.client = client
        self.db = db
        self.sources = sources
        self.keys = keys or OpsKeys()
        self.config = config or HealthConfig()
        self.alerting = alerting or AlertingConfig()  # no receivers: stored, not sent
        self.clock = clock
        self.stats: Counter[str] = Counter()

    def check(self) -> list[Problem]:
        """Every current problem (Redis and, when given, MongoDB are read)."""
        now = self.clock()
        problems = self.silent_sources(now) + self.expired_cookies()
        if self.db is not None:
            problems += self.coverage_drops()
        for problem in problems:
            self.stats[f"health/problems/{problem.kind}"] += 1
        return problems

    def check_and_alert(self) -> tuple[list[Problem], list[str]]:
        """Check, then send one alert per new problem; returns (problems, new keys)."""
        problems = self.check()
        return problems, self.alert(problems)

    def alert(self, problems: list[Problem]) -> list[str]:
        if self.db is None:
            for problem in problems:
                logger.warning("crawl health: %s (no MongoDB: not alerted)", problem.message)
            return []
        day = datetime.fromtimestamp(self.clock(), UTC).date().isoformat()
        raised = []
        for problem in problems:
            key = problem.alert_key(day)
            payload = {
                "type": "crawl_health",
                "title": f"采集健康 crawl health: {problem.kind} {problem.subject}",
                "source": problem.details.get("source") or problem.subject,
                **problem.to_dict(),
                "detected_at": datetime.fromtimestamp(self.clock(), UTC),
            }
            if send_alert(self.db, key, HEALTH_LEVEL, payload, self.alerting):
                raised.append(key)
                self.stats["health/alerts_raised"] += 1
            else:
                self.stats["health/alerts_repeated"] += 1
        return raised

    # --- silent sources -------------------------------------------------------------------
    def silent_sources(self, now: float) -> list[Problem]:
        problems = []
        for source in self.sources.values():
            try:
                schedule = schedule_for(source, self.config.tz)
            except ValueError:
                continue  # unscheduled sources are the scheduler's warning, not silence
            problem = self._silent(source, schedule)
            if problem:
                problems.append(problem)
        return problems

    def _silent(self, source: SourceConfig, schedule: Schedule) -> Problem | None:
        state = _decoded(self.client.hgetall(self.keys.schedule(source.key)))
        if "last_tick" not in state:
            return None  # never seeded: nothing was expected of it yet
        success = _float(self.client.get(self.keys.last_success(source.key)))
        fetch = _float(self.client.get(self.keys.last_fetch(source.key)))
        # Without any success, count from just before the first tick served.
        since = success if success is not None else float(state.get("first_tick", 0)) - 1
        limit = int(source.options.get("silent_ticks") or self.config.silent_ticks)
        ticks = schedule.ticks_between(since, float(state["last_tick"]), limit)
        if ticks < limit:
            return None
        when = _iso(success) if success else "never"
        fetched = f"list pages last fetched {_iso(fetch)}" if fetch else "no list page fetched"
        return Problem(
            "source_silent",
            source.key,
            f"{source.key} ({source.name}): no complete item in its last {ticks} ticks "
            f"(last success {when}; {fetched})",
            {
                "source": source.key,
                "ticks": ticks,
                "last_success": success,
                "last_fetch": fetch,
            },
        )

    # --- coverage -------------------------------------------------------------------------
    def coverage_drops(self) -> list[Problem]:
        assert self.db is not None
        problems = []
        for source in self.sources:
            field_path = f"coverage.{mongo_key(source)}"
            cursor = (
                self.db[CRAWL_STATS]
                .find({f"{field_path}.items": {"$gt": 0}}, {field_path: 1, "period.end": 1})
                .sort("period.end", DESCENDING)
                .limit(PERIODS_READ)
            )
            periods = [doc["coverage"][mongo_key(source)] for doc in cursor]
            windows = coverage_windows(periods, self.config.coverage_min_items)
            problems += coverage_problems(source, windows, self.config)
        return problems

    # --- cookies --------------------------------------------------------------------------
    def _expired_ids(self, key: str) -> list[str]:
        """Ids in the contract's hash; a set of ids is read as well."""
        kind = _text(self.client.type(key))
        if kind == "hash":
            return [_text(k) for k in self.client.hkeys(key)]
        if kind == "set":
            return [_text(m) for m in self.client.smembers(key)]
        self.stats["health/cookies_unreadable"] += 1
        return []

    def expired_cookies(self) -> list[Problem]:
        problems = []
        for raw_key in sorted(self.client.scan_iter(match=self.keys.cookies_expired_pattern)):
            key = _text(raw_key)
            platform = key[len(self.keys.prefix) + len(":cookies:") : -len(":expired")]
            ids = sorted(self._expired_ids(key))
            if not ids:
                continue
            problems.append(
                Problem(
                    "cookies_expired",
                    platform,
                    f"{platform}: {len(ids)} cookie(s) expired ({', '.join(ids[:5])}"
                    f"{', ...' if len(ids) > 5 else ''}); log in again to renew them",
                    {"platform": platform, "count": len(ids), "ids": ids[:50]},
                )
            )
        return problems


def _text(raw: bytes | str) -> str:
    return raw.decode() if isinstance(raw, bytes) else raw


def _decoded(raw: Mapping[Any, Any]) -> dict[str, str]:
    return {
        (k.decode() if isinstance(k, bytes) else k): (v.decode() if isinstance(v, bytes) else v)
        for k, v in raw.items()
    }


def _float(raw: Any) -> float | None:
    if raw is None:
        return None
    try:
        return float(raw)
    except (TypeError, ValueError):
        return None


def _iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat(timespec="seconds")
