"""Crawl commands: one node (`run`), many nodes (`worker`, `seed`), and services."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from yuqing_spiders.cli.app import (
    DataDirOpt,
    ReplayUrlOpt,
    SetOpt,
    SpiderOpt,
    announce,
    app,
    console,
    data_dir_path,
    overrides,
    project_settings,
    replay_site,
    source_keys,
    spider_names,
    wait_for_signal,
)
from yuqing_spiders.model.outcome import EXIT_OK, ConfigError

if TYPE_CHECKING:
    from scrapy.crawler import Crawler, CrawlerProcess
    from scrapy.settings import BaseSettings, Settings

    from yuqing_spiders.ops.summary import CrawlOutcome

_log = logging.getLogger("yuqing.cli")

FailOnOpt = Annotated[
    float | None,
    typer.Option(
        min=0.0,
        max=1.0,
        help="Exit 1 when at least this share of requests failed (0.2 = 20%), even if "
        "items were stored. Without it, exit 1 only when requests failed and nothing "
        "was stored.",
    ),
]


def _prepare_database(settings: Settings) -> None:
    """All collections and indexes, from one connection, before crawlers open and write
    at once (ops/indexes.py says why)."""
    from yuqing_spiders.ops.indexes import prepare_database
    from yuqing_spiders.store.connections import UnusableURI, mongo_from_settings

    try:
        client = mongo_from_settings(settings, appname="yuqing-prepare")
    except (UnusableURI, ValueError):
        return  # no usable MONGO_URI: the writer says so when it opens
    try:
        prepare_database(client[settings["MONGO_DATABASE"]])
    finally:
        client.close()


def _crawl(
    overlay: str,
    names: list[str],
    replay_url: str | None,
    progress: bool,
    extra: dict[str, Any] | None = None,
) -> tuple[list[Crawler], CrawlOutcome]:
    from yuqing_spiders.ops.progress import ProgressDisplay, crawl_outcome
    from yuqing_spiders.ops.runtime import ONCE, crawl_log_handler
    from yuqing_spiders.store.connections import redis_from_settings, redis_url

    settings = project_settings(overlay, replay_url=replay_url)
    for key, value in (extra or {}).items():
        settings.set(key, value, priority="cmdline")
    if progress:
        log_file = Path(settings["YUQING_DATA_DIR"]) / "logs" / f"{overlay}-{os.getpid()}.log"
        log_file.parent.mkdir(parents=True, exist_ok=True)
        settings.set("LOG_FILE", str(log_file), priority="cmdline")
        console.print(f"[dim]log: {log_file}[/dim]")
    _prepare_database(settings)
    signals_seen: list[int] = []
    process = _process(settings, signals_seen)
    handler = crawl_log_handler(settings)  # each warning once, for every crawler
    logging.root.setLevel(logging.NOTSET)
    logging.root.addHandler(handler)
    crawlers = [process.create_crawler(name) for name in names]
    failures: list[Any] = []
    for crawler in crawlers:
        process.crawl(crawler).addErrback(_start_failed, failures, process)
    client = redis_from_settings(settings) if redis_url(settings) else None
    display = ProgressDisplay(crawlers, console, client) if progress else None
    if display:
        display.start()
    try:
        process.start()
    finally:
        if display:
            display.stop()
    ONCE.report(_log)
    logging.root.removeHandler(handler)
    handler.close()
    for failure in failures:
        if failure.check(ConfigError):
            raise failure.value
    interrupted = signal.SIGINT in signals_seen
    outcome = crawl_outcome(crawlers, client, interrupted=interrupted)
    outcome.fatal.extend(f"{f.type.__name__}: {f.getErrorMessage()}" for f in failures)
    if client is not None:
        client.close()
    return crawlers, outcome


def _process(settings: Settings, signals_seen: list[int]) -> CrawlerProcess:
    """Scrapy's CrawlerProcess, noting the signals that stop it, without Scrapy's own
    root log handler (the caller adds one that keeps its filter for every crawler)."""
    from scrapy.crawler import CrawlerProcess

    class Process(CrawlerProcess):
        # Scrapy stops gracefully on SIGINT and SIGTERM alike; the exit code tells them
        # apart (130 for SIGINT, as shells do).
        def _signal_shutdown(self, signum: int, frame: Any) -> None:
            signals_seen.append(signum)
            super()._signal_shutdown(signum, frame)

    return Process(settings, install_root_handler=False)


def _start_failed(failure: Any, failures: list[Any], process: Any) -> None:
    """A crawler that could not start (bad configuration, Redis away): recorded for the
    exit code, and the others stopped, rather than Twisted's "Unhandled error"."""
    failures.append(failure)
    process.stop()


