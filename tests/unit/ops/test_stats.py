"""The crawl's stats collector keeps exactly what Scrapy's in-memory one keeps, and is
the one a crawl built from the project's settings uses."""

from __future__ import annotations

import random

import scrapy
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.misc import load_object
from scrapy.utils.test import get_crawler

from yuqing_spiders.ops.runtime import project_settings
from yuqing_spiders.ops.stats import DirectStatsCollector


def test_the_same_updates_give_the_same_stats_as_scrapys_collector() -> None:
    crawler = get_crawler(scrapy.Spider)
    ours, scrapys = DirectStatsCollector(crawler), MemoryStatsCollector(crawler)
    pick = random.Random(13)
    for step in range(5_000):
        key = f"k/{pick.randrange(40)}"
        value = pick.randrange(-50, 50)
        action = pick.choice(["inc", "inc_start", "max", "min", "set", "get"])
        for stats in (ours, scrapys):
            if action == "inc":
                stats.inc_value(key, value)
            elif action == "inc_start":
                stats.inc_value(key, 1, start=value)
            elif action == "max":
                stats.max_value(key, value)
            elif action == "min":
                stats.min_value(key, value)
            elif action == "set":
                stats.set_value(key, value)
        assert ours.get_value(key, step) == scrapys.get_value(key, step)
    assert ours.get_stats() == scrapys.get_stats()
    assert len(ours.get_stats()) == 40


def test_closing_keeps_the_crawls_stats_as_scrapy_does() -> None:
    crawler = get_crawler(scrapy.Spider, {"STATS_DUMP": False})
    crawler.spider = scrapy.Spider("closing")
    stats = DirectStatsCollector(crawler)
    stats.open_spider()
    stats.inc_value("item_scraped_count", 3)
    stats.close_spider(reason="finished")
    assert stats.spider_stats == {"closing": {"item_scraped_count": 3}}


def test_the_project_settings_choose_it() -> None:
    assert load_object(project_settings("local")["STATS_CLASS"]) is DirectStatsCollector
