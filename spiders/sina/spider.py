"""新浪新闻: the rolling feed API (JSON) → article pages (parse.py)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import scrapy
from scrapy.http import Response

from spiders._base.portal import PortalSpider
from spiders.sina import parse as sina
from yuqing_spiders.extract.kit.lists import ListEntry
from yuqing_spiders.queue.seeds import Seed


class SinaSpider(PortalSpider):
    name = "sina"
    allowed_domains = ["sina.com.cn"]
    article_parser = sina.parse_article
    # Read by the generic list extractor when the feed is unreadable (issue 14).
    channel_pages = ("https://news.sina.com.cn/china/",)
    # The feed and its articles are served to pages of news.sina.com.cn (RSSHub).
    article_headers = {"Referer": "https://news.sina.com.cn/"}

    def seed_request(self, seed: Seed) -> scrapy.Request:
        return super().seed_request(seed).replace(headers=self.article_headers)

    def entries(self, response: Response) -> list[ListEntry]:
        return sina.parse_feed(response)

    def next_list_request(
        self, response: Response, entries: list[ListEntry]
    ) -> scrapy.Request | None:
        parts = urlsplit(response.url)
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        # A short page is the end of the feed's recent window.
        if len(entries) < int(query.get("num", "50") or 50):
            return None
        query["page"] = str(int(query.get("page", "1")) + 1)
        url = urlunsplit(parts._replace(query=urlencode(query)))
        return scrapy.Request(
            url, self.parse, errback=self.on_error, dont_filter=True, headers=self.article_headers
        )
