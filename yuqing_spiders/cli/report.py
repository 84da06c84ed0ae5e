"""`yuqing report`: the daily (or weekly) opinion report, or a special report on one event."""

from __future__ import annotations

import os
import sys
import time
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer

from yuqing_spiders.cli.app import (
    DataDirOpt,
    app,
    console,
    data_dir_path,
    project_settings,
)

# The report's modules (MongoDB, matplotlib, the analysis) load when it runs, not
# for `yuqing --help` or another command.
TZ = ZoneInfo("Asia/Shanghai")  # the office's day, as report/data.py counts it


class Format(StrEnum):
    html = "html"
    md = "md"
    json = "json"


def _today() -> date:
    return datetime.now(TZ).date()


def _build(db: Any, day: date, week: bool, event: str | None) -> dict[str, Any]:
    from yuqing_spiders.report import data

    if event:
        report = data.event_report(db, event)
        if report is None:
            raise typer.BadParameter(
                f"no event {event!r} in {db.name}.events", param_hint="--event"
            )
        return report
    window = data.week_window(day) if week else data.day_window(day)
    return data.period_report(db, window, _source_spiders())


def _source_spiders() -> dict[str, str]:
    """Every source key, as `yuqing sources` lists it, with the spider that serves it."""
    from yuqing_spiders.model.sources import load_sources

    sources = load_sources(project_settings("local")["YUQING_SOURCES_FILE"])
    return {key: source.spider for key, source in sources.items()}


def _write(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")


@app.command()
def report(
    day: Annotated[
        datetime | None,
        typer.Option("--date", formats=["%Y-%m-%d"], help="Day (Asia/Shanghai). Default: today."),
    ] = None,
    week: Annotated[
        bool, typer.Option("--week", help="The seven days ending with --date.")
    ] = False,
    event: Annotated[
        str | None, typer.Option("--event", help="Special report on one event (ev:...).")
    ] = None,
    fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.html,
    out: Annotated[Path | None, typer.Option("--out", help="Write here (default: stdout).")] = None,
    data_dir: DataDirOpt = None,
) -> None:
    """Write the daily (每日舆情), weekly or event report from MongoDB.

    Sections: overview, important items, jurisdictions, departments, provinces, top
    events with trend charts, sources' health.

    HTML is one self-contained file (charts inline). With MONGO_URI unset, the
    embedded MongoDB under --data-dir (where `yuqing run` stored its crawl) is started.
    """
    from yuqing_spiders.ops.services import EmbeddedServices
    from yuqing_spiders.report.render import render
    from yuqing_spiders.store.connections import mongo_from_settings

    began = time.monotonic()
    with EmbeddedServices(data_dir_path(data_dir), redis=False):
        settings = project_settings("local")
        database = settings.get("MONGO_DATABASE") or "yuqing"
        client = mongo_from_settings(settings, uri=os.environ["MONGO_URI"], appname="yuqing-report")
        try:
            built = _build(client[database], day.date() if day else _today(), week, event)
        finally:
            client.close()
    _write(render(built, fmt.value, settings.getdict("YUQING_PLATFORM_NAMES")), out)
    where = out or "stdout"
    console.print(
        f"report {built['kind']} {built['label']} → {where} in {time.monotonic() - began:.1f} s"
    )
