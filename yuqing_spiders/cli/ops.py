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

import typer

from yuqing_spiders.cli.app import SetOpt, app, console, overrides, project_settings

if TYPE_CHECKING:
    import redis
    from pymongo.database import Database
    from rich.table import Table
    from scrapy.settings import Settings

    from yuqing_spiders.ops.health import HealthChecker

logger = logging.getLogger("yuqing.ops")


def _settings(set_: list[str] | None) -> Settings:
    settings = project_settings("distributed")
    for name, value in overrides(set_).items():
        settings.set(name, value, priority="cmdline")
    return settings


def _redis(settings: Settings) -> redis.Redis:
    from yuqing_spiders.store.connections import redis_from_settings

    url = _redis_url(settings)
    if not url:
        raise typer.BadParameter("set REDIS_URL to the Redis server the workers use")
    return redis_from_settings(settings, url=url)


def _mongo(settings: Settings) -> Database | None:
    from yuqing_spiders.store.connections import mongo_from_settings

    uri = os.environ.get("MONGO_URI") or settings.get("MONGO_URI")
    if not uri:
        return None
    client = mongo_from_settings(settings, uri=uri, appname="yuqing-ops")
    return client[settings.get("MONGO_DATABASE") or "yuqing"]


def _checker(settings: Settings, client: redis.Redis, db: Database | None) -> HealthChecker:
    from yuqing_spiders.model.sources import load_sources
    from yuqing_spiders.ops.alerting import load_alerting
    from yuqing_spiders.ops.health import HealthChecker, HealthConfig
    from yuqing_spiders.ops.keys import OpsKeys

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
    from yuqing_spiders.ops.runtime import ONCE

    logging.basicConfig(
        level=settings.get("LOG_LEVEL") or "INFO",
        format="%(asctime)s [%(name)s] %(levelname)s: %(message)s",
        stream=sys.stderr,
    )
    ONCE.attach()  # a warning repeated every tick is said once


class _PeriodicHealth:
    """Runs the health check after a tick when YUQING_HEALTH_INTERVAL has passed."""

    def __init__(self, checker: HealthChecker, interval: float) -> None:
        self.checker = checker
        self.interval = interval
        self.last: float | None = None

    def __call__(self) -> None:
        import pymongo

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
    """Seed each source on its schedule and tracked items for metrics refresh.

    Runs until stopped (SIGTERM or Ctrl-C); reads the schedules from sources.yaml.
    Run one per node for availability: two schedulers seed each tick once (a lock
    per source and tick). Needs REDIS_URL.
    """
    from yuqing_spiders.model.sources import load_sources
    from yuqing_spiders.ops.keys import OpsKeys
    from yuqing_spiders.ops.scheduling import Scheduler
    from yuqing_spiders.store.connections import redact_uri

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
# Tables are drawn for 80 columns: long cells (spider lists, coverage) are summed up in
# words, and `--json` carries every detail (docs/operations.md, "status --json").


def _when(epoch: float | None, now: float, *, short: bool = False) -> str:
    """Relative ("12s ago", "in 4.0m"; short: "12s", "+4.0m"); `--json` has the epochs."""
    if not epoch:
        return "-"
    age = now - epoch
    if short:
        return _span(age) if age >= 0 else f"+{_span(-age)}"
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


def _table(title: str, *columns: str, right: tuple[str, ...] = ()) -> Table:
    from rich import box
    from rich.table import Table

    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False)
    for column in columns:
        table.add_column(column, justify="right" if column in right else "left")
    return table


def _spiders_text(spiders: list[str]) -> str:
    return ", ".join(spiders) if len(spiders) <= 3 else f"{len(spiders)} spiders"


def _workers_table(report: dict[str, Any], now: float) -> Table:
    numbers = ("pages", "items", "stored", "errors")
    table = _table(
        f"live workers ({len(report['workers'])})",
        "worker",
        "runs",
        "up",
        "beat",
        *numbers,
        right=numbers,
    )
    for w in report["workers"]:
        table.add_row(
            f"{w['host']}:{w['pid']}",
            _spiders_text(w["spiders"]) if w["spiders"] else "-",
            _span(now - w["started_at"]) if w["started_at"] else "-",
            _when(w["last_beat"], now),
            *(str(w[f]) for f in numbers),
        )
    return table


