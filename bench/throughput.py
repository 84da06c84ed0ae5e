"""Throughput of the full crawl path against a bare fetch-only spider, in one run.

Builds N people.com.cn-style article pages (GBK, the real template of the fixtures)
and a channel page linking them, serves them from the replay server in its own
process, then crawls them twice: a bare Scrapy spider that only fetches the pages,
and the real `people` spider with every middleware and pipeline into MongoDB. Prints
pages/s for each and, last, `ratio: R` (full / bare).

    python bench/throughput.py [--articles 300] [--concurrency 16]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from yuqing_spiders.replay import sitegen  # noqa: E402

HOST = sitegen.HOST


def build_site(root: Path, count: int) -> list[str]:
    """N article pages cloned from a real-template fixture, plus a list page for each run."""
    return sitegen.build_site(root, count, lists=("bench-bare", "bench-full"))


def start_replay(root: Path) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "yuqing_spiders.replay.server", "--fixtures", str(root)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    line = proc.stdout.readline().strip()
    return proc, line.rsplit(" ", 1)[-1]


def crawl(work: Path, replay_url: str, concurrency: int) -> dict[str, float]:
    """Both crawls in one Scrapy process, one after the other; pages/s for each."""
    import scrapy
    from scrapy.crawler import CrawlerProcess

    from spiders.people.spider import PeopleSpider
    from yuqing_spiders.ops.runtime import project_settings

    class BareSpider(scrapy.Spider):
        name = "bare"
        custom_settings = {"ITEM_PIPELINES": {}, "DOWNLOADER_MIDDLEWARES": {}}

        async def start(self):
            yield scrapy.Request(f"http://{HOST}/GB/bench-bare/")

        def parse(self, response):
            for href in response.css("div.ej_list_box a::attr(href)").getall():
                yield response.follow(href, self.fetched)

        def fetched(self, response):
            return None

    sources = work / "sources.yaml"
    sources.write_text(
        f"sources:\n  people:\n    name: 人民网\n    platform: news\n"
        f"    start_urls: [http://{HOST}/GB/bench-full/]\n"
    )
    settings = project_settings("local", replay_url=replay_url)
    settings.setdict(
        {
            "YUQING_SOURCES_FILE": str(sources),
            "LOG_LEVEL": os.environ.get("BENCH_LOG", "WARNING"),
            "AUTOTHROTTLE_ENABLED": False,
            "DOWNLOAD_DELAY": 0,
            "CONCURRENT_REQUESTS": concurrency,
            "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
        },
        priority="cmdline",
    )
    process = CrawlerProcess(settings)
    bare, full = process.create_crawler(BareSpider), process.create_crawler(PeopleSpider)
    done = process.crawl(bare)
    done.addCallback(lambda _: process.crawl(full))
    process.start()
    return {name: pages_per_second(c) for name, c in (("bare", bare), ("full", full))}


def pages_per_second(crawler) -> float:
    stats = crawler.stats.get_stats()
    seconds = (stats["finish_time"] - stats["start_time"]).total_seconds()
    return stats.get("response_received_count", 0) / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    from yuqing_spiders.ops.services import EmbeddedServices

    with tempfile.TemporaryDirectory(prefix="yuqing-bench-") as tmp:
        work = Path(tmp)
        build_site(work / "web", args.articles)
        os.environ["MONGO_DATABASE"] = "yuqing_bench"
        with EmbeddedServices(work / "services"):
            replay, url = start_replay(work / "web")
            try:
                rates = crawl(work, url, args.concurrency)
            finally:
                replay.terminate()
                replay.wait()
    print(f"articles: {args.articles} (+1 list page each run), concurrency {args.concurrency}")
    print(f"bare fetch:    {rates['bare']:.1f} pages/s")
    print(f"full pipeline: {rates['full']:.1f} pages/s")
    print(f"ratio: {rates['full'] / rates['bare']:.2f}")


if __name__ == "__main__":
    main()
