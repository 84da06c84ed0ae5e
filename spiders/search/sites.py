"""Site search APIs driven by the watch-list: 人民网, 澎湃, 全国党媒信息公共平台 (§1.1, §1.9, §9).

Each is a POST of JSON; the replay site answers POSTs by path, as the APIs do by body.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import scrapy
from scrapy.http import JsonRequest, Response

from spiders.search import parse_sites as site_search
from spiders.search.parse import ResultPage
from spiders.search.spider import SearchSpider
from yuqing_spiders.analysis.watchlist import Rule


class _ApiSearchSpider(SearchSpider):
    api: ClassVar[str]
    body: ClassVar[Callable[..., dict[str, Any]]]
    reader: ClassVar[Callable[[Response], ResultPage]]

    def search_request(self, rule: Rule, page: int) -> scrapy.Request:
        return JsonRequest(
            self.api,
            data=type(self).body(rule.query or "", page),
            callback=self.parse_results,
            errback=self.on_error,
            dont_filter=True,
        )

    def results(self, response: Response) -> ResultPage:
        return type(self).reader(response)


class PeopleSearchSpider(_ApiSearchSpider):
    name = "search_people"
    engine = "people"
    api = site_search.PEOPLE_SEARCH
    body = site_search.people_body
    reader = site_search.parse_people


class ThepaperSearchSpider(_ApiSearchSpider):
    name = "search_thepaper"
    engine = "thepaper"
    api = site_search.THEPAPER_SEARCH
    body = site_search.thepaper_body
    reader = site_search.parse_thepaper


class HubpdSearchSpider(_ApiSearchSpider):
    name = "search_hubpd"
    engine = "hubpd"
    api = site_search.HUBPD_SEARCH
    body = site_search.hubpd_body
    reader = site_search.parse_hubpd
