"""The live table while crawlers run, and the outcome they leave behind.

Counts are per source (``yuqing/source/...`` stats, ops/source_counts.py), never the
process-wide ``log_count/ERROR`` that every crawler of a process shares. Paused
sources show their reason and when the pause ends (the cool-down keys in Redis).
"""

from __future__ import annotations

import contextlib
import time
from typing import TYPE_CHECKING, Any

import redis
from rich.console import Console
from rich.live import Live
from rich.table import Table
from twisted.internet import task

from yuqing_spiders.ops.status import read_pauses
from yuqing_spiders.ops.summary import (
    CrawlOutcome,
    apply_pauses,
    outcome_from_stats,
    outcome_table,
)

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

FAILED_PREFIX = "yuqing/request_failed/"


def crawler_counts(crawler: Crawler) -> dict[str, int]:
    """One crawler's totals (the heartbeat's per-spider counts); `errors` are this
    crawler's failed requests only."""
    stats = crawler.stats.get_stats() if crawler.stats else {}
    failed = sum(v for k, v in stats.items() if k.startswith(FAILED_PREFIX))
    return {
        "pages": stats.get("response_received_count", 0),
        "items": stats.get("item_scraped_count", 0),
        "stored": stats.get("mongo/inserted", 0)
        + stats.get("mongo/updated", 0)
        + stats.get("mongo/unchanged", 0),
        "incomplete": stats.get("items/incomplete", 0),
        "spooled": stats.get("mongo/spooled_items", 0),
        "errors": failed,
    }


def _spider_name(crawler: Crawler) -> str:
    spider = crawler.spider
    return spider.name if spider is not None else str(getattr(crawler.spidercls, "name", "?"))


def _sources_of(crawler: Crawler) -> list[str]:
    return list(getattr(crawler.spider, "sources", None) or {})


def crawl_outcome(
    crawlers: list[Crawler], client: redis.Redis | None = None, *, interrupted: bool = False
) -> CrawlOutcome:
    """Every source of these crawlers; with a Redis client, pauses with their end."""
    stats = {_spider_name(c): c.stats.get_stats() if c.stats else {} for c in crawlers}
    outcome = outcome_from_stats(stats, {_spider_name(c): _sources_of(c) for c in crawlers})
    outcome.interrupted = interrupted
    if client is not None:
        keys = _pause_keys(crawlers, outcome)
        # Redis away: a table without the pauses' end times beats no table.
        with contextlib.suppress(redis.RedisError):
            apply_pauses(outcome, read_pauses(client, keys, time.time()))
    return outcome


def _pause_keys(crawlers: list[Crawler], outcome: CrawlOutcome) -> dict[str, str]:
    """Cool-down keys of the sources that skipped pages (only those: one call each)."""
    keys: dict[str, str] = {}
    for crawler in crawlers:
        spider: Any = crawler.spider
        if spider is None:
            continue
        skipped = [s for s in _sources_of(crawler) if s in outcome.sources]
        skipped = [s for s in skipped if outcome.sources[s].skipped]
        engine = getattr(spider, "engine", None)
        if engine and skipped:
            template = crawler.settings.get("SEARCH_COOLDOWN_KEY")
            if template:
                keys.update({s: template % {"engine": engine} for s in skipped})
                continue
        template = crawler.settings.get("BLOCK_BACKOFF_KEY")
        if template:
            keys.update({s: template % {"engine": s} for s in skipped})
    return keys


class ProgressDisplay:
    """Redraws the table twice a second from the crawlers' own stats."""

    def __init__(
        self,
        crawlers: list[Crawler],
        console: Console | None = None,
        client: redis.Redis | None = None,
    ) -> None:
        self.crawlers = crawlers
        self.console = console or Console(stderr=True)
        self.client = client
        self._ticks = 0
        self._pauses: dict[str, tuple[str, float]] = {}
        # Transient: the end-of-run summary replaces the live table.
        self.live = Live(self._table(), console=self.console, refresh_per_second=2, transient=True)
        self._loop = task.LoopingCall(self._refresh)

    def _table(self) -> Table:
        # Pauses are read every 10th redraw (5 s): a cool-down lasts minutes.
        client = self.client if self._ticks % 10 == 0 else None
        outcome = crawl_outcome(self.crawlers, client)
        if client is None:
            apply_pauses(outcome, self._pauses)
        else:
            self._pauses = {
                k: (e.pause_reason or "", e.paused_until)
                for k, e in outcome.sources.items()
                if e.paused_until
            }
        height = self.console.size.height
        return outcome_table(
            outcome,
            title="yuqing — live",
            max_rows=max(3, height - 10),
            width=self.console.size.width,
            wrap_notes=False,
        )

    def _refresh(self) -> None:
        self._ticks += 1
        self.live.update(self._table())

    def start(self) -> None:
        self.live.start()
        self._loop.start(0.5, now=False)

    def stop(self) -> None:
        if self._loop.running:
            self._loop.stop()
        self.live.stop()
