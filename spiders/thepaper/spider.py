"""澎湃新闻 thepaper.cn: channel lists through the list API, then the article pages.

`start_urls` name channel pages (`https://www.thepaper.cn/channel_<id>`); each becomes
a POST to the channel API with that id. Rows that link to other sites are counted and
left out. Extraction is in spiders/thepaper/parse.py.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

import scrapy

from spiders._base.spider import YuqingSpider
from spiders.thepaper import parse as thepaper
from yuqing_spiders.extract.kit.errors import PayloadError
from yuqing_spiders.extract.kit.payload import load_json, response_text
from yuqing_spiders.model.items import OpinionItem
from yuqing_spiders.model.meta import ALLOW_EMPTY, FOUND_ON, KIND
from yuqing_spiders.queue.seeds import Seed

logger = logging.getLogger(__name__)


class ThepaperSpider(YuqingSpider):
    name = "thepaper"

    def seed_request(self, seed: Seed) -> scrapy.Request:
        channel = thepaper.channel_id(seed.url) if seed.kind == "list" else None
        if channel is None:
            return super().seed_request(seed)
        # A plain Request with a JSON body (not JsonRequest): the replay handler's
        # request.replace(cls=Request) cannot rebuild a JsonRequest.
        return scrapy.Request(
            thepaper.CHANNEL_API,
            method="POST",
            body=json.dumps(thepaper.channel_request_body(channel)),
            headers={"Content-Type": "application/json", "Accept": "application/json"},
            callback=self.parse,
            errback=self.on_error,
            dont_filter=True,
            meta={KIND: seed.kind, "channel": channel, ALLOW_EMPTY: True},
        )

    def parse(self, response: scrapy.http.Response, **_: Any) -> Iterator[scrapy.Request]:
        """A channel-list answer: one request per thepaper.cn article."""
        stats = self.crawler.stats
        try:
            rows = thepaper.parse_rows(load_json(response_text(response)))
        except PayloadError as error:
            stats.inc_value("thepaper/bad_list")
            logger.warning(
                "thepaper: unusable list for channel %s: %s", response.meta.get("channel"), error
            )
            return
        stats.inc_value("thepaper/list_pages")
        self.count_record_errors(rows)
        for row in rows:
            if row.url is None:
                stats.inc_value("thepaper/list_rows_skipped/external_link")
                continue
            yield scrapy.Request(
                row.url,
                callback=self.parse_article,
                errback=self.on_error,
                meta={FOUND_ON: f"{response.url}#channel={response.meta.get('channel')}"},
            )

    def parse_article(self, response: scrapy.http.Response) -> Iterator[OpinionItem]:
        item = thepaper.parse_article(response)
        if not item.complete:
            self.crawler.stats.inc_value("thepaper/article_without_data")
        item.found_on = response.meta.get(FOUND_ON)
        yield item
