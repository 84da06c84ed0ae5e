"""Requests the portal and search spiders yield can be queued in Redis and come back
whole (issue 12 item 1: a ListEntry / SearchResult in meta failed every article
request of sina, sohu, ... and every search source in worker mode).

The quick counterpart of tests/e2e/test_parity.py: the spiders' own callbacks on the
replay site's list answers (the shapes sources.md §3 and §9 document), each request
through the queue's JSON serializer and back, and the article callback then gets the
list's values from the rebuilt meta.
"""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse
from scrapy.utils.request import request_from_dict

from spiders.search.engines import BaiduNewsSpider
from spiders.sina.spider import SinaSpider
from tests.helpers.fixtures import response_from_fixture
from tests.helpers.search_pages import BAIDU_Q1
from tests.helpers.spiders import project_spider, with_meta
from yuqing_spiders.queue import serializer

SINA_FEED = "https://feed.mix.sina.com.cn/api/roll/get?pageid=153&lid=2510&k=&num=50&page=1"


def through_queue(request, spider):
    return request_from_dict(
        serializer.loads(serializer.dumps(request.to_dict(spider=spider))), spider=spider
    )


def test_portal_article_requests_cross_the_queue_with_their_list_entry():
    spider = project_spider(SinaSpider)
    requests = list(spider.parse(with_meta(response_from_fixture(SINA_FEED))))
    articles = [r for r in requests if r.callback == spider.parse_article]
    assert articles
    for request in articles:
        back = through_queue(request, spider)
        assert back.meta == request.meta
        page = HtmlResponse(back.url, body=b"<html><body></body></html>", request=back)
        (item,) = list(spider.parse_article(page))
        assert item.published_at is not None  # filled from the list entry
        assert item.title


def test_search_article_requests_cross_the_queue_with_their_result(redis_url, key_prefix):
    spider = project_spider(
        BaiduNewsSpider, REDIS_URL=redis_url, SEARCH_COOLDOWN_KEY=f"{key_prefix}:cd:%(engine)s"
    )
    page = with_meta(response_from_fixture(BAIDU_Q1), search_rule="nanchang", search_query="南昌")
    requests = [r for r in spider.parse_results(page) if r.callback == spider.parse_article]
    assert requests
    for request in requests:
        assert through_queue(request, spider).meta == request.meta


def test_an_object_in_meta_fails_loudly():
    spider = project_spider(SinaSpider)
    request = next(iter(spider.parse(with_meta(response_from_fixture(SINA_FEED)))))
    request.meta["list_entry"] = object()
    with pytest.raises(TypeError, match="list_entry"):
        serializer.dumps(request.to_dict(spider=spider))
