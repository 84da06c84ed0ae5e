"""The warm-up extension loads the analysis data when a spider opens and takes it out
of the garbage collector's sight; it stays off when asked or when analysis is off."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
import scrapy
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from yuqing_spiders.analysis import tokens
from yuqing_spiders.analysis.rules_stage import rule_store
from yuqing_spiders.ops.warmup import AnalysisWarmupExtension


@pytest.fixture
def collector() -> Iterator[None]:
    """The test process's collector as it was, afterwards."""
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def test_opening_a_spider_loads_the_analysis_and_freezes_it(collector: None) -> None:
    crawler = get_crawler(scrapy.Spider, {"ANALYSIS_GC_THRESHOLD": 5000})
    extension = AnalysisWarmupExtension.from_crawler(crawler)
    gc.unfreeze()
    extension.spider_opened(scrapy.Spider("warm"))
    assert tokens._tokenizer is not None  # the segmenter is loaded
    sentiment = rule_store(crawler.settings).get().sentiment
    assert sentiment._scoring is not None
    assert set(sentiment._scoring._heads) == {"general", "social", "review"}
    frozen = crawler.stats.get_value("warmup/frozen")
    assert frozen > 50_000
    assert gc.get_freeze_count() > 50_000  # the loaded data, out of the collector's sight
    assert crawler.stats.get_value("warmup/seconds") >= 0
    assert gc.get_threshold()[0] == 5000


@pytest.mark.parametrize("off", ["ANALYSIS_WARMUP", "ANALYSIS_ENABLED"])
def test_it_stays_off_when_asked_or_without_analysis(off: str) -> None:
    with pytest.raises(NotConfigured, match=off):
        AnalysisWarmupExtension.from_crawler(get_crawler(scrapy.Spider, {off: False}))
