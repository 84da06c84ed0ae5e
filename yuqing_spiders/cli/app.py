"""yuqing: crawl public-opinion sources into MongoDB, on one node or many.

Start here: [bold]yuqing run --replay[/bold] crawls the bundled fixture copies of the
sites (offline) into MongoDB; [bold]yuqing run[/bold] crawls the live sites. For
several nodes: [bold]yuqing worker[/bold] on each, [bold]yuqing seed[/bold] to feed them.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from yuqing_spiders.model.sources import load_sources
from yuqing_spiders.ops.runtime import project_settings
from yuqing_spiders.ops.services import EmbeddedServices

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


def data_dir_path(data_dir: Path | None) -> Path:
    path = data_dir or Path(project_settings("local")["YUQING_DATA_DIR"])
    os.environ["YUQING_DATA_DIR"] = str(path)
    return path


def overrides(pairs: list[str] | None) -> dict[str, str]:
    result = {}
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise typer.BadParameter(f"--set takes NAME=VALUE, not {pair!r}")
        result[name.strip()] = value
    return result


def spider_names(requested: list[str] | None) -> list[str]:
    settings = project_settings("local")
    sources = load_sources(settings["YUQING_SOURCES_FILE"])
    names = requested or sorted({s.spider for s in sources.values()})
    unknown = [n for n in names if n not in {s.spider for s in sources.values()}]
    if unknown:
        raise typer.BadParameter(f"no such spider: {', '.join(unknown)} (see `yuqing sources`)")
    return names


@contextlib.contextmanager
def replay_site(enabled: bool, fixtures: Path | None, port: int = 0) -> Iterator[str | None]:
    if not enabled:
        yield None
        return
    from yuqing_spiders.replay.server import ReplayServer

    root = fixtures or Path(project_settings("local")["YUQING_REPLAY_FIXTURES"])
    with ReplayServer(root, port=port) as server:
        console.print(f"[dim]replay site {server.url} serving {root}[/dim]")
        yield server.url


def announce(services: EmbeddedServices) -> None:
    for line in services.started:
        console.print(f"[dim]embedded {line}[/dim]")


def wait_for_signal() -> None:
    stop = {"now": False}

    def _stop(*_: object) -> None:
        stop["now"] = True

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    while not stop["now"]:
        time.sleep(0.2)
