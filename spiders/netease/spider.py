"""网易新闻: `cm_*` list JSONP pages (`_02`, `_03` … for more) → article pages."""

from __future__ import annotations

import re

import scrapy
from scrapy.http import Response

from spiders._base.portal import PortalSpider
from spiders.netease import parse as netease
from yuqing_spiders.extract.kit.lists import ListEntry

# news.163.com/special/cm_guonei/ → cm_guonei_02/ → cm_guonei_03/
_LIST_PAGE_RE = re.compile(r"(/special/cm_[a-z0-9]+?)(?:_(\d{2}))?/?$")


class NeteaseSpider(PortalSpider):
    name = "netease"
    allowed_domains = ["163.com"]
    article_parser = netease.parse_article
    # Read by the generic list extractor when the feed is unreadable (issue 14).
    channel_pages = ("https://news.163.com/domestic/",)

    def entries(self, response: Response) -> list[ListEntry]:
        return netease.parse_list(response)

    def next_list_request(
        self, response: Response, entries: list[ListEntry]
    ) -> scrapy.Request | None:
        match = _LIST_PAGE_RE.search(response.url)
        if not match:
            return None
        page = int(match[2] or 1) + 1
        url = response.url[: match.start()] + f"{match[1]}_{page:02d}/"
        return scrapy.Request(url, self.parse, errback=self.on_error, dont_filter=True)
