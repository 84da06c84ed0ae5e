"""How a crawl went, per source, in words: the live table, the end-of-run summary and
the exit code of `yuqing run` / `yuqing worker`, and the summary of `status --check`.

Plain data in, plain data out: the counts come from the crawlers' stats (or from the
``totals.stats`` of `crawl_stats` documents), the pauses from the cool-down keys in
Redis, read by the caller. Rendering fits a terminal of 80×24: active sources
first, a totals row, idle sources folded into one line.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from rich import box
from rich.table import Table

from yuqing_spiders.model.outcome import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    FATAL_REASON,
    FATAL_STAT,
)
from yuqing_spiders.ops.source_counts import PREFIX, STORED_PREFIX, WRITER_PREFIXES

# Why a request was given up (spiders/_base/spider.py `failure_reason`), in words.
_CAUSES = {
    "dns": "DNS lookup failed for {host}",
    "timeout": "timed out waiting for {host}",
    "refused": "connection refused by {host}",
    "truncated": "answers cut short by {host}",
    "connection_lost": "connection to {host} lost",
}


def cause_in_words(reason: str, host: str | None) -> str:
    """``dns`` + ``www.people.com.cn`` -> ``DNS lookup failed for www.people.com.cn``."""
    where = host or "the site"
    if reason in _CAUSES:
        return _CAUSES[reason].format(host=where)
    if reason.startswith("http_"):
        return f"HTTP {reason[5:]} from {where}"
    if reason.startswith("item_"):
        return f"items from {where} lost in a pipeline ({reason[5:]})"
    if reason.startswith("parse_"):
        return f"pages from {where} not parsed ({reason[6:]})"
    return f"{reason} on {where}"


@dataclass
class SourceOutcome:
    """What one source did in one process (or in the periods `status` reads)."""

    source: str
    spider: str = ""
    pages: int = 0
    items: int = 0
    # What the writer acknowledged for this source (`mongo/stored/<source>`), what it
    # put in the disk spool instead, and what MongoDB refused for good.
    stored: int = 0
    spooled: int = 0
    refused: int = 0
    failed: dict[str, int] = field(default_factory=dict)
    hosts: dict[str, str] = field(default_factory=dict)
    blocked: dict[str, int] = field(default_factory=dict)
    skipped: int = 0
    pause_reason: str | None = None
    paused_until: float | None = None

    @property
    def failed_total(self) -> int:
        return sum(self.failed.values())

    @property
    def active(self) -> bool:
        return bool(
            self.pages
            or self.items
            or self.stored
            or self.spooled
            or self.refused
            or self.failed
            or self.skipped
            or self.blocked
        )

    @property
    def paused(self) -> bool:
        return bool(self.skipped or self.paused_until)

    def cause(self) -> str:
        """The main reason this source lost requests, in words; "" when none."""
        if not self.failed:
            return ""
        reason = max(self.failed, key=lambda r: (self.failed[r], r))
        return cause_in_words(reason, self.hosts.get(reason))

    def note(self, now: float | None = None) -> str:
        """What a person should know about the source: paused, failing, or nothing."""
        if self.paused:
            worst = max(self.blocked, key=self.blocked.__getitem__, default="")
            reason = self.pause_reason or worst
            text = f"paused ({reason})" if reason else "paused"
            if self.paused_until:
                until = datetime.fromtimestamp(self.paused_until, UTC).strftime("%H:%M UTC")
                text += f" until {until}"
            return text
        return "; ".join(part for part in (self.cause(), self.storage_note()) if part)

    def storage_note(self) -> str:
        """What did not reach MongoDB: refused for good, or waiting in the spool."""
        parts = []
        if self.refused:
            parts.append(f"{self.refused} refused by MongoDB")
        if self.spooled:
            parts.append(f"{self.spooled} spooled")
        return ", ".join(parts)


@dataclass
class CrawlOutcome:
    """Every source of one process, the process's storage counts and how it ended."""

    sources: dict[str, SourceOutcome]
    stored: int = 0
    spooled: int = 0
    fatal: list[str] = field(default_factory=list)
    interrupted: bool = False

    @property
    def items(self) -> int:
        return sum(s.items for s in self.sources.values())

    @property
    def pages(self) -> int:
        return sum(s.pages for s in self.sources.values())

    @property
    def failed(self) -> int:
        return sum(s.failed_total for s in self.sources.values())

    def failed_share(self) -> float:
        asked = self.pages + self.failed
        return self.failed / asked if asked else 0.0

    def exit_code(self, fail_on: float | None = None) -> int:
        """EXIT_INTERRUPTED on SIGINT; EXIT_FAILED on a fatal stop, when requests failed
        (or MongoDB refused items) and nothing was kept (stored or spooled), or when
        the share of failed requests reaches `fail_on`; else EXIT_OK."""
        if self.interrupted:
            return EXIT_INTERRUPTED
        if self.fatal:
            return EXIT_FAILED
        if (self.failed or self.refused) and not (self.stored or self.spooled):
            return EXIT_FAILED
        if fail_on is not None and self.failed and self.failed_share() >= fail_on:
            return EXIT_FAILED
        return EXIT_OK

    def verdict(self, fail_on: float | None = None) -> str:
        """One line that says how the crawl ended and why."""
        code = self.exit_code(fail_on)
        counts = f"{self.kept()}, {self.failed} requests failed"
        if self.refused:
            counts += f", {self.refused} refused by MongoDB"
        if self.interrupted:
            return f"interrupted (SIGINT): {counts}"
        if self.fatal:
            return f"stopped: {'; '.join(self.fatal)} ({counts})"
        if code == EXIT_FAILED and not (self.stored or self.spooled):
            return f"FAILED: nothing stored, {self.failed} requests failed ({self.main_cause()})"
        if code == EXIT_FAILED:
            share = f"{self.failed_share():.0%}"
            return f"FAILED: {share} of requests failed, at or over --fail-on ({counts})"
        return f"ok: {counts}"

    @property
    def refused(self) -> int:
        return sum(s.refused for s in self.sources.values())

    def not_stored(self) -> str:
        """The totals row's note: what is in the spool or was refused, else nothing."""
        parts = [f"{self.spooled} spooled"] if self.spooled else []
        if self.refused:
            parts.append(f"{self.refused} refused")
        return ", ".join(parts)

    def kept(self) -> str:
        return f"{self.stored} stored" + (f", {self.spooled} spooled" if self.spooled else "")

    def main_cause(self) -> str:
        worst = max(self.sources.values(), key=lambda s: s.failed_total, default=None)
        if worst and worst.failed:
            return worst.cause()
        return f"{self.refused} refused by MongoDB" if self.refused else "no cause recorded"


