"""One crawl of the weibo spider in its own process, against a replay server.

Usage: python tests/scripts/weibo_crawl.py REPLAY_URL OUT_JSON SETTINGS_JSON
REDIS_URL, MONGO_URI and MONGO_DATABASE come from the environment; SETTINGS_JSON
overrides settings (the test overlay is the base). Writes the crawl's stats.
"""

from __future__ import annotations

import json
import sys

from scrapy.crawler import CrawlerProcess

from yuqing_spiders.ops.runtime import project_settings


def main() -> None:
    replay_url, out, overrides = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    settings = project_settings("test", replay_url=replay_url)
    for name, value in overrides.items():
        settings.set(name, value, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler("weibo")
    process.crawl(crawler)
    process.start()
    stats = {k: v for k, v in crawler.stats.get_stats().items() if isinstance(v, int | float | str)}
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(stats, handle, ensure_ascii=False)


if __name__ == "__main__":
    main()
