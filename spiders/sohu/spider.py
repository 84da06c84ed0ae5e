"""搜狐: the odin `blockdata` feed component (POST JSON) → `www.sohu.com/a/` articles.

A start URL names the component's product in its query
(`.../blockdata?productId=258&productType=13`); the spider posts the page's JSON with
the cookies the PC site carries (`SUV`, `itssohu`, `reqtype`).
"""

from __future__ import annotations

import scrapy
from scrapy.http import Response

from spiders._base.portal import PortalSpider
from spiders.sohu import parse as sohu
from spiders.sohu.api import block_request
from yuqing_spiders.extract.kit.lists import ListEntry
from yuqing_spiders.model.meta import KIND
from yuqing_spiders.queue.seeds import Seed


class SohuSpider(PortalSpider):
    name = "sohu"
    allowed_domains = ["sohu.com"]
    article_parser = sohu.parse_article
    # Read by the generic list extractor when the feed is unreadable (issue 14).
    channel_pages = ("https://news.sohu.com/",)

    def seed_request(self, seed: Seed) -> scrapy.Request:
        if seed.kind != "list" or not seed.url.startswith(sohu.BLOCK_API):
            return super().seed_request(seed)
        request = block_request(self, seed.url)
        request.meta.update({KIND: seed.kind, **seed.meta})
        return request

    def entries(self, response: Response) -> list[ListEntry]:
        return sohu.parse_blockdata(response)

    def next_list_request(
        self, response: Response, entries: list[ListEntry]
    ) -> scrapy.Request | None:
        page_url = response.meta.get("page_url", response.url)
        return block_request(self, page_url, response.meta.get("block_page", 1) + 1)
