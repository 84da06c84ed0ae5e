"""A crawl in its own process: one page rendered in chromium, one fetched plainly.

Usage: python tests/scripts/browser_crawl.py REPLAY_URL OUT_JSON
Writes what the spider saw (URLs, rendered links, plain body) and the crawl stats.
"""

from __future__ import annotations

import json
import sys

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy_playwright.page import PageMethod

from yuqing_spiders.ops.runtime import project_settings

RESULT: dict = {}


class RenderSpider(scrapy.Spider):
    name = "render_check"

    async def start(self):
        # Wait for the script to fill the list, as a spider for a JS-rendered list does.
        wait = PageMethod("wait_for_selector", "#list a")
        yield scrapy.Request(
            "https://news.js-example.cn/list/",
            meta={"playwright": True, "playwright_page_methods": [wait]},
        )
        yield scrapy.Request("http://news.js-example.cn/plain.html", callback=self.plain)

    def parse(self, response):
        RESULT["rendered_url"] = response.url
        RESULT["links"] = response.css("#list a::attr(href)").getall()
        RESULT["titles"] = response.css("#list a::text").getall()

    def plain(self, response):
        RESULT["plain_url"] = response.url
        RESULT["plain_has_list"] = bool(response.css("#list a"))


def main() -> None:
    replay_url, out = sys.argv[1], sys.argv[2]
    settings = project_settings("local", replay_url=replay_url)
    settings.set("ITEM_PIPELINES", {}, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(RenderSpider)
    process.crawl(crawler)
    process.start()
    stats = {k: v for k, v in crawler.stats.get_stats().items() if isinstance(v, int)}
    with open(out, "w", encoding="utf-8") as fh:
        json.dump({"result": RESULT, "stats": stats}, fh, ensure_ascii=False)


if __name__ == "__main__":
    main()
