"""腾讯新闻's PC channel-list API: the POST for one page of a channel.

Used by the tencent spider (articles) and the front-page spider (placement). A start
URL names the channel in its query (`.../getPCList?channel_id=news_news_top`); the
POST goes to the API URL without that query.
"""

from __future__ import annotations

import uuid
from urllib.parse import parse_qs, urlsplit

import scrapy
from scrapy.http import JsonRequest

from spiders.tencent import parse as tencent


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
