"""The toutiao spider on a JS challenge: to the browser once, then counted.

Real Scrapy crawlers on the project's settings (the `make_spider` fixture in
conftest.py), real Redis (the session server; keys under a test prefix), responses
built from the fixture files. Facts modelled: Toutiao's `__ac_nonce` JS challenge
instead of the article.
"""

from __future__ import annotations

import scrapy

from spiders.toutiao import parse as toutiao
from spiders.toutiao.spider import ToutiaoSpider
from tests.helpers.fixtures import response_from_fixture
from tests.helpers.spiders import with_meta
from yuqing_spiders.model.items import OpinionItem


def test_toutiao_challenge_goes_to_the_browser_once_then_counts(make_spider):
    spider = make_spider(ToutiaoSpider)
    card = toutiao.parse_search(response_from_fixture(toutiao.search_url("南昌城管"))).cards[1]
    plain = with_meta(response_from_fixture(card.url), yuqing_source="toutiao", card=card.to_meta())
    [again] = list(spider.parse_article(plain))
    assert isinstance(again, scrapy.Request)
    assert again.meta["playwright"] is True
    assert again.dont_filter
    rendered = response_from_fixture(card.url).replace(request=again)
    [item] = list(spider.parse_article(rendered))
    assert isinstance(item, OpinionItem)
    assert item.content is None
    assert not item.complete
    assert item.native_id == "7441205566778899001"
    assert item.metrics.comments == 1204
    assert spider.crawler.stats.get_value("yuqing/blocked/toutiao/js_challenge") == 1