def _finish(outcome: CrawlOutcome, fail_on: float | None) -> None:
    """The summary table, one verdict line, and the exit code for cron and systemd."""
    import shutil

    from rich.console import Console

    from yuqing_spiders.ops.summary import outcome_table

    width = min(80, shutil.get_terminal_size((80, 24)).columns)
    out = Console(stderr=True, width=width)
    out.print(outcome_table(outcome, title="crawl finished", max_rows=40, width=width))
    code = outcome.exit_code(fail_on)
    colour = "green" if code == EXIT_OK else "red"
    out.print(f"[{colour}]{outcome.verdict(fail_on)}[/{colour}]", highlight=False)
    if code != EXIT_OK:
        raise typer.Exit(code)


def _report_store(settings: BaseSettings) -> None:
    import pymongo

    from yuqing_spiders.store.connections import mongo_from_settings

    uri = os.environ.get("MONGO_URI")
    if not uri:
        return
    database = settings["MONGO_DATABASE"]
    client = mongo_from_settings(settings, uri=uri)
    with contextlib.suppress(pymongo.errors.PyMongoError):
        db = client[database]
        total = db.opinions.count_documents({})
        complete = db.opinions.count_documents({"complete": True})
        # The summary's "stored" counts comments too: say both, so they add up.
        comments = db.comments.count_documents({})
        console.print(
            f"MongoDB {database}.opinions: {total} documents ({complete} complete), "
            f"{database}.comments: {comments}"
        )
    client.close()


def _progress_default(progress: bool | None) -> bool:
    return sys.stderr.isatty() if progress is None else progress


@app.command()
def run(
    spider: SpiderOpt = None,
    replay: Annotated[bool, typer.Option(help="Crawl the bundled fixture sites offline.")] = False,
    fixtures: Annotated[Path | None, typer.Option(help="Fixture root for --replay.")] = None,
    replay_url: ReplayUrlOpt = None,
    data_dir: DataDirOpt = None,
    progress: Annotated[bool | None, typer.Option(help="Live table (default: on a TTY).")] = None,
    fail_on: FailOnOpt = None,
    set_: SetOpt = None,
) -> None:
    """Crawl the configured sources on this node into MongoDB (Scrapy's own scheduler).

    With REDIS_URL / MONGO_URI unset, embedded servers start under --data-dir and stop
    at the end; the data stays for the next run. Ends with a summary per source. Exit
    codes: 0 ok; 1 requests failed and nothing was stored (or --fail-on reached, or a
    fatal stop); 2 configuration error; 130 interrupted (Ctrl-C).
    """
    from yuqing_spiders.ops.services import EmbeddedServices

    names = spider_names(spider)
    only = source_keys(spider)
    with EmbeddedServices(data_dir_path(data_dir)) as services:
        announce(services)
        with replay_site(replay, fixtures) as served_url:
            crawlers, outcome = _crawl(
                "local",
                names,
                replay_url or served_url,
                _progress_default(progress),
                {"YUQING_ONLY_SOURCES": only, **overrides(set_)},
            )
        _report_store(crawlers[0].settings)
    _finish(outcome, fail_on)