# --- from stats -------------------------------------------------------------------------


def _int(value: Any) -> int:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0


def outcome_from_stats(
    stats_by_spider: Mapping[str, Mapping[str, Any]],
    sources_of: Mapping[str, Iterable[str]],
) -> CrawlOutcome:
    """Per-source outcomes from each spider's stats; `sources_of` names every source a
    spider serves, so sources that did nothing are listed (idle) too."""
    result: dict[str, SourceOutcome] = {}
    stored = spooled = 0
    fatal: list[str] = []
    for spider, stats in stats_by_spider.items():
        keys = list(sources_of.get(spider, ())) or [spider]
        for key in keys:
            result.setdefault(key, SourceOutcome(key, spider))
        _fold_source_stats(stats, result, spider)
        _fold_search_stats(stats, [result[k] for k in keys])
        stored += _stored_total(stats)
        spooled += _int(stats.get("mongo/spooled_items"))
        reason = stats.get(FATAL_STAT)
        if reason or stats.get("finish_reason") == FATAL_REASON:
            fatal.append(f"{spider}: {reason or 'stopped on a fatal error'}")
    return CrawlOutcome(result, stored=stored, spooled=spooled, fatal=fatal)


def _stored_total(stats: Mapping[str, Any]) -> int:
    """Documents MongoDB acknowledged: the per-source counts of the writer, or (stats
    of a release before them, still read from `crawl_stats`) the opinions' upserts."""
    per_source = [_int(v) for k, v in stats.items() if k.startswith(STORED_PREFIX)]
    if per_source:
        return sum(per_source)
    return sum(_int(stats.get(f"mongo/{k}")) for k in ("inserted", "updated", "unchanged"))


def _fold_source_stats(
    stats: Mapping[str, Any], result: dict[str, SourceOutcome], spider: str
) -> None:
    for key, value in stats.items():
        if key.startswith(WRITER_PREFIXES):
            what, _, source = key[len("mongo/") :].partition("/")
            entry = result.setdefault(source, SourceOutcome(source, spider))
            setattr(entry, what, getattr(entry, what) + _int(value))
        elif key.startswith(PREFIX):
            source, _, rest = key[len(PREFIX) :].partition("/")
            entry = result.setdefault(source, SourceOutcome(source, spider))
            what, _, reason = rest.partition("/")
            if what == "pages":
                entry.pages += _int(value)
            elif what == "items":
                entry.items += _int(value)
            elif what == "failed" and reason:
                entry.failed[reason] = entry.failed.get(reason, 0) + _int(value)
            elif what == "failed_host" and reason and isinstance(value, str):
                entry.hosts[reason] = value
        elif key.startswith("yuqing/backoff/skipped/"):
            source = key.rsplit("/", 1)[1]
            result.setdefault(source, SourceOutcome(source, spider)).skipped += _int(value)
        elif key.startswith("yuqing/blocked/"):
            source, _, reason = key[len("yuqing/blocked/") :].partition("/")
            entry = result.setdefault(source, SourceOutcome(source, spider))
            entry.blocked[reason] = entry.blocked.get(reason, 0) + _int(value)


