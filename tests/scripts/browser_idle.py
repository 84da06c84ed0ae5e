"""A crawl in its own process: a page rendered, a quiet spell, another page rendered.

Usage: python tests/scripts/browser_idle.py REPLAY_URL OUT_JSON
The plain request between the two pages is answered late (a replay fault), longer
than BROWSER_IDLE_CLOSE, so the browser must close in between and start again.
Writes the crawl stats and whether the browser was up at each step.
"""

from __future__ import annotations

import json
import sys

import scrapy
from scrapy.crawler import CrawlerProcess

from yuqing_spiders.ops.runtime import project_settings

SEEN: list[dict] = []


class IdleSpider(scrapy.Spider):
    name = "browser_idle_check"

    async def start(self):
        yield scrapy.Request("https://news.js-example.cn/list/", meta={"playwright": True})

    def _handler(self):
        return self.crawler.engine.downloader.handlers._get_handler("https")

    def parse(self, response):
        SEEN.append({"step": "rendered", "launched": self._handler().launched})
        if len(SEEN) == 1:
            yield scrapy.Request("http://news.js-example.cn/slow.html", callback=self.quiet)

    def quiet(self, response):
        SEEN.append({"step": "after_quiet", "launched": self._handler().launched})
        yield scrapy.Request(
            "https://news.js-example.cn/list/", meta={"playwright": True}, dont_filter=True
        )


def main() -> None:
    replay_url, out = sys.argv[1], sys.argv[2]
    settings = project_settings("local", replay_url=replay_url)
    settings.set("ITEM_PIPELINES", {}, priority="cmdline")
    settings.set("BROWSER_IDLE_CLOSE", 1.0, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(IdleSpider)
    process.crawl(crawler)
    process.start()
    stats = {k: v for k, v in crawler.stats.get_stats().items() if isinstance(v, int)}
    with open(out, "w", encoding="utf-8") as fh:
        json.dump({"seen": SEEN, "stats": stats}, fh)


if __name__ == "__main__":
    main()
