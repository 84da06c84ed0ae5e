"""江西新闻客户端: the app's list API (pages 1..max_list_pages), then each news detail.

Every request carries the app's headers (spiders/jxxw/parse.py). Rows that
are not news (topics, photo sets, links, live streams) are counted and left out.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

import scrapy

from spiders._base.spider import YuqingSpider
from spiders.jxxw import parse as jxxw
from yuqing_spiders.extract.kit.errors import PayloadError
from yuqing_spiders.model.items import OpinionItem
from yuqing_spiders.model.meta import ALLOW_EMPTY, FOUND_ON, KIND
from yuqing_spiders.queue.seeds import Seed

logger = logging.getLogger(__name__)


class JxxwSpider(YuqingSpider):
    name = "jxxw"

    def seed_request(self, seed: Seed) -> scrapy.Request:
        request = super().seed_request(seed)
        request.headers.update(jxxw.app_headers())
        # A short JSON error ("系统繁忙") is an answer to count, not an empty page.
        request.meta[ALLOW_EMPTY] = True
        return request

    def refresh_request(self, seed: Seed) -> scrapy.Request:
        """A stored item again: the app's detail answer for the id in its web link."""
        content_id = jxxw.content_id(seed.url)
        if content_id is None:
            return super().refresh_request(seed)
        self.crawler.stats.inc_value("yuqing/refresh_requests")
        return scrapy.Request(
            jxxw.DETAIL_URL.format(id=content_id),
            callback=self.parse_article,
            errback=self.on_error,
            headers=jxxw.app_headers(),
            dont_filter=True,
            meta={KIND: "refresh", ALLOW_EMPTY: True},
        )

    def parse(self, response: scrapy.http.Response, **_: Any) -> Iterator[scrapy.Request]:
        """A list page: one detail request per news row, then the next page."""
        stats = self.crawler.stats
        try:
            rows = jxxw.parse_list(response)
        except PayloadError as error:
            stats.inc_value("jxxw/bad_list")
            logger.warning("jxxw: unusable list %s: %s", response.url, error)
            return
        stats.inc_value("jxxw/list_pages")
        self.count_record_errors(rows)
        for row in rows:
            if row.kind != "news":
                stats.inc_value(f"jxxw/list_rows_skipped/{row.kind}")
                continue
            yield scrapy.Request(
                jxxw.DETAIL_URL.format(id=row.content_id),
                callback=self.parse_article,
                errback=self.on_error,
                headers=jxxw.app_headers(),
                cb_kwargs={"row": asdict(row)},  # plain values: requests queue as JSON
                meta={FOUND_ON: response.url, ALLOW_EMPTY: True},
            )
        number = jxxw.list_page_number(response.url)
        if rows and number < self.source.max_list_pages:
            yield scrapy.Request(
                jxxw.page_url(response.url, number + 1),
                callback=self.parse,
                errback=self.on_error,
                headers=jxxw.app_headers(),
                dont_filter=True,
                meta={ALLOW_EMPTY: True},
            )

    def parse_article(
        self, response: scrapy.http.Response, row: dict[str, Any] | None = None
    ) -> Iterator[OpinionItem]:
        now = datetime.now(UTC)
        item = jxxw.parse_detail(response, jxxw.AppRow(**row) if row else None, now=now)
        if "content" in item.missing:
            self.crawler.stats.inc_value("jxxw/detail_without_text")
        item.found_on = response.meta.get(FOUND_ON)
        yield item
