"""yuqing: crawl public-opinion sources into MongoDB, on one node or many.

Start here: [bold]yuqing run --replay[/bold] crawls the bundled fixture copies of the
sites (offline) into MongoDB; [bold]yuqing run[/bold] crawls the live sites. For
several nodes: [bold]yuqing worker[/bold] on each, [bold]yuqing seed[/bold] to feed them.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import pymongo
import redis
import typer
from itemadapter import ItemAdapter
from rich.console import Console
from rich.table import Table

from yuqing_spiders.config import load_sources
from yuqing_spiders.runtime import project_settings
from yuqing_spiders.seeds import Seed, push_seeds
from yuqing_spiders.services import EmbeddedServices

app = typer.Typer(
    help=__doc__,
    no_args_is_help=True,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)
console = Console(stderr=True)

SpiderOpt = Annotated[
    list[str] | None,
    typer.Option("--spider", "-s", help="Spider to run (repeatable). Default: every source."),
]
SetOpt = Annotated[
    list[str] | None,
    typer.Option("--set", "-S", help="Override a setting: NAME=VALUE (repeatable)."),
]
ReplayUrlOpt = Annotated[
    str | None,
    typer.Option(help="Answer every request from this running replay server (`yuqing replay`)."),
]
DataDirOpt = Annotated[
    Path | None,
    typer.Option(help="Where embedded Redis/MongoDB keep data and logs. Default: ./.yuqing"),
]


def _data_dir(data_dir: Path | None) -> Path:
    path = data_dir or Path(project_settings("local")["YUQING_DATA_DIR"])
    os.environ["YUQING_DATA_DIR"] = str(path)
    return path


def _overrides(pairs: list[str] | None) -> dict[str, str]:
    result = {}
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise typer.BadParameter(f"--set takes NAME=VALUE, not {pair!r}")
        result[name.strip()] = value
    return result


def _spider_names(requested: list[str] | None) -> list[str]:
    settings = project_settings("local")
    sources = load_sources(settings["YUQING_SOURCES_FILE"])
    names = requested or sorted({s.spider for s in sources.values()})
    unknown = [n for n in names if n not in {s.spider for s in sources.values()}]
    if unknown:
        raise typer.BadParameter(f"no such spider: {', '.join(unknown)} (see `yuqing sources`)")
    return names


@contextlib.contextmanager
def _replay_site(enabled: bool, fixtures: Path | None, port: int = 0) -> Iterator[str | None]:
    if not enabled:
        yield None
        return
    from yuqing_spiders.replay.server import ReplayServer

    root = fixtures or Path(project_settings("local")["YUQING_REPLAY_FIXTURES"])
    with ReplayServer(root, port=port) as server:
        console.print(f"[dim]replay site {server.url} serving {root}[/dim]")
        yield server.url


def _announce(services: EmbeddedServices) -> None:
    for line in services.started:
        console.print(f"[dim]embedded {line}[/dim]")


def _crawl(
    overlay: str,
    names: list[str],
    replay_url: str | None,
    progress: bool,
    extra: dict[str, Any] | None = None,
) -> list[Any]:
    from scrapy.crawler import CrawlerProcess

    from yuqing_spiders.progress import ProgressDisplay, counts_table

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


def _report_store(database: str) -> None:
    uri = os.environ.get("MONGO_URI")
    if not uri:
        return
    client: pymongo.MongoClient = pymongo.MongoClient(uri, serverSelectionTimeoutMS=3000)
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
    names = _spider_names(spider)
    with EmbeddedServices(_data_dir(data_dir)) as services:
        _announce(services)
        with _replay_site(replay, fixtures) as served_url:
            crawlers = _crawl(
                "local",
                names,
                replay_url or served_url,
                _progress_default(progress),
                _overrides(set_),
            )
        _report_store(crawlers[0].settings["MONGO_DATABASE"])


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
    names = _spider_names(spider)
    with EmbeddedServices(_data_dir(data_dir)) as services:
        _announce(services)
        if services.started:
            joined = f"REDIS_URL={os.environ['REDIS_URL']} MONGO_URI={os.environ['MONGO_URI']}"
            console.print(f"[yellow]embedded services; other workers join with {joined}[/yellow]")
        _crawl(
            "distributed",
            names,
            replay_url,
            _progress_default(progress),
            {"YUQING_WORKER_IDLE_EXIT": idle_exit, **_overrides(set_)},
        )


@app.command()
def seed(spider: SpiderOpt = None) -> None:
    """Push the sources' start pages into Redis for the workers (needs REDIS_URL)."""
    url = os.environ.get("REDIS_URL")
    if not url:
        raise typer.BadParameter("set REDIS_URL to the Redis server the workers use")
    settings = project_settings("distributed")
    sources = load_sources(settings["YUQING_SOURCES_FILE"])
    client = redis.Redis.from_url(url)
    for name in _spider_names(spider):
        seeds = [
            Seed(url=u, source=s.key)
            for s in sources.values()
            if s.spider == name
            for u in s.start_urls
        ]
        push_seeds(client, name, seeds, settings["YUQING_SEED_KEY"])
        console.print(f"{name}: {len(seeds)} seeds pushed")


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


