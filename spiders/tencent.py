"""腾讯新闻: the PC channel-list API (POST JSON) → `news.qq.com/rain/a/` articles.

A start URL names the channel in its query (`.../getPCList?channel_id=news_news_top`);
the spider posts the JSON body the PC site sends, with a random 36-character device
id, to the API URL without that query.
"""

from __future__ import annotations

import uuid
from urllib.parse import parse_qs, urlsplit

import scrapy
from scrapy.http import JsonRequest, Response

from spiders.portal import PortalSpider
from yuqing_spiders.parsers import tencent
from yuqing_spiders.parsers.portal import ListEntry
from yuqing_spiders.seeds import Seed


def channel_of(url: str) -> str | None:
    return (parse_qs(urlsplit(url).query).get("channel_id") or [None])[0]


def list_request(
    spider: scrapy.Spider, page_url: str, flush_num: int = 1, **kw: object
) -> JsonRequest:
    """The POST for one page of the channel named in `page_url`."""
    channel = channel_of(page_url) or "news_news_top"
    # Any 36-character string is accepted as qimei36/device_id (sources.md §3.3).
    device = str(uuid.uuid4())
    return JsonRequest(
        tencent.LIST_API,
        data=tencent.list_body(channel, device, flush_num),
        callback=spider.parse,
        errback=spider.on_error,
        dont_filter=True,
        meta={"page_url": page_url, "flush_num": flush_num, "list_page": 1},
        **kw,
    )


class TencentSpider(PortalSpider):
    name = "tencent"
    allowed_domains = ["qq.com"]
    article_parser = tencent.parse_article

    def seed_request(self, seed: Seed) -> scrapy.Request:
        if seed.kind != "list" or not seed.url.startswith(tencent.LIST_API):
            return super().seed_request(seed)
        request = list_request(self, seed.url)
        request.meta.update({"yuqing_kind": seed.kind, **seed.meta})
        return request

    def entries(self, response: Response) -> list[ListEntry]:
        return tencent.parse_list(response)

    def next_list_request(
        self, response: Response, entries: list[ListEntry]
    ) -> scrapy.Request | None:
        page_url = response.meta.get("page_url", response.url)
        return list_request(self, page_url, response.meta.get("flush_num", 1) + 1)
