"""A portal whose JSON feed changed is read from its HTML channel page (issue 14).

A real crawler on the project's settings; the feed answer is an HTML error page (a
changed API), the channel page is the fixture `news.sina.com.cn/china/` (models sina's
国内 channel: a feed list of headline links with times, a hot-ranking box, navigation).
"""

from __future__ import annotations

import scrapy
from scrapy.http import HtmlResponse

from spiders.sina.spider import SinaSpider
from tests.helpers.fixtures import response_from_fixture
from tests.helpers.spiders import project_spider, with_meta
from yuqing_spiders.extract.kit.lists import ListEntry

FEED = "https://feed.mix.sina.com.cn/api/roll/get?pageid=153&lid=2510&k=&num=50&page=1"


def test_unreadable_feed_falls_back_to_the_channel_page() -> None:
    spider = project_spider(SinaSpider)
    broken = HtmlResponse(url=FEED, body=b"<html><body>404 Not Found</body></html>")
    [channel] = list(spider.parse(broken))
    assert isinstance(channel, scrapy.Request)
    assert channel.url == "https://news.sina.com.cn/china/"
    assert channel.callback == spider.parse_channel
    assert spider.crawler.stats.get_value("sina/bad_list/not_json") == 1

    page = with_meta(response_from_fixture(channel.url), **channel.meta)
    articles = list(spider.parse_channel(page))
    # The feed's own articles, the video page and the hot ranking left out.
    assert [r.url for r in articles] == [
        "https://news.sina.com.cn/c/2026-11-25/doc-inhcvqxa8123456.shtml",
        "https://news.sina.com.cn/s/2026-11-24/doc-inhcrkzm5098765.shtml",
    ]
    assert all(r.callback == spider.parse_article for r in articles)
    entry = ListEntry.from_meta(articles[0].meta["list_entry"])
    assert entry is not None
    assert entry.title == "南昌地铁4号线早高峰加开8趟列车 部分站点候车时间缩短"
    assert spider.crawler.stats.get_value("sina/channel_fallback/links") == 2


def test_a_channel_page_never_falls_back_again() -> None:
    spider = project_spider(SinaSpider)
    broken = with_meta(
        HtmlResponse(url=FEED, body=b"<html><body>busy</body></html>"), channel_fallback=True
    )
    assert list(spider.parse(broken)) == []
