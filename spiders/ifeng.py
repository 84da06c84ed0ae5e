"""凤凰网: channel pages with an embedded `newsstream` list → `news.ifeng.com/c/` articles."""

from __future__ import annotations

from scrapy.http import Response

from spiders.portal import PortalSpider
from yuqing_spiders.parsers import ifeng
from yuqing_spiders.parsers.portal import ListEntry


class IfengSpider(PortalSpider):
    name = "ifeng"
    allowed_domains = ["ifeng.com"]
    article_parser = ifeng.parse_article

    def entries(self, response: Response) -> list[ListEntry]:
        return ifeng.parse_list(response)
