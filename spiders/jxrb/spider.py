"""江西日报 e-paper: home -> month index (navi.xml) -> issues' pages -> articles.

The home names today's front page; the month index lists the issues, of which the
newest `issues` (sources.yaml, default 1) are read; each front page lists all pages
of its issue, each page its articles. Extraction is in spiders/jxrb/parse.py.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import scrapy

from spiders._base.spider import YuqingSpider, referer, text_response
from spiders.jxrb import parse as jxrb
from yuqing_spiders.extract.kit.errors import PayloadError
from yuqing_spiders.model.items import OpinionItem

logger = logging.getLogger(__name__)


class JxrbSpider(YuqingSpider):
    name = "jxrb"
    option_keys = frozenset({"issues"})

    def parse(self, response: scrapy.http.Response, **_: Any) -> Iterator[scrapy.Request]:
        """The e-paper home: on to the month index of today's issue."""
        response = text_response(response)
        front = jxrb.front_page_from_home(response)
        navi = jxrb.navi_url(front) if front else None
        if navi is None:
            self.crawler.stats.inc_value("jxrb/no_front_page")
            logger.warning("jxrb: no front page named on %s", response.url)
            return
        yield scrapy.Request(navi, self.parse_navi, errback=self.on_error, dont_filter=True)

    def parse_navi(self, response: scrapy.http.Response) -> Iterator[scrapy.Request]:
        response = text_response(response)
        try:
            issues = jxrb.parse_navi(response)
        except PayloadError as error:
            self.crawler.stats.inc_value("jxrb/bad_navi")
            logger.warning("jxrb: unusable month index %s: %s", response.url, error)
            return
        wanted = int(self.source.options.get("issues", 1))
        for issue in issues[:wanted]:
            self.crawler.stats.inc_value("jxrb/issues")
            yield scrapy.Request(
                issue.front_page,
                self.parse_page,
                errback=self.on_error,
                dont_filter=True,
                meta={"front": True},
            )

    def parse_page(self, response: scrapy.http.Response) -> Iterator[scrapy.Request]:
        """A page (版面): its articles; the front page also leads to the other pages."""
        response = text_response(response)
        links = jxrb.parse_page(response)
        self.crawler.stats.inc_value("jxrb/pages")
        if response.meta.get("front"):
            # Every page lists every page: only the front page follows them, once each.
            for url in links.pages:
                if url != response.url:
                    yield scrapy.Request(url, self.parse_page, errback=self.on_error)
        for url in links.articles:
            yield scrapy.Request(url, self.parse_article, errback=self.on_error)

    def parse_article(self, response: scrapy.http.Response) -> Iterator[OpinionItem]:
        item = jxrb.parse_article(response)
        item.found_on = referer(response)
        yield item
