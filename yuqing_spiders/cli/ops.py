"""Operations: `yuqing scheduler` seeds on schedules, `yuqing status` shows the crawl."""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any

import pymongo
import redis
import typer
from rich.console import Console
from rich.table import Table

from yuqing_spiders.cli.app import SetOpt, app, console, overrides
from yuqing_spiders.model.sources import load_sources
from yuqing_spiders.ops.alerting import load_alerting
from yuqing_spiders.ops.health import HealthChecker, HealthConfig
from yuqing_spiders.ops.keys import OpsKeys
from yuqing_spiders.ops.runtime import project_settings
from yuqing_spiders.ops.scheduling import Scheduler
from yuqing_spiders.ops.status import QueueKeys, collect
from yuqing_spiders.store.connections import (
    mongo_from_settings,
    redact_uri,
    redis_from_settings,
)

if TYPE_CHECKING:
    from pymongo.database import Database
    from scrapy.settings import Settings

logger = logging.getLogger("yuqing.ops")


def _settings(set_: list[str] | None) -> Settings:
    settings = project_settings("distributed")
    for name, value in overrides(set_).items():
        settings.set(name, value, priority="cmdline")
    return settings


def _redis(settings: Settings) -> redis.Redis:
    url = _redis_url(settings)
    if not url:
        raise typer.BadParameter("set REDIS_URL to the Redis server the workers use")
    return redis_from_settings(settings, url=url)


def _mongo(settings: Settings) -> Database | None:
    uri = os.environ.get("MONGO_URI") or settings.get("MONGO_URI")
    if not uri:
        return None
    client = mongo_from_settings(settings, uri=uri, appname="yuqing-ops")
    return client[settings.get("MONGO_DATABASE") or "yuqing"]


def _checker(settings: Settings, client: redis.Redis, db: Database | None) -> HealthChecker:
    # Health alerts leave through the receivers of content alerts (settings/alerting.yaml).
    alerting = None
    if settings.getbool("ALERTS_ENABLED", True) and settings.get("ALERTS_FILE"):
        alerting = load_alerting(settings["ALERTS_FILE"])
    return HealthChecker(
        client,
        db,
        load_sources(settings["YUQING_SOURCES_FILE"]),
        keys=OpsKeys(settings["YUQING_OPS_PREFIX"]),
        config=HealthConfig.from_settings(settings),
        alerting=alerting,
    )


def _log_to_stderr(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.get("LOG_LEVEL") or "INFO",
        format="%(asctime)s [%(name)s] %(levelname)s: %(message)s",
        stream=sys.stderr,
    )


class _PeriodicHealth:
    """Runs the health check after a tick when YUQING_HEALTH_INTERVAL has passed."""

    def __init__(self, checker: HealthChecker, interval: float) -> None:
        self.checker = checker
        self.interval = interval
        self.last: float | None = None

    def __call__(self) -> None:
        now = time.monotonic()
        if self.last is not None and now - self.last < self.interval:
            return
        self.last = now
        try:
            problems, raised = self.checker.check_and_alert()
        except pymongo.errors.PyMongoError as exc:
            # MongoDB away: the seeding goes on; health is tried again next interval.
            logger.warning("crawl health not checked: MongoDB %s", type(exc).__name__)
            return
        if problems:
            logger.info("crawl health: %d problems, %d new alerts", len(problems), len(raised))


