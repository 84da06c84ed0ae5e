"""Crawl commands: one node (`run`), many nodes (`worker`, `seed`), and services."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import pymongo
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
    replay_site,
    spider_names,
    wait_for_signal,
)
from yuqing_spiders.model.sources import load_sources
from yuqing_spiders.ops.runtime import project_settings
from yuqing_spiders.ops.services import EmbeddedServices
from yuqing_spiders.queue.seeds import Seed, push_seeds
from yuqing_spiders.store.connections import mongo_from_settings, redis_from_settings

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings


def _crawl(
    overlay: str,
    names: list[str],
    replay_url: str | None,
    progress: bool,
    extra: dict[str, Any] | None = None,
) -> list[Any]:
    from scrapy.crawler import CrawlerProcess

    from yuqing_spiders.ops.progress import ProgressDisplay, counts_table

    settings = project_settings(overlay, replay_url=replay_url)
    for key, value in (extra or {}).items():
        settings.set(key, value, priority="cmdline")
    if progress:
        log_file = Path(settings["YUQING_DATA_DIR"]) / "logs" / f"{overlay}-{os.getpid()}.log"
        log_file.parent.mkdir(parents=True, exist_ok=True)
        settings.set("LOG_FILE", str(log_file), priority="cmdline")
        console.print(f"[dim]log: {log_file}[/dim]")
    process = CrawlerProcess(settings)
    crawlers = [process.create_crawler(name) for name in names]
    for crawler in crawlers:
        process.crawl(crawler)
    display = ProgressDisplay(crawlers, console) if progress else None
    if display:
        display.start()
    try:
        process.start()
    finally:
        if display:
            display.stop()
    if not display:
        console.print(counts_table(crawlers, title="crawl finished"))
    return crawlers


def _report_store(settings: BaseSettings) -> None:
    uri = os.environ.get("MONGO_URI")
    if not uri:
        return
    database = settings["MONGO_DATABASE"]
    client = mongo_from_settings(settings, uri=uri)
    with contextlib.suppress(pymongo.errors.PyMongoError):
        db = client[database]
        total = db.opinions.count_documents({})
        complete = db.opinions.count_documents({"complete": True})
        console.print(f"MongoDB {database}.opinions: {total} documents ({complete} complete)")
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
    set_: SetOpt = None,
) -> None:
    """Crawl the configured sources on this node into MongoDB (Scrapy's own scheduler).

    With REDIS_URL / MONGO_URI unset, embedded servers start under --data-dir and stop
    at the end; the data stays for the next run.
    """
    names = spider_names(spider)
    with EmbeddedServices(data_dir_path(data_dir)) as services:
        announce(services)
        with replay_site(replay, fixtures) as served_url:
            crawlers = _crawl(
                "local",
                names,
                replay_url or served_url,
                _progress_default(progress),
                overrides(set_),
            )
        _report_store(crawlers[0].settings)


@app.command()
def worker(
    spider: SpiderOpt = None,
    replay_url: ReplayUrlOpt = None,
    idle_exit: Annotated[
        float, typer.Option(help="Exit after this many idle seconds (0: run forever).")
    ] = 0,
    data_dir: DataDirOpt = None,
    progress: Annotated[bool | None, typer.Option(help="Live table (default: on a TTY).")] = None,
    set_: SetOpt = None,
) -> None:
    """Pull requests from the shared Redis queue and crawl them (run any number of these).

    Point every worker at the same REDIS_URL and MONGO_URI. Seeds come from
    `yuqing seed` (or the scheduler); one worker process hosts every spider.
    """
    names = spider_names(spider)
    with EmbeddedServices(data_dir_path(data_dir)) as services:
        announce(services)
        if services.started:
            joined = f"REDIS_URL={os.environ['REDIS_URL']} MONGO_URI={os.environ['MONGO_URI']}"
            console.print(f"[yellow]embedded services; other workers join with {joined}[/yellow]")
        _crawl(
            "distributed",
            names,
            replay_url,
            _progress_default(progress),
            {"YUQING_WORKER_IDLE_EXIT": idle_exit, **overrides(set_)},
        )


@app.command()
def seed(spider: SpiderOpt = None) -> None:
    """Push the sources' start pages into Redis for the workers (needs REDIS_URL)."""
    url = os.environ.get("REDIS_URL")
    if not url:
        raise typer.BadParameter("set REDIS_URL to the Redis server the workers use")
    settings = project_settings("distributed")
    sources = load_sources(settings["YUQING_SOURCES_FILE"])
    client = redis_from_settings(settings, url=url)
    for name in spider_names(spider):
        seeds = [
            Seed(url=u, source=s.key)
            for s in sources.values()
            if s.spider == name
            for u in s.start_urls
        ]
        push_seeds(client, name, seeds, settings["YUQING_SEED_KEY"])
        console.print(f"{name}: {len(seeds)} seeds pushed")


@app.command()
def services(data_dir: DataDirOpt = None) -> None:
    """Start embedded Redis and MongoDB for other processes and wait (Ctrl-C stops)."""
    with EmbeddedServices(data_dir_path(data_dir)) as started:
        print(f"REDIS_URL={os.environ['REDIS_URL']}", flush=True)
        print(f"MONGO_URI={os.environ['MONGO_URI']}", flush=True)
        announce(started)
        wait_for_signal()
