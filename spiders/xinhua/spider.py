"""新华网 news.cn and jx.news.cn: channel datasource JSON, then the article pages.

A start URL ending in `ds_<hex>.json` is read as a channel datasource file; any other
start URL as a static channel page (jx.news.cn). Articles are fetched once (the
dupefilter); extraction is in spiders/xinhua/parse.py.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import scrapy

from spiders._base.spider import YuqingSpider, referer, text_response
from spiders.xinhua import parse as xinhua
from yuqing_spiders.extract.kit.errors import PayloadError
from yuqing_spiders.model.items import OpinionItem

logger = logging.getLogger(__name__)


class XinhuaSpider(YuqingSpider):
    name = "xinhua"

    def parse(self, response: scrapy.http.Response, **_: Any) -> Iterator[scrapy.Request]:
        """A channel's datasource file or static channel page: follow its articles."""
        stats = self.crawler.stats
        try:
            if response.url.split("?", 1)[0].endswith(".json"):
                page = xinhua.parse_datasource(response)
            else:
                page = xinhua.parse_channel_page(text_response(response))
        except PayloadError as error:
            stats.inc_value("xinhua/bad_list")
            logger.warning("xinhua: unusable channel list %s: %s", response.url, error)
            return
        stats.inc_value("xinhua/list_pages")
        for reason, count in page.skipped.items():
            stats.inc_value(f"xinhua/list_rows_skipped/{reason}", count)
        for url in page.article_urls:
            yield response.follow(url, self.parse_article, errback=self.on_error)

    def parse_article(self, response: scrapy.http.Response) -> Iterator[OpinionItem]:
        item = xinhua.parse_article(response)
        item.found_on = referer(response)
        yield item