def _fold_search_stats(stats: Mapping[str, Any], served: list[SourceOutcome]) -> None:
    """A search spider counts its cool-downs by engine; it serves one source."""
    if len(served) != 1:
        return
    entry = served[0]
    for key, value in stats.items():
        if key.startswith("search/cooldown_skipped/"):
            entry.skipped += _int(value)
        elif key.startswith("search/captcha/"):
            entry.blocked["captcha"] = entry.blocked.get("captcha", 0) + _int(value)


def apply_pauses(outcome: CrawlOutcome, pauses: Mapping[str, tuple[str, float]]) -> None:
    """Cool-downs read from Redis: source -> (reason, epoch the pause ends)."""
    for source, (reason, until) in pauses.items():
        entry = outcome.sources.setdefault(source, SourceOutcome(source))
        entry.pause_reason, entry.paused_until = reason, until


# --- rendering ----------------------------------------------------------------------------


def _order(entry: SourceOutcome) -> tuple[int, int, str]:
    # Trouble first (failing, paused), then the busiest; names break ties.
    trouble = 0 if entry.failed_total or entry.paused or entry.refused else 1
    return (trouble, -(entry.pages + entry.items), entry.source)


def _fold(names: list[str], width: int) -> str:
    text = ", ".join(names)
    if len(text) <= width:
        return text
    shown: list[str] = []
    for name in names:
        if len(", ".join([*shown, name])) > width - 12:
            break
        shown.append(name)
    return ", ".join(shown) + f" +{len(names) - len(shown)} more"


def outcome_table(
    outcome: CrawlOutcome,
    *,
    title: str,
    max_rows: int = 14,
    width: int = 80,
    wrap_notes: bool = True,
) -> Table:
    """Active sources (at most `max_rows`, the rest folded), a totals row, idle sources
    on one line in the caption. Fits `width` columns: the note column wraps, or (the
    live table, whose height must hold) is cut with an ellipsis."""
    entries = sorted(outcome.sources.values(), key=_order)
    active = [e for e in entries if e.active]
    idle = sorted(e.source for e in entries if not e.active)
    shown, hidden = active[:max_rows], active[max_rows:]
    table = Table(
        title=title,
        box=box.SIMPLE_HEAD,
        show_footer=True,
        width=min(width, 80),
        caption=_caption(idle, hidden, width),
        caption_justify="left",
        pad_edge=False,
    )
    table.add_column("source", footer="total", no_wrap=True, max_width=16)
    table.add_column("pages", footer=str(outcome.pages), justify="right")
    table.add_column("items", footer=str(outcome.items), justify="right")
    table.add_column("stored", footer=str(outcome.stored), justify="right")
    table.add_column("failed", footer=str(outcome.failed), justify="right")
    table.add_column(
        "note",
        footer=outcome.not_stored(),
        overflow="fold" if wrap_notes else "ellipsis",
        no_wrap=not wrap_notes,
        ratio=1,
    )
    for entry in shown:
        table.add_row(
            entry.source,
            str(entry.pages),
            str(entry.items),
            str(entry.stored),
            str(entry.failed_total),
            entry.note(),
            style="red" if _lost(entry) else None,
        )
    return table


def _lost(entry: SourceOutcome) -> bool:
    """Red: requests failed and nothing of the source was kept, or MongoDB refused some."""
    return bool(entry.failed_total and not (entry.stored or entry.spooled)) or bool(entry.refused)


def _caption(idle: list[str], hidden: list[SourceOutcome], width: int) -> str | None:
    lines = []
    if hidden:
        names = [e.source for e in hidden]
        lines.append(f"{len(names)} more active: " + _fold(names, width - 20))
    if idle:
        lines.append(f"{len(idle)} idle: " + _fold(idle, width - 12))
    return "\n".join(lines) or None


def outcome_json(outcome: CrawlOutcome, fail_on: float | None = None) -> dict[str, Any]:
    """The summary as JSON (`status --check --json`)."""
    return {
        "exit_code": outcome.exit_code(fail_on),
        "verdict": outcome.verdict(fail_on),
        "stored": outcome.stored,
        "spooled": outcome.spooled,
        "refused": outcome.refused,
        "failed": outcome.failed,
        "fatal": outcome.fatal,
        "sources": {
            key: {
                "spider": e.spider,
                "pages": e.pages,
                "items": e.items,
                "stored": e.stored,
                "spooled": e.spooled,
                "refused": e.refused,
                "failed": e.failed_total,
                "failed_by_reason": dict(e.failed),
                "cause": e.cause() or None,
                "paused": e.paused,
                "pause_reason": e.pause_reason,
                "paused_until": e.paused_until,
            }
            for key, e in sorted(outcome.sources.items())
        },
    }
