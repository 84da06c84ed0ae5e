"""人民网 people.com.cn and its provincial channels (jx.people.com.cn).

Channel list pages (GBK, static) link to articles `/{n1|n2}/YYYY/MMDD/c<node>-<id>.html`;
list pages are followed up to `max_list_pages`, articles once (the dupefilter).
Extraction is in spiders/people/parse.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import scrapy

from spiders._base.spider import YuqingSpider, referer, text_response
from spiders.people import parse as people
from yuqing_spiders.model.items import OpinionItem
from yuqing_spiders.model.meta import LIST_PAGE


class PeopleSpider(YuqingSpider):
    name = "people"
    allowed_domains = ["people.com.cn", "people.cn"]

    def parse(self, response: scrapy.http.Response, **_: Any) -> Iterator[scrapy.Request]:
        """A channel list page: its articles, then the next list page.

        @url http://jx.people.com.cn/GB/186330/
        @returns requests 3
        @returns items 0 0
        """
        response = text_response(response)
        page = people.parse_list(response)
        self.crawler.stats.inc_value("people/list_pages")
        for url in page.article_urls:
            # One article is linked as http and https, with and without #comments;
            # requesting its canonical form lets the dupefilter see one page.
            yield response.follow(
                people.canonical_url(url), self.parse_article, errback=self.on_error
            )
        depth = response.meta.get(LIST_PAGE, 1)
        if page.next_page and depth < self.source.max_list_pages:
            yield response.follow(
                page.next_page,
                self.parse,
                errback=self.on_error,
                dont_filter=True,
                meta={**response.meta, LIST_PAGE: depth + 1},
            )

    def parse_article(self, response: scrapy.http.Response) -> Iterator[OpinionItem]:
        """An article page.

        @url http://jx.people.com.cn/n2/2026/1125/c186330-41401779.html
        @returns items 1 1
        @scrapes title content published_at
        """
        item = people.parse_article(response)
        item.found_on = referer(response)
        yield item