def _schedulers_table(report: dict[str, Any], now: float) -> Table:
    table = _table(
        f"schedulers ({len(report['schedulers'])})",
        "scheduler",
        "last tick",
        "ticks",
        "seeded",
        "refresh seeds",
        right=("ticks", "seeded", "refresh seeds"),
    )
    for s in report["schedulers"]:
        table.add_row(
            f"{s['host']}:{s['pid']}",
            _when(s["last_tick"], now),
            str(s["ticks"]),
            str(s["seeded_ticks"]),
            str(s["refresh_seeds"]),
        )
    return table


def _queues_table(queues: dict[str, Any]) -> Table:
    from yuqing_spiders.ops.status import queued

    numbers = ("seeds", "pending", "leased", "dead")
    busy = {spider: entry for spider, entry in queues.items() if queued(entry)}
    table = _table("request queues", "spider", *numbers, right=numbers)
    for spider, entry in busy.items():
        table.add_row(spider, *(str(entry.get(n, 0)) for n in numbers))
    idle = len(queues) - len(busy)
    if idle:
        table.caption = f"{idle} of {len(queues)} spiders have empty queues"
        table.caption_justify = "left"
    return table


def _sources_table(sources: dict[str, Any], summary: dict[str, Any] | None, now: float) -> Table:
    from rich import box
    from rich.table import Table

    per_source = (summary or {}).get("sources", {})
    table = Table(title="sources", box=box.SIMPLE_HEAD, title_justify="left", pad_edge=False)
    # Keys and cron expressions are never cut or wrapped; the note takes what is left.
    widest = max([6, *(len(k) for k in sources)])
    table.add_column("source", no_wrap=True, min_width=widest)
    table.add_column("schedule", no_wrap=True, min_width=12)
    table.add_column("next", no_wrap=True)
    table.add_column("last ok", no_wrap=True)
    table.add_column("items", justify="right", no_wrap=True)
    table.add_column("failed", justify="right", no_wrap=True)
    table.add_column("note", no_wrap=True)
    notes = []
    for key, s in sources.items():
        done = per_source.get(key, {})
        note = _source_note(s, done)
        table.add_row(
            key,
            str(s["schedule"] or "-"),
            _when(s["next_due"], now, short=True),
            _when(s["last_success"], now, short=True),
            str(done.get("items", "-")),
            str(done.get("failed", "-")),
            note.split(" ", 1)[0] if note else "",
        )
        if note:
            notes.append(f"{key}: {note}")
    # The reasons go under the table, one line each: a narrow column would cut them.
    caption = ["items, failed: the last 24 hours (crawl_stats)"] if summary is not None else []
    table.caption = "\n".join(caption + notes) or None
    table.caption_justify = "left"
    return table


def _bans_table(bans: dict[str, dict[str, int]]) -> Table:
    """The ban middleware's verdicts per source (the sources table shows the blocks the
    spiders saw; these are the walls the middleware retried elsewhere or gave up on)."""
    columns = ("ban", "captcha", "login", "retried", "gave_up")
    table = _table("bans, last 24 hours (ban middleware)", "source", *columns, right=columns)
    for key, counts in sorted(bans.items()):
        table.add_row(key, *(str(counts.get(c, 0)) for c in columns))
    return table


def _source_note(status: dict[str, Any], done: dict[str, Any]) -> str:
    paused = status.get("paused")
    if paused:
        return f"paused until {_clock(paused['until'])} ({paused['reason']})"
    cause = done.get("cause")
    return f"failing: {cause}" if cause else ""