@app.command()
def extract(
    url: Annotated[str, typer.Argument(help="The page's real URL (picks the parser).")],
    html: Annotated[Path, typer.Option(help="The saved page (bytes as served).")],
    encoding: Annotated[str | None, typer.Option(help="Force a charset, e.g. gbk.")] = None,
) -> None:
    """Print as JSON what the matching source parser (or the generic one) makes of a page."""
    from yuqing_spiders.extract.registry import extract as extract_item

    item = extract_item(url, html.read_bytes(), encoding)
    print(
        json.dumps(ItemAdapter(item).asdict(), ensure_ascii=False, indent=2, default=_json_default)
    )


@app.command()
def record(
    urls: Annotated[list[str], typer.Argument(help="Live URLs to save as fixtures.")],
    fixtures: Annotated[Path, typer.Option(help="Fixture root.")] = Path("tests/fixtures/web"),
) -> None:
    """Save live responses (status, headers, bytes) into the replay fixture tree."""
    from yuqing_spiders.replay.record import RecordError
    from yuqing_spiders.replay.record import record as record_urls

    failed: dict[str, str] = {}
    try:
        written = record_urls(urls, fixtures)
    except RecordError as error:
        written, failed = error.written, error.failed
    for path in written:
        console.print(f"saved {path}")
    for url, why in failed.items():
        console.print(f"[red]failed[/red] {url}: {why}")
    if failed:
        raise typer.Exit(1)


@app.command()
def replay(
    fixtures: Annotated[Path | None, typer.Option(help="Fixture root.")] = None,
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1 (0: any free one).")] = 0,
) -> None:
    """Serve the fixture sites on 127.0.0.1 (for `yuqing worker --replay-url`)."""
    with _replay_site(True, fixtures, port) as url:
        print(f"replay listening on {url}", flush=True)
        _wait_for_signal()


@app.command()
def services(data_dir: DataDirOpt = None) -> None:
    """Start embedded Redis and MongoDB for other processes and wait (Ctrl-C stops)."""
    with EmbeddedServices(_data_dir(data_dir)) as started:
        print(f"REDIS_URL={os.environ['REDIS_URL']}", flush=True)
        print(f"MONGO_URI={os.environ['MONGO_URI']}", flush=True)
        _announce(started)
        _wait_for_signal()


@app.command()
def sources() -> None:
    """List every configured source with its platform, spider and schedule."""
    settings = project_settings("local")
    table = Table(title="sources")
    for column in ("source", "name", "platform", "spider", "schedule", "start pages"):
        table.add_column(column)
    for key, source in load_sources(settings["YUQING_SOURCES_FILE"]).items():
        table.add_row(
            key,
            source.name,
            source.platform,
            source.spider,
            source.schedule or "-",
            str(len(source.start_urls)),
        )
    Console().print(table)


def _wait_for_signal() -> None:
    stop = {"now": False}

    def _stop(*_: object) -> None:
        stop["now"] = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    while not stop["now"]:
        time.sleep(0.2)


if __name__ == "__main__":
    app()
