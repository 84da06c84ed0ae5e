"""Tools for tending sources: extract from a saved page, record and replay fixtures."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from itemadapter import ItemAdapter
from rich.console import Console
from rich.table import Table

from yuqing_spiders.cli.app import app, console, replay_site, wait_for_signal
from yuqing_spiders.model.sources import load_sources
from yuqing_spiders.ops.runtime import project_settings


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
    from spiders._base.registry import extract as extract_item

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
    with replay_site(True, fixtures, port) as url:
        print(f"replay listening on {url}", flush=True)
        wait_for_signal()


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
    # A `type: news_config` entry that cannot work gets no spider: say which key is wrong.
    from spiders.news_config.sites import load_news_sites

    _, problems = load_news_sites(settings["YUQING_SOURCES_FILE"])
    for problem in problems.values():
        console.print(f"[red]{problem}[/red] (no spider for this source)")
    if problems:
        raise typer.Exit(1)
