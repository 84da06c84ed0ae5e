"""yuqing: crawl public-opinion sources into MongoDB, on one node or many.

Start here: **yuqing run --replay** crawls the bundled copies of the sites (offline);
**yuqing run** crawls the live sites. On several nodes: **yuqing worker** on each,
**yuqing seed** (or **yuqing scheduler**) feeds them.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

from yuqing_spiders.model.outcome import EXIT_CONFIG, ConfigError

if TYPE_CHECKING:
    from scrapy.settings import Settings

    from yuqing_spiders.ops.services import EmbeddedServices

# Imports below are made inside the commands: `yuqing --help` and the quick commands
# (`tag`, `extract`) start without Scrapy's settings, MongoDB, Redis or Twisted's web.


class _App(typer.Typer):
    """The Typer app, plus what every command shares: repeated warnings shown once,
    and a configuration error as one line and exit code 2 (not a traceback)."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        # Nothing to filter before a handler exists (crawls add theirs with the filter);
        # and the runtime module imports Scrapy, which the quick commands do without.
        if logging.root.handlers:
            from yuqing_spiders.ops.runtime import ONCE

            ONCE.attach()
        try:
            return super().__call__(*args, **kwargs)
        except ConfigError as error:
            console.print(
                f"[red]configuration error:[/red] {error}", highlight=False, soft_wrap=True
            )
            sys.exit(EXIT_CONFIG)


def project_settings(overlay: str, *, replay_url: str | None = None) -> Settings:
    from yuqing_spiders.ops.runtime import project_settings as settings_for

    return settings_for(overlay, replay_url=replay_url)


app = _App(
    help=__doc__,
    no_args_is_help=True,
    # Markdown: paragraphs of the docstrings flow to the terminal's width (the "rich"
    # mode keeps every line break, which cuts sentences in two).
    rich_markup_mode="markdown",
    context_settings={"help_option_names": ["-h", "--help"]},
)
console = Console(stderr=True)

SpiderOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--spider",
        "-s",
        help="Source key as `yuqing sources` lists it, or a spider name for all its "
        "sources (repeatable). Default: every source.",
    ),
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


def _sources_by_spider() -> dict[str, list[str]]:
    from yuqing_spiders.model.sources import load_sources

    settings = project_settings("local")
    by_spider: dict[str, list[str]] = {}
    for key, source in load_sources(settings["YUQING_SOURCES_FILE"]).items():
        by_spider.setdefault(source.spider, []).append(key)
    return by_spider


def _selected(requested: list[str]) -> dict[str, list[str]]:
    """Spider name -> the source keys asked for; `-s` takes a source key (the name
    `yuqing sources` shows: dajiang_bbs) or a spider name (discuz: all its sources)."""
    by_spider = _sources_by_spider()
    spider_of = {key: spider for spider, keys in by_spider.items() for key in keys}
    chosen: dict[str, list[str]] = {}
    unknown = []
    for name in requested:
        if name in by_spider:
            chosen.setdefault(name, []).extend(by_spider[name])
        elif name in spider_of:
            chosen.setdefault(spider_of[name], []).append(name)
        else:
            unknown.append(name)
    if unknown:
        raise typer.BadParameter(f"no such source: {', '.join(unknown)} (see `yuqing sources`)")
    return {spider: list(dict.fromkeys(keys)) for spider, keys in chosen.items()}


def spider_names(requested: list[str] | None) -> list[str]:
    """The spiders that serve the requested sources (all spiders when none is named)."""
    if not requested:
        return sorted(_sources_by_spider())
    return sorted(_selected(requested))


def source_keys(requested: list[str] | None) -> list[str]:
    """The source keys the requested names stand for ([]: every source)."""
    if not requested:
        return []
    return [key for keys in _selected(requested).values() for key in keys]


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
