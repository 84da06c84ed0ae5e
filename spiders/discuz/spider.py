"""Discuz! boards configured in sources.yaml (`spider: discuz`): 大江论坛 and the like.

One spider for every Discuz source: `start_urls` are the boards' first pages
(`forum-<fid>-1.html`), `thread_url` the source's thread template (`{tid}`, `{page}`).
Board pages are followed up to `max_list_pages`, each thread's pages up to
`max_thread_pages`. A thread is an item (replies and views in its metrics), floors 2+
are CommentItems. Sticky board notices are skipped unless `skip_sticky: false`; a
"no permission" / "log in" notice is counted, never parsed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import scrapy

from spiders._base.guarded import GuardedSpider
from spiders._base.spider import text_response
from spiders.discuz import parse as discuz
from yuqing_spiders.model.meta import LIST_PAGE, SOURCE

if TYPE_CHECKING:
    from scrapy.http import Response

    from yuqing_spiders.model.items import CommentItem, OpinionItem
    from yuqing_spiders.model.sources import SourceConfig


def _thread_template(source: SourceConfig) -> str:
    return str(source.options.get("thread_url") or "thread-{tid}-{page}-1.html")


class DiscuzSpider(GuardedSpider):
    name = "discuz"
    option_keys = frozenset({"keywords", "max_thread_pages", "thread_url", "skip_sticky"})

    def parse(self, response: Response, **_: Any) -> Iterator[scrapy.Request]:
        """A board page: its threads, then the next board page."""
        response = text_response(response)
        source = self.source_of(response)
        notice = discuz.restriction(response)
        if notice and not response.css("tbody[id^=normalthread_]"):
            self.count(source, "board_restricted")
            self.say_once(
                source, "board", "%s: board %s refused: %s", source.key, response.url, notice
            )
            return
        template = response.urljoin(_thread_template(source))
        page = discuz.parse_board(response, template)
        self.count(source, "board_pages")
        self.count_record_errors(page.threads, source.key)
        skip_sticky = source.options.get("skip_sticky", True)
        for row in page.threads:
            if row.sticky and skip_sticky:
                self.count(source, "sticky_skipped")
                continue
            meta = {**row.to_meta(), "board": page.board}
            yield scrapy.Request(
                row.url,
                callback=self.parse_article,
                errback=self.on_error,
                meta={SOURCE: source.key, "row": meta, "template": template},
            )
        number = response.meta.get(LIST_PAGE, 1)
        if page.next_page and number < source.max_list_pages and not self.paused(source):
            yield response.follow(
                page.next_page,
                self.parse,
                errback=self.on_error,
                dont_filter=True,
                meta={SOURCE: source.key, LIST_PAGE: number + 1},
            )

    def parse_article(
        self, response: Response
    ) -> Iterator[OpinionItem | CommentItem | scrapy.Request]:
        """A thread page (also the callback of refresh seeds for stored threads)."""
        response = text_response(response)
        source = self.source_of(response)
        notice = discuz.restriction(response)
        if notice and not response.css("#postlist"):
            self.count(source, "threads_restricted")
            self.say_once(
                source, "thread", "%s: thread %s refused: %s", source.key, response.url, notice
            )
            return
        template = response.meta.get("template") or response.urljoin(_thread_template(source))
        thread = discuz.parse_thread(response, source.key, template, response.meta.get("row"))
        if thread.item is not None:
            self.count(source, "threads")
            yield thread.item
        self.count(source, "floors", len(thread.floors))
        yield from thread.floors
        limit = int(source.options.get("max_thread_pages", 3))
        if thread.next_page and thread.page < limit:
            yield response.follow(
                thread.next_page,
                self.parse_article,
                errback=self.on_error,
                meta={SOURCE: source.key, "template": template},
            )
