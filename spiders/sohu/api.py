"""搜狐's odin `blockdata` API: the POST for one page of a feed component.

Used by the sohu spider (articles) and the front-page spider (placement), so it lives
apart from either. A start URL names the component's product in its query
(`.../blockdata?productId=258&productType=13`).
"""

from __future__ import annotations

import time
import uuid
from urllib.parse import parse_qs, urlsplit

from scrapy.http import JsonRequest

from spiders._base.spider import YuqingSpider
from spiders.sohu import parse as sohu
from yuqing_spiders.model.meta import LIST_PAGE


def block_request(
    spider: YuqingSpider, page_url: str, page: int = 1, size: int = 20
) -> JsonRequest:
    query = {k: v[0] for k, v in parse_qs(urlsplit(page_url).query).items()}
    pv_id = f"{int(time.time() * 1000)}_{uuid.uuid4().hex[:7]}"
    return JsonRequest(
        sohu.BLOCK_API,
        data=sohu.block_body(
            query.get("productId", "258"), query.get("productType", "13"), page, size, pv_id
        ),
        # SUV is the visitor id the site sets on first visit; any fresh value works.
        cookies={**sohu.COOKIES, "SUV": pv_id},
        callback=spider.parse,
        errback=spider.on_error,
        dont_filter=True,
        meta={"page_url": page_url, "block_page": page, LIST_PAGE: 1},
    )
