"""今视网 jxntv.cn: channel lists rendered in chromium, articles over plain HTTP.

Only the list requests carry the browser meta (yuqing_spiders.model.meta.render_meta);
articles are static pages. Extraction is in spiders/jxntv/parse.py.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import scrapy

from spiders._base.spider import YuqingSpider, referer, text_response
from spiders.jxntv import parse as jxntv
from yuqing_spiders.model.items import OpinionItem
from yuqing_spiders.model.meta import render_meta
from yuqing_spiders.queue.seeds import Seed

logger = logging.getLogger(__name__)


class JxntvSpider(YuqingSpider):
    name = "jxntv"

    def seed_request(self, seed: Seed) -> scrapy.Request:
        request = super().seed_request(seed)
        if seed.kind == "list":
            request.meta.update(render_meta())  # the channel list exists only after its JS ran
        return request

    def parse(self, response: scrapy.http.Response, **_: Any) -> Iterator[scrapy.Request]:
        """A rendered channel page: its article links."""
        response = text_response(response)
        page = jxntv.parse_list(response)
        self.crawler.stats.inc_value("jxntv/list_pages")
        if not page.article_urls:
            # Not rendered, or the channel's script changed: a crawl-health signal.
            self.crawler.stats.inc_value("jxntv/empty_list")
            logger.warning("jxntv: no article links on the rendered page %s", response.url)
        for url in page.article_urls:
            yield response.follow(url, self.parse_article, errback=self.on_error)

    def parse_article(self, response: scrapy.http.Response) -> Iterator[OpinionItem]:
        item = jxntv.parse_article(response)
        item.found_on = referer(response)
        yield item
