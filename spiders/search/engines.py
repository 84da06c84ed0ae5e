"""News search engines driven by the watch-list: 百度资讯, 搜狗新闻, 360资讯 (§9)."""

from __future__ import annotations

import scrapy
from scrapy.http import Response

from spiders._base.spider import text_response
from spiders.search import parse as engines
from spiders.search.spider import SearchSpider
from yuqing_spiders.analysis.watchlist import Rule


class _EngineSpider(SearchSpider):
    template: str

    def search_request(self, rule: Rule, page: int) -> scrapy.Request:
        url = engines.search_url(self.template, rule.query or "")
        if page > 1:
            url = self.page_url(url, page)
        return scrapy.Request(
            url,
            callback=self.parse_results,
            errback=self.on_error,
            dont_filter=True,  # the same query is asked again every tick
            headers={"Referer": self.source.start_urls[0] if self.source.start_urls else url},
        )

    def page_url(self, url: str, page: int) -> str:
        raise NotImplementedError


class BaiduNewsSpider(_EngineSpider):
    name = "search_baidu"
    engine = "baidu"
    template = engines.BAIDU_NEWS

    def page_url(self, url: str, page: int) -> str:
        return f"{url}&pn={10 * (page - 1)}"

    def results(self, response: Response) -> engines.ResultPage:
        return engines.parse_baidu(text_response(response))


class SogouNewsSpider(_EngineSpider):
    name = "search_sogou"
    engine = "sogou"
    template = engines.SOGOU_NEWS

    def page_url(self, url: str, page: int) -> str:
        return f"{url}&page={page}"

    def results(self, response: Response) -> engines.ResultPage:
        return engines.parse_sogou(text_response(response))


class So360NewsSpider(_EngineSpider):
    name = "search_so360"
    engine = "so360"
    template = engines.SO360_NEWS

    def page_url(self, url: str, page: int) -> str:
        return url.replace("&pn=1", f"&pn={page}")

    def results(self, response: Response) -> engines.ResultPage:
        return engines.parse_so360(text_response(response))
