"""The generic extractor behind every site parser (extract/fallback.py and its spider
middleware): a field a site parser missed is filled from the same page and counted
per source and field.

Pages: thepaper.cn's older template without __NEXT_DATA__ (tests/fixtures/web, see
tests/unit/sources/test_real_templates.py for the fact modelled) and people.com.cn's
current template (every field found by its parser).
"""

from __future__ import annotations

from scrapy.http import TextResponse

import settings as project
from middlewares.generic_fallback import GenericFallbackMiddleware
from spiders.people import parse as people
from spiders.thepaper import parse as thepaper
from spiders.thepaper.spider import ThepaperSpider
from tests.helpers.fixtures import response_from_fixture
from tests.helpers.spiders import project_spider
from yuqing_spiders.extract.fallback import applies, fill_from_generic
from yuqing_spiders.model.items import OpinionItem

OLD_PAPER = "https://www.thepaper.cn/newsDetail_forward_29876543"
PEOPLE = "http://jx.people.com.cn/n2/2026/1125/c186330-41401779.html"


def test_the_middleware_is_on_in_every_crawl() -> None:
    assert "middlewares.generic_fallback.GenericFallbackMiddleware" in project.SPIDER_MIDDLEWARES


def test_missed_fields_are_filled_and_counted_per_source_and_field() -> None:
    spider = project_spider(ThepaperSpider)
    middleware = GenericFallbackMiddleware.from_crawler(spider.crawler)
    response = response_from_fixture(OLD_PAPER)
    item = thepaper.parse_article(response)
    assert item.title is None
    assert not item.complete
    out = middleware.get_processed_item(item, response)
    assert out is item
    assert item.complete
    assert item.missing == []
    assert item.title == "南昌启动城区内涝点改造 今年完成32处"
    stats = spider.crawler.stats
    for field in ("title", "published_at", "media.name", "content", "author.name"):
        assert stats.get_value(f"extract/fallback/thepaper/{field}") == 1, field
    assert sorted(item.extra["generic_fields"]) == sorted(
        ["title", "published_at", "media.name", "content", "author.name"]
    )


def test_fields_the_site_parser_found_are_left_alone() -> None:
    response = response_from_fixture(PEOPLE)
    item = people.parse_article(response)
    before = (item.title, item.published_at, item.media.name, item.content, item.author.name)
    assert fill_from_generic(item, response) == []
    assert (item.title, item.published_at, item.media.name, item.content, item.author.name) == (
        before
    )
    assert "generic_fields" not in item.extra


def test_only_article_items_of_the_page_itself() -> None:
    response = response_from_fixture(OLD_PAPER)
    card = OpinionItem(
        url="https://www.thepaper.cn/newsDetail_forward_1", source="x", platform="news"
    )
    post = OpinionItem(url=OLD_PAPER, source="weibo", platform="weibo")
    deleted = OpinionItem(url=OLD_PAPER, source="x", platform="news", status="deleted")
    api = TextResponse(url=OLD_PAPER, body=b'{"data": []}', encoding="utf-8")
    article = OpinionItem(url=OLD_PAPER, source="x", platform="news")
    assert not applies(card, response)  # a list card about another page
    assert not applies(post, response)  # posts are read from their own structure
    assert not applies(deleted, response)
    assert not applies(article, api)  # an API answer is not a page
    assert applies(article, response)
