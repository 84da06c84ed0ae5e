"""中新网 chinanews.com.cn: the rolling-news list, then the articles (GBK or UTF-8).

Extraction is in spiders/chinanews/parse.py; the page encoding is decided
per response by middlewares/encoding.py before the parser sees the text.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import scrapy

from spiders._base.spider import YuqingSpider, referer, text_response
from spiders.chinanews import parse as chinanews
from yuqing_spiders.model.items import OpinionItem

logger = logging.getLogger(__name__)


class ChinanewsSpider(YuqingSpider):
    name = "chinanews"

    def parse(self, response: scrapy.http.Response, **_: Any) -> Iterator[scrapy.Request]:
        """The rolling list: every article link on it."""
        response = text_response(response)
        page = chinanews.parse_list(response)
        self.crawler.stats.inc_value("chinanews/list_pages")
        if not page.article_urls:
            self.crawler.stats.inc_value("chinanews/empty_list")
            logger.warning("chinanews: no article links on %s", response.url)
        for url in page.article_urls:
            yield response.follow(url, self.parse_article, errback=self.on_error)

    def parse_article(self, response: scrapy.http.Response) -> Iterator[OpinionItem]:
        item = chinanews.parse_article(response)
        self.crawler.stats.inc_value(f"chinanews/encoding/{item.encoding}")
        item.found_on = referer(response)
        yield item
