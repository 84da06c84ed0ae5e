"""Tools for tending sources: extract from a saved page, record and replay fixtures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from yuqing_spiders.cli.app import app, console, project_settings, replay_site, wait_for_signal


@app.command()
def extract(
    url: Annotated[str, typer.Argument(help="The response's real URL (picks the parser).")],
    file: Annotated[
        Path,
        typer.Option(
            "--file",
            "--html",
            help="The saved response (bytes as served): an article, a list page or an API answer.",
        ),
    ],
    encoding: Annotated[str | None, typer.Option(help="Force a charset, e.g. gbk.")] = None,
) -> None:
    """Print as JSON what the project makes of a saved response.

    An article page gives its item (its source parser, the generic extractor for what
    it misses); a list page or an API answer the records or links its parser yields;
    an unknown URL the generic article or list reading.
    """
    from spiders._base.registry import read
    from yuqing_spiders.extract.kit.errors import PayloadError

    try:
        result = read(url, file.read_bytes(), encoding)
    except PayloadError as error:
        # The source's parser cannot read this answer (a changed API, an error page):
        # what a crawl counts as `<source>/bad_list/<reason>`.
        console.print(f"[red]unreadable answer[/red] for {url}: {error}")
        raise typer.Exit(1) from None
    print(json.dumps(result, ensure_ascii=False, indent=2))


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
    with replay_site(True, fixtures, port) as url:
        print(f"replay listening on {url}", flush=True)
        wait_for_signal()


@app.command()
def sources() -> None:
    """List every configured source with its platform, spider and schedule."""
    from rich import box
    from rich.table import Table

    from yuqing_spiders.model.sources import load_sources

    settings = project_settings("local")
    # 80 columns: the schedule never wraps (a cron expression split in two misleads);
    # the name, last, is cut rather than wrapped.
    table = Table(title="sources", box=box.SIMPLE_HEAD, pad_edge=False, title_justify="left")
    rows = [
        (
            key,
            source.platform,
            "" if source.spider == key else source.spider,  # most sources are their spider
            str(source.options.get("interval") or source.schedule or "-"),
            str(len(source.start_urls)),
            source.name,
        )
        for key, source in load_sources(settings["YUQING_SOURCES_FILE"]).items()
    ]
    for index, column in enumerate(("source", "platform", "spider", "schedule", "pages")):
        widest = max([len(column), *(len(row[index]) for row in rows)])
        table.add_column(
            column, no_wrap=True, min_width=widest, justify="right" if column == "pages" else "left"
        )
    table.add_column("name", no_wrap=True, overflow="ellipsis")
    for row in rows:
        table.add_row(*row)
    Console().print(table)
    # A `type: news_config` entry that cannot work gets no spider: say which key is wrong.
    from spiders.news_config.sites import load_news_sites

    _, problems = load_news_sites(settings["YUQING_SOURCES_FILE"])
    for problem in problems.values():
        console.print(f"[red]{problem}[/red] (no spider for this source)")
    if problems:
        raise typer.Exit(1)
