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
from scrapy.http import Response

from spiders._base.spider import YuqingSpider
from yuqing_spiders.extract.kit.errors import PayloadError
from yuqing_spiders.extract.kit.lists import ListEntry
from yuqing_spiders.model.items import OpinionItem
from yuqing_spiders.model.meta import FOUND_ON, LIST_PAGE

logger = logging.getLogger(__name__)


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
            return
        stats = self.crawler.stats
        stats.inc_value(f"{self.name}/list_pages")
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
                meta={"list_entry": entry, FOUND_ON: response.meta.get("page_url", response.url)},
            )
        if (depth := response.meta.get(LIST_PAGE, 1)) < self.source.max_list_pages:
            following = self.next_list_request(response, entries)
            if following is not None:
                following.meta.update({**response.meta, LIST_PAGE: depth + 1})
                yield following

    def parse_article(self, response: Response) -> Iterator[OpinionItem]:
        item = type(self).article_parser(response)
        entry: ListEntry | None = response.meta.get("list_entry")
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
