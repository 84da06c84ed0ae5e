"""Refresh requests and sessions of the platform spiders, at the request level.

Public facts modelled: each platform's stored item URL (docs/platforms.md, "Detail")
is the page a person opens; the counters come from the platform's detail call, which
these tests expect the refresh to build. Zhihu's x-zse-96 covers the d_c0 cookie, so
with a cookie-pool session the d_c0 signed must be the session's.
"""

from __future__ import annotations

import json

import scrapy
from scrapy.http import HtmlResponse

from spiders.bilibili.spider import BilibiliSpider
from spiders.douyin.spider import DouyinSpider
from spiders.kuaishou.spider import KuaishouSpider
from spiders.xiaohongshu.spider import XiaohongshuSpider
from spiders.zhihu.spider import ZhihuSpider
from tests.helpers.spiders import project_spider
from yuqing_spiders.model import meta
from yuqing_spiders.queue.seeds import Seed


def refresh(url: str, source: str) -> Seed:
    return Seed(url=url, source=source, kind="refresh", meta={"opinion_id": f"{source}:x"})


def test_bilibili_refreshes_through_view_detail_at_once() -> None:
    spider = project_spider(BilibiliSpider, REDIS_URL="")
    request = spider.refresh_request(
        refresh("https://www.bilibili.com/video/BV1Nc4y1A7aQ", "bilibili")
    )
    assert request.url == "https://api.bilibili.com/x/web-interface/view/detail?bvid=BV1Nc4y1A7aQ"
    assert request.callback == spider.parse_article
    assert request.meta[meta.KIND] == "refresh"
    assert request.meta["opinion_id"] == "bilibili:x"


def test_douyin_and_zhihu_refresh_from_their_start_page_then_sign() -> None:
    douyin = project_spider(DouyinSpider, REDIS_URL="")
    first = douyin.refresh_request(
        refresh("https://www.douyin.com/video/7443100000000000001", "douyin")
    )
    assert first.url == "https://www.douyin.com/"
    assert first.callback == douyin.parse_refresh_start
    assert first.meta["refresh_target"] == "7443100000000000001"
    assert first.meta["refresh_meta"][meta.KIND] == "refresh"

    zhihu = project_spider(ZhihuSpider, REDIS_URL="")
    answer = zhihu.refresh_request(
        refresh("https://www.zhihu.com/question/682150001/answer/3301000001", "zhihu")
    )
    assert (answer.url, answer.meta["refresh_target"]) == (
        "https://www.zhihu.com/",
        "answer:3301000001",
    )
    article = zhihu.refresh_request(refresh("https://zhuanlan.zhihu.com/p/1950000001", "zhihu"))
    assert article.meta["refresh_target"] == "article:1950000001"


def test_kuaishou_refreshes_through_the_unsigned_graphql_video_detail_at_once() -> None:
    spider = project_spider(KuaishouSpider, REDIS_URL="")
    request = spider.refresh_request(
        refresh("https://www.kuaishou.com/short-video/3xstandinphoto001", "kuaishou")
    )
    assert (request.method, request.url) == ("POST", "https://www.kuaishou.com/graphql")
    body = json.loads(request.body)
    assert body["operationName"] == "visionVideoDetail"
    assert body["variables"]["photoId"] == "3xstandinphoto001"
    assert request.callback == spider.parse_detail
    assert request.cb_kwargs == {"photo": "3xstandinphoto001"}
    assert (request.meta[meta.KIND], request.meta["opinion_id"]) == ("refresh", "kuaishou:x")


def test_an_item_without_a_detail_call_is_fetched_but_never_parsed_as_a_start_page() -> None:
    # A stored URL naming no video (a creator's page): no detail call to refresh it
    # through; its page must not reach `parse` (the start page callback, which searches).
    spider = project_spider(KuaishouSpider, REDIS_URL="")
    request = spider.refresh_request(
        refresh("https://www.kuaishou.com/profile/3xstandinauthora1", "kuaishou")
    )
    assert request.callback == spider.parse_refresh_unsupported
    page = HtmlResponse(request.url, body=b"<html></html>", request=request)
    assert list(spider.parse_refresh_unsupported(page)) == []
    stats = spider.crawler.stats.get_stats()
    assert stats["kuaishou/refresh/unsupported"] == 1


def test_xiaohongshu_refresh_uses_the_kept_token(redis_url: str) -> None:
    spider = project_spider(XiaohongshuSpider, REDIS_URL=redis_url)
    note = "6745a1b2c3d4e5f6012345ff"
    url = f"https://www.xiaohongshu.com/explore/{note}"
    without = spider.refresh_request(refresh(url, "xiaohongshu"))
    assert without.url == url  # no token known: the plain page, counted
    spider.tokens.put(note, {"xsec_token": "ABtok="})
    request = spider.refresh_request(refresh(url, "xiaohongshu"))
    assert request.url == f"{url}?xsec_token=ABtok%3D&xsec_source=pc_search"
    assert request.callback == spider.parse_article


def test_zhihu_signs_with_the_pool_sessions_d_c0_and_pins_it(redis_url: str) -> None:
    spider = project_spider(ZhihuSpider, REDIS_URL=redis_url)
    assert spider.pool is not None
    sid = spider.pool.add("z_c0=login; d_c0=SESSIONd0=|1795658400")
    assert sid is not None
    home = HtmlResponse(
        "https://www.zhihu.com/",
        headers={"Set-Cookie": "d_c0=PAGEd0=|1; Path=/"},
        body=b"<html></html>",
    ).replace(request=None)
    with_session = home.replace(request=_request(home.url, {meta.COOKIE_POOL_ID: sid}))
    assert spider.home_d_c0(with_session, spider.source) == "SESSIONd0=|1795658400"
    assert spider._session_meta("SESSIONd0=|1795658400") == {meta.COOKIE_POOL_FORCE: sid}
    # Without the pool (a bare crawl), the d_c0 the page set.
    plain = home.replace(request=_request(home.url, {}))
    assert spider.home_d_c0(plain, spider.source) == "PAGEd0=|1"
    spider.pool.drop(sid)


def _request(url: str, meta_: dict[str, str]) -> scrapy.Request:
    return scrapy.Request(url, meta=meta_)
