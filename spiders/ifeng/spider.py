"""凤凰网: channel pages with an embedded `newsstream` list → `news.ifeng.com/c/` articles."""

from __future__ import annotations

from scrapy.http import Response

from spiders._base.portal import PortalSpider
from spiders.ifeng import parse as ifeng
from yuqing_spiders.extract.kit.lists import ListEntry


class IfengSpider(PortalSpider):
    name = "ifeng"
    allowed_domains = ["ifeng.com"]
    article_parser = ifeng.parse_article

    def entries(self, response: Response) -> list[ListEntry]:
        return ifeng.parse_list(response)
