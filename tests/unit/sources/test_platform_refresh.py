"""Refresh requests and sessions of the platform spiders, at the request level.

Public facts modelled: each platform's stored item URL (docs/platforms.md, "Detail")
is the page a person opens; the counters come from the platform's detail call, which
these tests expect the refresh to build. Zhihu's x-zse-96 covers the d_c0 cookie, so
with a cookie-pool session the d_c0 signed must be the session's.
"""

from __future__ import annotations

import asyncio
import json

import scrapy
from scrapy.http import HtmlResponse, TextResponse

from spiders.bilibili.parse import NAV_URL
from spiders.bilibili.spider import BilibiliSpider
from spiders.douyin.spider import DouyinSpider
from spiders.kuaishou.spider import KuaishouSpider
from spiders.xiaohongshu.spider import XiaohongshuSpider
from spiders.zhihu.spider import ZhihuSpider
from tests.helpers.fixtures import response_from_fixture
from tests.helpers.spiders import project_spider
from yuqing_spiders.model import meta
from yuqing_spiders.queue.seeds import Seed


def refresh(url: str, source: str) -> Seed:
    return Seed(url=url, source=source, kind="refresh", meta={"opinion_id": f"{source}:x"})


BILIBILI_DETAIL = "https://api.bilibili.com/x/web-interface/view/detail?bvid=BV1Nc4y1A7aQ"


def started(spider: object, start: scrapy.Request, page: TextResponse) -> list[scrapy.Request]:
    """What the refresh's start page callback asks for, given `page` as its answer."""

    async def collect() -> list[scrapy.Request]:
        return [r async for r in spider.parse_refresh_start(page.replace(request=start))]

    return asyncio.run(collect())


def test_bilibili_refreshes_with_the_wbi_keys_its_comment_pages_need() -> None:
    # view/detail is unsigned; the comment pages are WBI-signed with nav's keys.
    spider = project_spider(BilibiliSpider, REDIS_URL="")
    seed = refresh("https://www.bilibili.com/video/BV1Nc4y1A7aQ", "bilibili")
    nav = spider.refresh_request(seed)  # no keys yet: nav first
    assert (nav.url, nav.callback) == (NAV_URL, spider.parse_refresh_start)
    [detail] = started(spider, nav, response_from_fixture(NAV_URL))
    assert detail.url == BILIBILI_DETAIL
    assert detail.callback == spider.parse_article
    assert len(detail.meta["wbi"]) == 2
    assert (detail.meta[meta.KIND], detail.meta["opinion_id"]) == ("refresh", "bilibili:x")
    # Keys read within BILIBILI_WBI_KEYS_TTL: the next refresh asks view/detail at once.
    again = spider.refresh_request(seed)
    assert (again.url, again.meta["wbi"]) == (BILIBILI_DETAIL, detail.meta["wbi"])


def test_a_bilibili_refresh_without_keys_still_reads_the_counters() -> None:
    spider = project_spider(BilibiliSpider, REDIS_URL="")
    nav = spider.refresh_request(refresh("https://www.bilibili.com/video/BV1Nc4y1A7aQ", "bilibili"))
    logged_out = TextResponse(NAV_URL, body=b'{"code":-101,"data":{"isLogin":false}}')
    [detail] = started(spider, nav, logged_out)
    assert detail.url == BILIBILI_DETAIL
    assert "wbi" not in detail.meta  # no comment pages this time
    assert spider.crawler.stats.get_value("bilibili/bad_answer/nav/api_error") == 1


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
