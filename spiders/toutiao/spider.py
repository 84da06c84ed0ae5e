"""今日头条 keyword search and its articles (parse.py has the page facts).

Per tick: the home page (its ordinary cookies: ttwid, tt_webid, s_v_web_id), then one
search per term, paged with page 0's `search_id` up to `max_list_pages`. An empty
bootstrap shell is asked for once more. Article pages come with the first visit's
cookies; one that answers with the JS challenge is rendered once in chromium
(`TOUTIAO_BROWSER_FALLBACK`), which runs the challenge script. A challenge that
stays is a block (counted, the source pauses) and the item is kept from its search
card, stored incomplete.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import scrapy

from spiders._base.guarded import GuardedSpider
from spiders._base.spider import text_response
from spiders.toutiao import parse as toutiao
from yuqing_spiders.model.meta import LIST_PAGE, SOURCE

if TYPE_CHECKING:
    from scrapy.http import Response

    from yuqing_spiders.model.items import OpinionItem


class ToutiaoSpider(GuardedSpider):
    name = "toutiao"
    allowed_domains = ["toutiao.com", "bytescm.com"]

    def parse(self, response: Response, **_: Any) -> Iterator[scrapy.Request]:
        """The home page (a first visit's cookies), then one search per term."""
        source = self.source_of(response)
        for term in self.search_terms(source):
            if self.paused(source):
                return
            yield self._search(source.key, term, 0, None)

    def _search(
        self, source: str, term: str, page: int, search_id: str | None, retried: bool = False
    ) -> scrapy.Request:
        return scrapy.Request(
            toutiao.search_url(term, page, search_id),
            callback=self.parse_search,
            errback=self.on_error,
            dont_filter=True,
            meta={SOURCE: source, "term": term, LIST_PAGE: page, "retried": retried},
        )

    def parse_search(self, response: Response) -> Iterator[scrapy.Request]:
        """A result page: its article cards, then page n+1 with the same search id."""
        response = text_response(response)
        source = self.source_of(response)
        meta = response.meta
        if toutiao.is_challenge(response):
            self.blocked(response, source, "js_challenge")
            return
        if toutiao.is_shell(response):
            if meta["retried"]:
                self.count(source, "empty_shell_gave_up")
                return
            self.count(source, "empty_shell_retried")
            yield self._search(source.key, meta["term"], meta[LIST_PAGE], None, retried=True)
            return
        page = toutiao.parse_search(response)
        self.count(source, "search_pages")
        self.count_record_errors(page.cards, source.key)
        self.count(source, "search_cards", page.card_count)
        self.count(source, "cards_not_articles", page.other_links)
        for card in page.cards:
            yield scrapy.Request(
                card.url,
                callback=self.parse_article,
                errback=self.on_error,
                meta={SOURCE: source.key, "card": card.to_meta(), "term": meta["term"]},
            )
        number = meta[LIST_PAGE] + 1
        more = page.cards and page.search_id and number < source.max_list_pages
        if more and not self.paused(source):
            yield self._search(source.key, meta["term"], number, page.search_id)

    def parse_article(self, response: Response) -> Iterator[OpinionItem | scrapy.Request]:
        """An article page; the JS challenge goes to chromium once, then counts as a block."""
        response = text_response(response)
        source = self.source_of(response)
        card = response.meta.get("card")
        if toutiao.is_challenge(response):
            if self._browser_allowed(response):
                self.count(source, "challenge_to_browser")
                assert response.request is not None  # a callback's response has its request
                yield response.request.replace(
                    dont_filter=True,
                    meta={
                        **response.meta,
                        "playwright": True,
                        # The challenge script sets its cookie and reloads: wait for quiet.
                        "playwright_page_goto_kwargs": {"wait_until": "networkidle"},
                    },
                )
                return
            self.blocked(response, source, "js_challenge")
            if card:
                yield self._finish(toutiao.card_item(card), source.key, response)
            return
        item = toutiao.parse_article(response, card)
        self.count(source, "articles")
        yield self._finish(item, source.key, response)

    def _browser_allowed(self, response: Response) -> bool:
        return not response.meta.get("playwright") and self.crawler.settings.getbool(
            "TOUTIAO_BROWSER_FALLBACK"
        )

    def _finish(self, item: OpinionItem, source: str, response: Response) -> OpinionItem:
        item.source = source
        term = response.meta.get("term")
        item.found_on = f"so.toutiao.com search: {term}" if term else None
        return item