@app.command()
def worker(
    spider: SpiderOpt = None,
    replay_url: ReplayUrlOpt = None,
    idle_exit: Annotated[
        float, typer.Option(help="Exit after this many idle seconds (0: run forever).")
    ] = 0,
    data_dir: DataDirOpt = None,
    progress: Annotated[bool | None, typer.Option(help="Live table (default: on a TTY).")] = None,
    fail_on: FailOnOpt = None,
    set_: SetOpt = None,
) -> None:
    """Pull requests from the shared Redis queue and crawl them (run any number of these).

    Point every worker at the same REDIS_URL and MONGO_URI. Seeds come from
    `yuqing seed` (or the scheduler); one worker process hosts every spider. Ends
    with a summary per source and the exit codes of `yuqing run`.
    """
    from yuqing_spiders.ops.services import EmbeddedServices

    names = spider_names(spider)
    with EmbeddedServices(data_dir_path(data_dir)) as services:
        announce(services)
        if services.started:
            joined = f"REDIS_URL={os.environ['REDIS_URL']} MONGO_URI={os.environ['MONGO_URI']}"
            console.print(f"[yellow]embedded services; other workers join with {joined}[/yellow]")
        _, outcome = _crawl(
            "distributed",
            names,
            replay_url,
            _progress_default(progress),
            {"YUQING_WORKER_IDLE_EXIT": idle_exit, **overrides(set_)},
        )
    _finish(outcome, fail_on)


@app.command()
def seed(
    spider: SpiderOpt = None,
    force: Annotated[
        bool, typer.Option(help="Queue the start pages even if this tick was already seeded.")
    ] = False,
) -> None:
    """Push the sources' start pages into Redis for the workers (needs REDIS_URL).

    Seeds the current tick of each source's schedule, once: a tick the scheduler (or
    an earlier `yuqing seed`) already seeded is skipped, and a start page still
    waiting in the list is never queued twice.
    """
    from yuqing_spiders.model.sources import load_sources
    from yuqing_spiders.ops.keys import OpsKeys
    from yuqing_spiders.ops.scheduling import Scheduler
    from yuqing_spiders.store.connections import redis_from_settings

    url = os.environ.get("REDIS_URL")
    if not url:
        raise typer.BadParameter("set REDIS_URL to the Redis server the workers use")
    settings = project_settings("distributed")
    sources = load_sources(settings["YUQING_SOURCES_FILE"])
    client = redis_from_settings(settings, url=url)
    sched = Scheduler(
        client,
        sources,
        keys=OpsKeys(settings["YUQING_OPS_PREFIX"]),
        seed_template=settings["YUQING_SEED_KEY"],
        tz=settings["YUQING_DEFAULT_TZ"],
        lock_ttl=settings.getint("YUQING_SCHEDULER_LOCK_TTL"),
    )
    only = set(source_keys(spider))
    for name in spider_names(spider):
        pushed, skipped = 0, []
        for key in (k for k, s in sources.items() if s.spider == name):
            if only and key not in only:
                continue
            added = sched.seed_now(key, force=force)
            if added is None:
                skipped.append(key)
            else:
                pushed += added
        note = f" ({', '.join(skipped)}: this tick already seeded)" if skipped else ""
        console.print(f"{name}: {pushed} seeds pushed{note}", highlight=False)
    client.close()


@app.command()
def services(
    data_dir: DataDirOpt = None,
    redis_port: Annotated[
        int | None, typer.Option(help="Redis port. Default: the last start's, if free.")
    ] = None,
    mongo_port: Annotated[
        int | None, typer.Option(help="MongoDB port. Default: the last start's, if free.")
    ] = None,
) -> None:
    """Start embedded Redis and MongoDB for other processes and wait (Ctrl-C stops).

    The ports stay the same from one start to the next (while free), so the printed
    REDIS_URL and MONGO_URI keep working for the other processes.
    """
    from yuqing_spiders.ops.services import EmbeddedServices

    path = data_dir_path(data_dir)
    with EmbeddedServices(path, redis_port=redis_port, mongo_port=mongo_port) as started:
        print(f"REDIS_URL={os.environ['REDIS_URL']}", flush=True)
        print(f"MONGO_URI={os.environ['MONGO_URI']}", flush=True)
        announce(started)
        wait_for_signal()
