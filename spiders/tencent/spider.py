"""腾讯新闻: the PC channel-list API (POST JSON) → `news.qq.com/rain/a/` articles.

A start URL names the channel in its query (`.../getPCList?channel_id=news_news_top`);
the spider posts the JSON body the PC site sends, with a random 36-character device
id, to the API URL without that query.
"""

from __future__ import annotations

import scrapy
from scrapy.http import Response

from spiders._base.portal import PortalSpider
from spiders.tencent import parse as tencent
from spiders.tencent.api import list_request
from yuqing_spiders.extract.kit.lists import ListEntry
from yuqing_spiders.model.meta import KIND
from yuqing_spiders.queue.seeds import Seed


class TencentSpider(PortalSpider):
    name = "tencent"
    allowed_domains = ["qq.com"]
    article_parser = tencent.parse_article
    # Read by the generic list extractor when the feed is unreadable (issue 14).
    channel_pages = ("https://news.qq.com/",)

    def seed_request(self, seed: Seed) -> scrapy.Request:
        if seed.kind != "list" or not seed.url.startswith(tencent.LIST_API):
            return super().seed_request(seed)
        request = list_request(self, seed.url)
        request.meta.update({KIND: seed.kind, **seed.meta})
        return request

    def entries(self, response: Response) -> list[ListEntry]:
        return tencent.parse_list(response)

    def next_list_request(
        self, response: Response, entries: list[ListEntry]
    ) -> scrapy.Request | None:
        page_url = response.meta.get("page_url", response.url)
        return list_request(self, page_url, response.meta.get("flush_num", 1) + 1)