@app.command()
def scheduler(
    once: Annotated[bool, typer.Option(help="One tick, then exit (for cron and tests).")] = False,
    tick: Annotated[float | None, typer.Option(help="Seconds between ticks.")] = None,
    health: Annotated[bool, typer.Option(help="Check crawl health and raise alerts.")] = True,
    set_: SetOpt = None,
) -> None:
    """Seed every source on its cron/interval from sources.yaml, and tracked items for
    metrics refresh; runs until stopped. Run one per node for availability: two
    schedulers seed each tick once (a lock per source and tick). Needs REDIS_URL."""
    settings = _settings(set_)
    _log_to_stderr(settings)
    client = _redis(settings)
    db = _mongo(settings) if health else None
    interval = tick or settings.getfloat("YUQING_SCHEDULER_TICK")
    sched = Scheduler(
        client,
        load_sources(settings["YUQING_SOURCES_FILE"]),
        keys=OpsKeys(settings["YUQING_OPS_PREFIX"]),
        seed_template=settings["YUQING_SEED_KEY"],
        tz=settings["YUQING_DEFAULT_TZ"],
        jitter=settings.getfloat("YUQING_SCHEDULER_JITTER"),
        lock_ttl=settings.getint("YUQING_SCHEDULER_LOCK_TTL"),
        refresh_batch=settings.getint("YUQING_SCHEDULER_REFRESH_BATCH"),
        # Listed as live for three ticks after its last one.
        beat_ttl=max(30, int(3 * interval)),
    )
    after = None
    if health:
        after = _PeriodicHealth(
            _checker(settings, client, db), settings.getfloat("YUQING_HEALTH_INTERVAL")
        )
    target = redact_uri(_redis_url(settings))
    if once:
        ok = sched.run_once(after)
        console.print(f"scheduler tick on {target}: {dict(sorted(sched.stats.items()))}")
        raise typer.Exit(0 if ok else 1)
    stop = {"now": False}

    def _stop(*_: object) -> None:
        stop["now"] = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    console.print(f"scheduler on {target}: {len(sched.schedules)} scheduled sources")
    sched.run(
        interval=interval,
        max_backoff=settings.getfloat("YUQING_SCHEDULER_MAX_BACKOFF"),
        stop=lambda: stop["now"],
        sleep=lambda s: _sleep_until(s, stop),
        after_tick=after,
    )
    console.print("scheduler stopped")


def _redis_url(settings: Settings) -> str:
    return os.environ.get("REDIS_URL") or settings.get("REDIS_URL") or ""


def _sleep_until(seconds: float, stop: dict[str, bool]) -> None:
    """Sleep in short steps so SIGTERM stops the scheduler within a fraction of a second."""
    deadline = time.monotonic() + seconds
    while not stop["now"] and time.monotonic() < deadline:
        time.sleep(min(0.2, max(0.0, deadline - time.monotonic())))


# --- status --------------------------------------------------------------------------------


def _when(epoch: float | None, now: float) -> str:
    """Relative and short ("12s ago", "in 4.0m"); `--json` has the epochs."""
    if not epoch:
        return "-"
    age = now - epoch
    return f"{_span(age)} ago" if age >= 0 else f"in {_span(-age)}"


def _span(seconds: float) -> str:
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds / size:.1f}{unit}"
    return f"{seconds:.0f}s"


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _tables(report: dict[str, Any]) -> list[Table]:
    now = report["generated_at"]
    tables = []
    workers = Table(title=f"live workers ({len(report['workers'])})")
    for column in ("worker", "role", "spiders", "up", "beat"):
        workers.add_column(column)
    for column in ("pages", "items", "stored", "errors"):
        workers.add_column(column, justify="right")
    for w in report["workers"]:
        workers.add_row(
            f"{w['host']}:{w['pid']}",
            w["role"] or "-",
            ", ".join(w["spiders"]) or "-",
            _span(now - w["started_at"]) if w["started_at"] else "-",
            _when(w["last_beat"], now),
            *(str(w[f]) for f in ("pages", "items", "stored", "errors")),
        )
    tables.append(workers)
    scheds = Table(title=f"schedulers ({len(report['schedulers'])})")
    for column in ("scheduler", "last tick", "ticks", "seeded ticks", "refresh seeds"):
        scheds.add_column(column)
    for s in report["schedulers"]:
        scheds.add_row(
            f"{s['host']}:{s['pid']}",
            _when(s["last_tick"], now),
            str(s["ticks"]),
            str(s["seeded_ticks"]),
            str(s["refresh_seeds"]),
        )
    tables.append(scheds)
    queues = Table(title="queues")
    for column in ("spider", "key", "type", "size"):
        queues.add_column(column)
    for spider, entry in report["queues"].items():
        present = [entry[r] for r in ("requests", "seeds", "dupefilter")] + entry["other"]
        present = [info for info in present if info["type"] != "none"]
        for info in present:
            queues.add_row(spider, info["key"], info["type"], _size(info))
        if not present:  # one line, not three, for each idle spider
            queues.add_row(spider, "(no keys)", "-", "0")
    tables.append(queues)
    tables.append(_sources_table(report["sources"], now))
    if any(s.get("latest") for s in report["sources"].values()):
        tables.append(_coverage_table(report["sources"], now))
    return tables