def _clock(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%H:%M UTC")


def _coverage_table(sources: dict[str, Any], now: float) -> Table:
    """Latest crawl_stats period with items, per source: the fields not always filled
    (a list that fits 80 columns, not one column per field)."""
    table = _table(
        "field coverage, latest period with items",
        "source",
        "ended",
        "items",
        "fields below 100 %",
        right=("items",),
    )
    for key, s in sources.items():
        period = s.get("latest")
        if not period:
            continue
        ended = period["period_end"]
        gaps = sorted((r, f) for f, r in period["coverage"].items() if r < 1.0)
        text = ", ".join(f"{f} {r:.0%}" for r, f in gaps) or "all filled"
        comments = period.get("comment_coverage") or {}
        comment_gaps = sorted((r, f) for f, r in comments.items() if r < 1.0)
        if comment_gaps:
            text += "; comments: " + ", ".join(f"{f} {r:.0%}" for r, f in comment_gaps)
        table.add_row(
            key,
            _when(ended.timestamp() if isinstance(ended, datetime) else None, now),
            str(period["items"]),
            text,
        )
    return table


def _problems_table(problems: list[dict[str, Any]]) -> Table:
    table = _table(f"crawl health: {len(problems)} problem(s)", "kind", "subject", "problem")
    for p in problems:
        table.add_row(p["kind"], p["subject"], p["message"])
    return table


def _print_report(report: dict[str, Any], outcome: Any, check: bool) -> None:
    import shutil

    from rich.console import Console

    from yuqing_spiders.ops.summary import outcome_table

    width = min(shutil.get_terminal_size((80, 24)).columns, 100)
    out = Console(width=width)
    now = report["generated_at"]
    # An empty table is one line of words, not a header over nothing.
    if report["workers"]:
        out.print(_workers_table(report, now))
    else:
        out.print("live workers: none")
    if report["schedulers"]:
        out.print(_schedulers_table(report, now))
    else:
        out.print("schedulers: none")
    from yuqing_spiders.ops.status import queued

    if any(queued(entry) for entry in report["queues"].values()):
        out.print(_queues_table(report["queues"]))
    else:
        out.print(f"request queues: all {len(report['queues'])} empty")
    out.print(_sources_table(report["sources"], report.get("summary"), now))
    if report.get("bans"):
        out.print(_bans_table(report["bans"]))
    if any(s.get("latest") for s in report["sources"].values()):
        out.print(_coverage_table(report["sources"], now))
    if check:
        if report["problems"]:
            out.print(_problems_table(report["problems"]))
        else:
            out.print("crawl health: no problems")
        if outcome is not None:
            title = "last 24 hours, per source"
            out.print(outcome_table(outcome, title=title, max_rows=40, width=width))
            out.print(outcome.verdict(), highlight=False)


@app.command()
def status(
    as_json: Annotated[
        bool,
        typer.Option("--json", help="Print JSON for other systems (docs/operations.md)."),
    ] = False,
    check: Annotated[
        bool,
        typer.Option(help="Check crawl health, raise alerts for new problems; exit 1 if any."),
    ] = False,
    set_: SetOpt = None,
) -> None:
    """Workers, queues, and each source's schedule, last success, pause and coverage.

    Needs REDIS_URL (MONGO_URI for the counts of crawl_stats). With --check, also the
    per-source summary of the last 24 hours that `yuqing run` prints at its end, and
    exit 1 when there are health problems or that summary failed.
    """
    import pymongo
    import redis

    from yuqing_spiders.model.sources import load_sources
    from yuqing_spiders.ops.keys import OpsKeys
    from yuqing_spiders.ops.status import QueueKeys, collect
    from yuqing_spiders.store.connections import redact_uri

    settings = _settings(set_)
    client = _redis(settings)
    db = _mongo(settings)
    sources = load_sources(settings["YUQING_SOURCES_FILE"])
    queue_keys = QueueKeys(
        requests=settings["SCHEDULER_QUEUE_KEY"],
        seeds=settings["YUQING_SEED_KEY"],
        dupefilter=settings["SCHEDULER_DUPEFILTER_KEY"],
    )
    pause_templates = (settings["BLOCK_BACKOFF_KEY"], settings.get("SEARCH_COOLDOWN_KEY"))
    try:
        report = collect(
            client,
            db,
            sources,
            keys=OpsKeys(settings["YUQING_OPS_PREFIX"]),
            queue_keys=queue_keys,
            pause_templates=pause_templates,
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
    outcome = report.pop("_outcome", None)
    report["generated_at_iso"] = datetime.fromtimestamp(report["generated_at"], UTC).isoformat()
    if as_json:
        print(json.dumps(report, ensure_ascii=False, indent=2, default=_json_default))
    else:
        _print_report(report, outcome, check)
    failed = outcome is not None and outcome.exit_code() != 0
    if check and (report["problems"] or failed):
        raise typer.Exit(1)
