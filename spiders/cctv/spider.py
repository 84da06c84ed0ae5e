"""央视网 news.cctv.com: JSONP channel lists, article text from the article API.

Each list row (ARTI ids only) becomes one API request carrying the row, whose title
and time complete the item. Extraction is in spiders/cctv/parse.py.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import asdict
from typing import Any

import scrapy

from spiders._base.spider import YuqingSpider
from spiders.cctv import parse as cctv
from yuqing_spiders.extract.kit.errors import PayloadError
from yuqing_spiders.model.items import OpinionItem
from yuqing_spiders.model.meta import ALLOW_EMPTY, FOUND_ON
from yuqing_spiders.queue.seeds import Seed

logger = logging.getLogger(__name__)


class CctvSpider(YuqingSpider):
    name = "cctv"

    def seed_request(self, seed: Seed) -> scrapy.Request:
        request = super().seed_request(seed)
        if seed.kind == "list":
            request.headers["Referer"] = cctv.referer(seed.url)
        return request

    def refresh_request(self, seed: Seed) -> scrapy.Request:
        """A stored article again: its text lives behind the API, not the page."""
        match = cctv.ARTICLE_URL_RE.match(seed.url)
        if match is None:
            return super().refresh_request(seed)
        row = cctv.ListRow(match["id"], seed.url, None, None, match["kind"])
        return self._api_request(row, dont_filter=True)

    def parse(self, response: scrapy.http.Response, **_: Any) -> Iterator[scrapy.Request]:
        """A JSONP list file: one API request per article row."""
        stats = self.crawler.stats
        try:
            rows = cctv.parse_list(response)
        except PayloadError as error:
            stats.inc_value("cctv/bad_list")
            logger.warning("cctv: unusable list %s: %s", response.url, error)
            return
        stats.inc_value("cctv/list_pages")
        self.count_record_errors(rows)
        for row in rows:
            if row.kind != "ARTI":
                # Video and photo items carry no article text.
                stats.inc_value(f"cctv/list_rows_skipped/{row.kind.lower()}")
                continue
            yield self._api_request(row, found_on=response.url)

    def parse_article(
        self, response: scrapy.http.Response, row: dict[str, Any] | None = None
    ) -> Iterator[OpinionItem]:
        item = cctv.parse_api_article(response, cctv.ListRow(**row) if row else None)
        if "content" in item.missing:
            self.crawler.stats.inc_value("cctv/api_without_text")
        item.found_on = response.meta.get(FOUND_ON)
        yield item

    def _api_request(
        self, row: cctv.ListRow, found_on: str | None = None, dont_filter: bool = False
    ) -> scrapy.Request:
        return scrapy.Request(
            cctv.api_url(row.id),
            callback=self.parse_article,
            errback=self.on_error,
            # A plain dict: queued requests travel as JSON through Redis.
            cb_kwargs={"row": asdict(row)},
            dont_filter=dont_filter,
            # A short JSON error answer is an answer, not an empty page.
            meta={FOUND_ON: found_on, ALLOW_EMPTY: True},
        )