def _size(info: dict[str, Any]) -> str:
    if info["type"] == "none":
        return "0"
    suffix = " bytes" if info["type"] == "string" else ""
    return f"{info['size']}{suffix}" if info["size"] is not None else "?"


def _sources_table(sources: dict[str, Any], now: float) -> Table:
    table = Table(title="sources")
    for column in ("source", "schedule", "next due", "last success", "last list"):
        table.add_column(column)
    for column in ("items 24h", "failed 24h"):
        table.add_column(column, justify="right")
    for key, s in sources.items():
        last_24h = s.get("last_24h") or {}
        table.add_row(
            key,
            str(s["schedule"] or "-"),
            _when(s["next_due"], now),
            _when(s["last_success"], now),
            _when(s["last_fetch"], now),
            str(last_24h.get("items", "-")),
            str(last_24h.get("requests_failed", "-")),
        )
    return table


def _coverage_table(sources: dict[str, Any], now: float) -> Table:
    """Latest crawl_stats period with items, per source: field coverage and errors."""
    latest = {k: s["latest"] for k, s in sources.items() if s.get("latest")}
    fields = sorted({f for period in latest.values() for f in period["coverage"]})
    table = Table(title="field coverage, latest period with items")
    table.add_column("source")
    table.add_column("ended")
    table.add_column("items", justify="right")
    for name in fields:
        table.add_column(name.replace("_", " "), justify="right")
    table.add_column("errors")
    for key, period in latest.items():
        ended = period["period_end"]
        errors = ", ".join(f"{r} {n}" for r, n in sorted(period["errors"].items())) or "-"
        table.add_row(
            key,
            _when(ended.timestamp() if isinstance(ended, datetime) else None, now),
            str(period["items"]),
            *(_percent(period["coverage"].get(name)) for name in fields),
            errors,
        )
    return table


def _percent(ratio: float | None) -> str:
    return "-" if ratio is None else f"{ratio:.0%}"


def _problems_table(problems: list[dict[str, Any]]) -> Table:
    table = Table(title=f"crawl health: {len(problems)} problem(s)")
    table.add_column("kind")
    table.add_column("subject")
    table.add_column("problem")
    for p in problems:
        table.add_row(p["kind"], p["subject"], p["message"])
    return table


@app.command()
def status(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for machines.")] = False,
    check: Annotated[
        bool,
        typer.Option(help="Check crawl health, raise alerts for new problems; exit 1 if any."),
    ] = False,
    set_: SetOpt = None,
) -> None:
    """Live workers and what they run, queues, each source's schedule, last success,
    items, field coverage and errors (needs REDIS_URL; MONGO_URI for crawl_stats)."""
    settings = _settings(set_)
    client = _redis(settings)
    db = _mongo(settings)
    sources = load_sources(settings["YUQING_SOURCES_FILE"])
    queue_keys = QueueKeys(
        requests=settings["SCHEDULER_QUEUE_KEY"],
        seeds=settings["YUQING_SEED_KEY"],
        dupefilter=settings["SCHEDULER_DUPEFILTER_KEY"],
    )
    try:
        report = collect(
            client, db, sources, keys=OpsKeys(settings["YUQING_OPS_PREFIX"]), queue_keys=queue_keys
        )
        if check:
            problems, raised = _checker(settings, client, db).check_and_alert()
            report["problems"] = [p.to_dict() for p in problems]
            report["alerts_raised"] = raised
    except redis.RedisError as exc:
        console.print(f"[red]Redis {redact_uri(_redis_url(settings))}: {type(exc).__name__}[/red]")
        raise typer.Exit(2) from None
    except pymongo.errors.PyMongoError as exc:
        uri = os.environ.get("MONGO_URI") or settings.get("MONGO_URI") or ""
        console.print(f"[red]MongoDB {redact_uri(uri)}: {type(exc).__name__}[/red]")
        raise typer.Exit(2) from None
    finally:
        client.close()
        if db is not None:
            db.client.close()
    report["generated_at_iso"] = datetime.fromtimestamp(report["generated_at"], UTC).isoformat()
    if as_json:
        print(json.dumps(report, ensure_ascii=False, indent=2, default=_json_default))
    else:
        out = Console()
        for table in _tables(report):
            out.print(table)
        if check:
            out.print(_problems_table(report["problems"]))
    if check and report["problems"]:
        raise typer.Exit(1)
