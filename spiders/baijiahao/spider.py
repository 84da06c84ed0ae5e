"""百家号: watched accounts' author pages → their article feed → article pages.

Start URLs are author pages (`baijiahao.baidu.com/u?app_id=<id>`) of accounts the
office follows (district and department 百家号); `window.runtime` names the account's
`uk`, which keys its feed on mbd.baidu.com. Live, the feed answers only with the
`ab_sr` cookie; set `BAIJIAHAO_AB_SR` to one taken from a browser session. Without it
the feed's error answer is counted (`baijiahao/bad_list/api_error`), and the accounts'
articles still arrive through 百度资讯 search (spiders/search/engines.py).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import scrapy
from scrapy.http import Response

from spiders._base.portal import PortalSpider
from spiders.baijiahao import parse as baijiahao
from yuqing_spiders.extract.kit.errors import PayloadError
from yuqing_spiders.extract.kit.lists import ListEntry

logger = logging.getLogger(__name__)


class BaijiahaoSpider(PortalSpider):
    name = "baijiahao"
    allowed_domains = ["baidu.com"]
    article_parser = baijiahao.parse_article

    def parse(self, response: Response, **kwargs: Any) -> Iterator[scrapy.Request]:
        if "feed" in response.meta:
            yield from super().parse(response, **kwargs)
            return
        try:
            uk, nickname = baijiahao.author_uk(response)
        except PayloadError as exc:
            self.crawler.stats.inc_value(f"baijiahao/bad_author_page/{exc.reason}")
            logger.warning("baijiahao: no account id on %s (%s)", response.url, exc)
            return
        self.crawler.stats.inc_value("baijiahao/author_pages")
        cookie = self.crawler.settings.get("BAIJIAHAO_AB_SR")
        yield scrapy.Request(
            baijiahao.feed_url(uk),
            callback=self.parse,
            errback=self.on_error,
            dont_filter=True,
            cookies={"ab_sr": cookie} if cookie else {},
            headers={"Referer": response.url},
            meta={"feed": uk, "account": nickname, "page_url": response.url},
        )

    def entries(self, response: Response) -> list[ListEntry]:
        return baijiahao.parse_feed(response)
