"""What the commercial-portal spiders share: list API → articles, with counted failures.

A portal spider says how to read one list answer (`entries`) and which parser reads its
articles (`article_parser`); this base follows each entry to its article, passes the
list's values along (time, medium, comment count) for fields the article page lacks,
and turns an unreadable list (invalid JSON, an HTML error page, a changed shape) into
a counted, logged outcome that also stops this tick's pagination for that channel.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

import scrapy
from scrapy.http import Response, TextResponse

from spiders._base.registry import parser_for
from spiders._base.spider import YuqingSpider
from yuqing_spiders.extract.kit.errors import PayloadError
from yuqing_spiders.extract.kit.lists import ListEntry
from yuqing_spiders.extract.listing import extract_links
from yuqing_spiders.model.items import OpinionItem
from yuqing_spiders.model.meta import FOUND_ON, LIST_PAGE

logger = logging.getLogger(__name__)

# Request meta: this response answers a channel-page fallback (never falls back again).
_CHANNEL_FALLBACK = "channel_fallback"


class PortalSpider(YuqingSpider):
    """Subclasses set `name`, `article_parser`, and implement `entries`."""

    # Any response: a page that is not text (a PDF, an image) gives an incomplete item.
    article_parser: ClassVar[Callable[[Response], OpinionItem]]
    # Headers the portal's own pages send with article requests (Referer checks).
    article_headers: ClassVar[dict[str, str]] = {}

    def entries(self, response: Response) -> list[ListEntry]:
        raise NotImplementedError

    def next_list_request(
        self, response: Response, entries: list[ListEntry]
    ) -> scrapy.Request | None:
        """The channel's next list page, or None (the default: one page per tick)."""
        return None

    def parse(self, response: Response, **_: Any) -> Iterator[scrapy.Request]:
        try:
            entries = self.entries(response)
        except PayloadError as exc:
            self.crawler.stats.inc_value(f"{self.name}/bad_list/{exc.reason}")
            logger.warning(
                "%s: unusable list %s (%s); next try next tick", self.name, response.url, exc
            )
            yield from self.channel_fallback(response)
            return
        stats = self.crawler.stats
        stats.inc_value(f"{self.name}/list_pages")
        self.count_record_errors(entries)
        if not entries:
            stats.inc_value(f"{self.name}/empty_list")
            logger.info("%s: no articles in list %s", self.name, response.url)
            return
        stats.inc_value(f"{self.name}/list_entries", len(entries))
        for entry in entries:
            yield scrapy.Request(
                entry.url,
                callback=self.parse_article,
                errback=self.on_error,
                headers=self.article_headers,
                meta={
                    "list_entry": entry.to_meta(),
                    FOUND_ON: response.meta.get("page_url", response.url),
                },
            )
        if (depth := response.meta.get(LIST_PAGE, 1)) < self.source.max_list_pages:
            following = self.next_list_request(response, entries)
            if following is not None:
                following.meta.update({**response.meta, LIST_PAGE: depth + 1})
                yield following

    # HTML channel pages that list what the feed lists: read with the generic list
    # extractor when the feed cannot be (a changed API must not silence the source).
    channel_pages: ClassVar[tuple[str, ...]] = ()

    def channel_fallback(self, response: Response) -> Iterator[scrapy.Request]:
        """After an unreadable list: the portal's HTML channel pages, once per failure
        (never from a channel page itself); an HTML answer is read in place first."""
        if response.request is not None and response.request.meta.get(_CHANNEL_FALLBACK):
            return
        if isinstance(response, TextResponse) and response.body.lstrip()[:1] == b"<":
            yield from self.parse_channel(response)
        for url in self.channel_pages:
            yield scrapy.Request(
                url,
                callback=self.parse_channel,
                errback=self.on_error,
                dont_filter=True,
                meta={_CHANNEL_FALLBACK: True},
            )

    def parse_channel(self, response: Response) -> Iterator[scrapy.Request]:
        """The portal's article links on an HTML channel page (generic list extractor)."""
        if not isinstance(response, TextResponse):
            return
        article_parser = type(self).article_parser
        links = [e for e in extract_links(response) if parser_for(e.url) is article_parser]
        self.crawler.stats.inc_value(f"{self.name}/channel_fallback/pages")
        self.crawler.stats.inc_value(f"{self.name}/channel_fallback/links", len(links))
        logger.info(
            "%s: %d article links from channel page %s", self.name, len(links), response.url
        )
        for entry in links:
            yield scrapy.Request(
                entry.url,
                callback=self.parse_article,
                errback=self.on_error,
                headers=self.article_headers,
                meta={"list_entry": entry.to_meta(), FOUND_ON: response.url},
            )

    def parse_article(self, response: Response) -> Iterator[OpinionItem]:
        item = type(self).article_parser(response)
        entry = ListEntry.from_meta(response.meta.get("list_entry"))
        if entry is not None:
            self._fill_from_list(item, entry)
        item.found_on = response.meta.get(FOUND_ON)
        yield item

    def _fill_from_list(self, item: OpinionItem, entry: ListEntry) -> None:
        """The list's own values where the page had none; the comment count always."""
        filled: list[str] = []
        if not item.title and entry.title:
            item.title, filled = entry.title, [*filled, "title"]
        if not item.published_at and entry.published_at:
            item.published_at, filled = entry.published_at, [*filled, "published_at"]
        if not item.media.name and entry.media_name:
            item.media.name, filled = entry.media_name, [*filled, "media.name"]
        if entry.comments is not None:
            item.metrics.comments = entry.comments
        for name in filled:
            self.crawler.stats.inc_value(f"{self.name}/filled_from_list/{name}")
        if "title" in filled or "published_at" in filled:
            # The parser judged completeness without these; judge again.
            item.missing = [m for m in item.missing if m not in filled]
            item.complete = not item.missing
