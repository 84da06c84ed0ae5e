"""City 问政 boards configured in sources.yaml (`spider: gov_board`), e.g. 南昌 12345.

Each source's `board:` block says where rows, links and fields are
(parse.py). List pages are re-read every tick, up to `max_list_pages`;
message pages are fetched every tick too while their row shows them unfinished, so a
change of state (待回复 → 办理中 → 已办理) becomes a new metrics point, and once
when finished (the dupefilter).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Self

import scrapy

from spiders._base.guarded import GuardedSpider
from spiders._base.spider import referer, text_response
from spiders._base.wenzheng import DONE, normalise_status
from spiders.gov_board import parse as gov_board
from yuqing_spiders.model.meta import LIST_PAGE, SOURCE

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response

    from yuqing_spiders.model.items import OpinionItem


class GovBoardSpider(GuardedSpider):
    name = "gov_board"
    option_keys = frozenset({"keywords", "board"})

    boards: dict[str, gov_board.BoardConfig]  # by source key, read once in from_crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        # A broken board block fails the start, loudly, not every page of the crawl.
        spider.boards = {
            key: gov_board.BoardConfig.from_options(key, source.options)
            for key, source in spider.sources.items()
        }
        return spider

    def parse(self, response: Response, **_: Any) -> Iterator[scrapy.Request]:
        """A list page: its messages, then the next list page."""
        response = text_response(response)
        source = self.source_of(response)
        board = self.boards[source.key]
        page = gov_board.parse_list(response, board)
        self.count(source, "list_pages")
        if not page.rows:
            self.count(source, "list_pages_empty")
        for row in page.rows:
            unfinished = normalise_status(row.status) != DONE
            yield scrapy.Request(
                row.url,
                callback=self.parse_article,
                errback=self.on_error,
                dont_filter=unfinished,
                meta={SOURCE: source.key, "row_status": row.status},
            )
        number = response.meta.get(LIST_PAGE, 1)
        if page.next_page and number < source.max_list_pages and not self.paused(source):
            yield scrapy.Request(
                page.next_page,
                callback=self.parse,
                errback=self.on_error,
                dont_filter=True,
                meta={SOURCE: source.key, LIST_PAGE: number + 1},
            )

    def parse_article(self, response: Response) -> Iterator[OpinionItem]:
        """A message page (also the callback of refresh seeds)."""
        response = text_response(response)
        source = self.source_of(response)
        item = gov_board.parse_message(
            response, self.boards[source.key], source.key, response.meta.get("row_status")
        )
        item.media.name = source.name
        item.found_on = referer(response)
        self.count(source, "messages")
        yield item
