"""A crawl of local pages through the proxy pool, in its own process (plain HTTP, no replay).

Usage: python tests/scripts/proxy_crawl.py ORIGIN_URL COUNT OUT_JSON SETTINGS_JSON
Fetches ORIGIN_URL/item/1..COUNT; writes the stats and which pages arrived.
"""

from __future__ import annotations

import json
import sys
from collections.abc import AsyncIterator
from typing import Any

import scrapy
from scrapy.crawler import CrawlerProcess

from yuqing_spiders.ops.runtime import project_settings

PAGES: list[str] = []


class ItemsSpider(scrapy.Spider):
    name = "proxy_check"

    def __init__(self, origin: str, count: int, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.origin, self.count = origin, count

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for n in range(1, self.count + 1):
            yield scrapy.Request(f"{self.origin}/item/{n}", dont_filter=True)

    def parse(self, response: scrapy.http.Response) -> None:
        PAGES.append(response.url)


def main() -> None:
    origin, count, out, overrides = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    settings = project_settings("test")  # no YUQING_REPLAY_URL: real HTTP to 127.0.0.1
    for name, value in json.loads(overrides).items():
        settings.set(name, value, priority="cmdline")
    settings.set("ITEM_PIPELINES", {}, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(ItemsSpider)
    process.crawl(crawler, origin=origin, count=count)
    process.start()
    stats = {k: v for k, v in crawler.stats.get_stats().items() if isinstance(v, int | str)}
    with open(out, "w", encoding="utf-8") as handle:
        json.dump({"stats": stats, "pages": PAGES}, handle)


if __name__ == "__main__":
    main()
