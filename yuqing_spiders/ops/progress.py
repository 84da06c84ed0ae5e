"""A live table of pages, items and errors per source while crawlers run."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.live import Live
from rich.table import Table
from twisted.internet import task

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


def crawler_counts(crawler: Crawler) -> dict[str, int]:
    stats = crawler.stats.get_stats() if crawler.stats else {}
    failed = sum(v for k, v in stats.items() if k.startswith("yuqing/request_failed/"))
    return {
        "pages": stats.get("response_received_count", 0),
        "items": stats.get("item_scraped_count", 0),
        "stored": stats.get("mongo/inserted", 0)
        + stats.get("mongo/updated", 0)
        + stats.get("mongo/unchanged", 0),
        "incomplete": stats.get("items/incomplete", 0),
        "spooled": stats.get("mongo/spooled_items", 0),
        "errors": failed + stats.get("log_count/ERROR", 0),
    }


def counts_table(crawlers: list[Crawler], title: str = "yuqing") -> Table:
    table = Table(title=title)
    columns = ("pages", "items", "stored", "incomplete", "spooled", "errors")
    table.add_column("source")
    for column in columns:
        table.add_column(column, justify="right")
    for crawler in crawlers:
        counts = crawler_counts(crawler)
        name = crawler.spider.name if crawler.spider else "?"
        table.add_row(name, *(str(counts[c]) for c in columns))
    return table


class ProgressDisplay:
    """Redraws the table twice a second from the crawlers' own stats."""

    def __init__(self, crawlers: list[Crawler], console: Console | None = None) -> None:
        self.crawlers = crawlers
        self.live = Live(counts_table(crawlers), console=console, refresh_per_second=4)
        self._loop = task.LoopingCall(self._refresh)

    def _refresh(self) -> None:
        self.live.update(counts_table(self.crawlers))

    def start(self) -> None:
        self.live.start()
        self._loop.start(0.5, now=False)

    def stop(self) -> None:
        if self._loop.running:
            self._loop.stop()
        self._refresh()
        self.live.stop()
