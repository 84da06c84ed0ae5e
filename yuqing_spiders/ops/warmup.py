"""Load the analysis data when a spider opens, then freeze it out of the garbage collector.

The analysis stages load large, long-lived data on first use: jieba's dictionary
(350,000 words), the sentiment weights, the gazetteer of every place in China and
the risk and department automatons. Left to the first item, that item waits for
them; and every full collection of Python's cyclic garbage collector then walks
their ~120,000 container objects again (bench/throughput.py measured collections at
1.4 ms per item, issue 13). `gc.freeze()` moves everything
alive at that moment into a generation the collector never scans. The data lives as
long as the process, so freezing it loses nothing; a reloaded rules file (analysis
rules are re-read when edited) is freed by reference counting like any object.

Then the young generation is collected every ANALYSIS_GC_THRESHOLD container
allocations instead of Python's 700: an item allocates a few hundred, so the default
ran a collection every second item, each walking the survivors of the last; at
10,000 garbage collection fell from 0.35 to 0.2 ms per item.

Before the process's first freeze only the young generations are collected: a full
collection there walked the ~300,000 objects just loaded (0.13-0.19 s CPU, the largest
part of the warm-up outside the sentiment model) and found 30-36 objects of garbage
(the reference cycles of importlib.metadata lookups) in `yuqing run`, which now stay
frozen; so would what an earlier crawl of the same process without a warm-up left in
the old generation (bench/throughput.py's bare crawl), once. Later freezes (every
further spider of a worker, a later crawl in the same process) collect in full: the
loaded data is frozen by then, so that pass is short, and it keeps what an earlier
crawl left from being frozen for good.

Counted: `warmup/seconds` (one-off, per process) and `warmup/frozen` (objects moved
out of the collector's sight by the process's first warm-up).
"""

from __future__ import annotations

import gc
import logging
import time
from typing import TYPE_CHECKING, Self

from scrapy import signals
from scrapy.exceptions import NotConfigured

if TYPE_CHECKING:
    from scrapy import Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class AnalysisWarmupExtension:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("ANALYSIS_WARMUP", True):
            raise NotConfigured("ANALYSIS_WARMUP is off")
        if not settings.getbool("ANALYSIS_ENABLED", True):
            raise NotConfigured("ANALYSIS_ENABLED is off: nothing to load")
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        started = time.perf_counter()
        try:
            load_analysis_data(self.crawler)
        except Exception as error:  # the stages load on first use and report it there
            logger.warning("analysis data not loaded at start (%s); loaded on first use", error)
            self.crawler.stats.inc_value("warmup/failed")
            return
        frozen = FREEZER.freeze()
        young = self.crawler.settings.getint("ANALYSIS_GC_THRESHOLD", 10_000)
        if young > 0:
            _, older, oldest = gc.get_threshold()
            gc.set_threshold(young, older, oldest)
        seconds = time.perf_counter() - started
        self.crawler.stats.set_value("warmup/seconds", round(seconds, 3))
        self.crawler.stats.set_value("warmup/frozen", frozen)
        logger.info("analysis data loaded in %.2f s; %d objects frozen", seconds, frozen)


class Freezer:
    """`gc.freeze()` for the warm-ups of one process (a worker runs one per spider)."""

    def __init__(self) -> None:
        # Objects frozen by the first warm-up, counted then only: gc.get_freeze_count()
        # walks every frozen object (23 ms at 300,000), and a worker hosts ~50 spiders.
        self.frozen: int | None = None

    def freeze(self) -> int:
        """Collect what should not be kept forever, freeze the rest; the count frozen."""
        if self.frozen is None:
            # A full pass cost 0.13-0.19 s for 30-36 objects here (module docstring).
            gc.collect(1)
            gc.freeze()
            self.frozen = gc.get_freeze_count()
        else:
            # The analysis data is frozen already: a full pass walks only what came since.
            gc.collect()
            gc.freeze()
        return self.frozen


FREEZER = Freezer()


def load_analysis_data(crawler: Crawler) -> None:
    """What the analysis stages would load on their first item."""
    from yuqing_spiders.analysis import tokens
    from yuqing_spiders.analysis.rules_stage import rule_store

    rules = rule_store(crawler.settings).get()
    rules.sentiment.load()
    tokens.tokenizer()
