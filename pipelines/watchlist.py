"""Mark every opinion with the watch-list rules it matches (settings/watchlist.yaml).

Run on every item, whichever spider found it, so an article stored by a portal list
and found again by a search (or the reverse) carries the same `watch` and keywords
whichever crawl wrote it last. The search spiders use the same matcher to decide
whether a result was a false positive at all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from yuqing_spiders.analysis.watchlist import Watchlist, load_watchlist
from yuqing_spiders.model.items import OpinionItem

if TYPE_CHECKING:
    from scrapy.crawler import Crawler


class WatchlistPipeline:
    def __init__(self, crawler: Crawler, watchlist: Watchlist) -> None:
        self.stats = crawler.stats
        self.watchlist = watchlist

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler, load_watchlist(crawler.settings["YUQING_WATCHLIST_FILE"]))

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, OpinionItem):
            return item
        item.watch = self.watchlist.match("\n".join(filter(None, (item.title, item.content))))
        terms = [term for match in item.watch for term in match.terms]
        item.keywords = list(dict.fromkeys([*item.keywords, *terms]))
        self.stats.inc_value("watchlist/matched" if item.watch else "watchlist/unmatched")
        for match in item.watch:
            self.stats.inc_value(f"watchlist/rule/{match.rule}")
        return item
