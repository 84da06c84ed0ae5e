"""搜狐: the odin `blockdata` feed component (POST JSON) → `www.sohu.com/a/` articles.

A start URL names the component's product in its query
(`.../blockdata?productId=258&productType=13`); the spider posts the page's JSON with
the cookies the PC site carries (`SUV`, `itssohu`, `reqtype`).
"""

from __future__ import annotations

import time
import uuid
from urllib.parse import parse_qs, urlsplit

import scrapy
from scrapy.http import JsonRequest, Response

from spiders.portal import PortalSpider
from yuqing_spiders.parsers import sohu
from yuqing_spiders.parsers.portal import ListEntry
from yuqing_spiders.seeds import Seed


def block_request(
    spider: scrapy.Spider, page_url: str, page: int = 1, size: int = 20
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
        meta={"page_url": page_url, "block_page": page, "list_page": 1},
    )


class SohuSpider(PortalSpider):
    name = "sohu"
    allowed_domains = ["sohu.com"]
    article_parser = sohu.parse_article

    def seed_request(self, seed: Seed) -> scrapy.Request:
        if seed.kind != "list" or not seed.url.startswith(sohu.BLOCK_API):
            return super().seed_request(seed)
        request = block_request(self, seed.url)
        request.meta.update({"yuqing_kind": seed.kind, **seed.meta})
        return request

    def entries(self, response: Response) -> list[ListEntry]:
        return sohu.parse_blockdata(response)

    def next_list_request(
        self, response: Response, entries: list[ListEntry]
    ) -> scrapy.Request | None:
        page_url = response.meta.get("page_url", response.url)
        return block_request(self, page_url, response.meta.get("block_page", 1) + 1)
