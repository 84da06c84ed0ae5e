"""Per-source counters in the crawler's stats: pages answered and items scraped.

A spider can serve several sources (the Discuz boards, the 12345-style boards), and
Scrapy's own counters are per crawler, so the live table, the end-of-run summary
and `crawl_stats` read these instead. Failed requests are counted per source by the
spiders' errback (``spiders/_base/spider.py``) under the same prefix:

``yuqing/source/<source>/pages``            responses received
``yuqing/source/<source>/items``            items that passed every pipeline
``yuqing/source/<source>/failed/<reason>``  requests given up, by reason
``yuqing/source/<source>/failed_host/<reason>``  the host of the latest such request

Stored, spooled and refused documents are counted by the writer, per source, under
``mongo/stored|spooled|refused/<source>``: "stored" means MongoDB acknowledged it.

Items a pipeline raised on count as failed with reason ``item_<Exception>``, pages a
callback raised on as ``parse_<Exception>``: both lose data as surely as a request
that was never answered.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self
from urllib.parse import urlsplit

from itemadapter import ItemAdapter
from scrapy import signals

from yuqing_spiders.model.items import OpinionItem
from yuqing_spiders.model.meta import SOURCE

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.http import Response

PREFIX = "yuqing/source/"
# What the Mongo writer (store/writer.py) did per source, once MongoDB acknowledged a
# batch or the spool took it: ``mongo/stored/<source>``, ``mongo/spooled/<source>``,
# ``mongo/refused/<source>`` (refused for good, kept in the spool's rejected folder).
STORED_PREFIX = "mongo/stored/"
WRITER_PREFIXES = (STORED_PREFIX, "mongo/spooled/", "mongo/refused/")


def source_key(spider: Spider, meta: dict[str, Any] | None = None) -> str:
    """The source a request or item belongs to: its meta, else the spider's own."""
    if meta and meta.get(SOURCE):
        return str(meta[SOURCE])
    source = getattr(spider, "source", None)
    return str(getattr(source, "key", None) or spider.name)


def item_value(item: Any, name: str) -> Any:
    """`ItemAdapter(item).get(name)`. The spiders' own item is read by attribute, as its
    adapter would read it: ItemAdapter looks for the adapter of every item anew, a few
    µs an item on every signal that reads one (issue 13)."""
    if type(item) is OpinionItem:
        return getattr(item, name, None)
    return ItemAdapter(item).get(name)


def pages_key(source: str) -> str:
    return f"{PREFIX}{source}/pages"


def items_key(source: str) -> str:
    return f"{PREFIX}{source}/items"


def failed_key(source: str, reason: str) -> str:
    return f"{PREFIX}{source}/failed/{reason}"


def failed_host_key(source: str, reason: str) -> str:
    return f"{PREFIX}{source}/failed_host/{reason}"


class SourceCountsExtension:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        extension = cls(crawler)
        crawler.signals.connect(extension.response_received, signal=signals.response_received)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(extension.item_error, signal=signals.item_error)
        crawler.signals.connect(extension.spider_error, signal=signals.spider_error)
        return extension

    def response_received(self, response: Response, request: Request, spider: Spider) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(pages_key(source_key(spider, request.meta)))

    def item_scraped(self, item: Any, spider: Spider) -> None:
        source = item_value(item, "source") or source_key(spider)
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(items_key(str(source)))

    def item_error(self, item: Any, response: Response, spider: Spider, failure: Any) -> None:
        source = ItemAdapter(item).get("source") or source_key(spider)
        self._failed(str(source), f"item_{failure.type.__name__}", response)

    def spider_error(self, failure: Any, response: Response, spider: Spider) -> None:
        source = source_key(spider, response.meta if response.request is not None else None)
        self._failed(source, f"parse_{failure.type.__name__}", response)

    def _failed(self, source: str, reason: str, response: Response | None) -> None:
        if self.crawler.stats is None:
            return
        self.crawler.stats.inc_value(failed_key(source, reason))
        if response is not None:
            host = urlsplit(response.url).hostname or "?"
            self.crawler.stats.set_value(failed_host_key(source, reason), host)
