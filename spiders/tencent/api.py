"""腾讯新闻's PC channel-list API: the POST for one page of a channel.

Used by the tencent spider (articles) and the front-page spider (placement). A start
URL names the channel in its query (`.../getPCList?channel_id=news_news_top`); the
POST goes to the API URL without that query.
"""

from __future__ import annotations

import uuid
from typing import Any
from urllib.parse import parse_qs, urlsplit

from scrapy.http import JsonRequest

from spiders._base.spider import YuqingSpider
from spiders.tencent import parse as tencent
from yuqing_spiders.model.meta import LIST_PAGE


def channel_of(url: str) -> str | None:
    values = parse_qs(urlsplit(url).query).get("channel_id")
    return values[0] if values else None


def list_request(spider: YuqingSpider, page_url: str, flush_num: int = 1, **kw: Any) -> JsonRequest:
    """The POST for one page of the channel named in `page_url`."""
    channel = channel_of(page_url) or "news_news_top"
    # Any 36-character string is accepted as qimei36/device_id.
    device = str(uuid.uuid4())
    return JsonRequest(
        tencent.LIST_API,
        data=tencent.list_body(channel, device, flush_num),
        callback=spider.parse,
        errback=spider.on_error,
        dont_filter=True,
        meta={"page_url": page_url, "flush_num": flush_num, LIST_PAGE: 1},
        **kw,
    )
