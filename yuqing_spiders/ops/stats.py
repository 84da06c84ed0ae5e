"""The crawl's stats collector: Scrapy's in-memory one without its per-access shim.

Scrapy 2.19's ``StatsCollector.__getattribute__`` wraps every attribute read to warn
about the deprecated ``spider`` argument: each read builds a ``_cached_<name>`` string
and, for plain attributes such as ``_stats``, raises and catches an AttributeError.
One ``inc_value`` then costs ~1.5 µs instead of ~0.1 µs, and a stored item passes
~125 stats updates through the middlewares, stages and writer (bench/throughput.py,
issue 13). This class restores ordinary attribute access; the methods, their
arguments and the stats they keep are Scrapy's own. Only the deprecation warning for
passing ``spider=`` is lost, and yuqing never passes it.
"""

from __future__ import annotations

from scrapy.statscollectors import MemoryStatsCollector


class DirectStatsCollector(MemoryStatsCollector):
    """MemoryStatsCollector with plain attribute access (STATS_CLASS)."""

    __getattribute__ = object.__getattribute__
