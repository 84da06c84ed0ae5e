"""Spider decisions on blocked and odd answers: counted, backed off, never parsed.

Real Scrapy crawlers (get_crawler with the project's settings), real Redis (the
session server; keys under a test prefix), responses built from the fixture files.
Facts modelled: Sogou's antispider page (sources.md §5.1), Toutiao's JS challenge
(§5.2), the 领导留言板 SN0006 answer to a bad signature (§7.1), 问政江西 ids that only
grow (§7.2), Tieba answers for another thread than asked (one answer per path on the
replay site, also what a caching proxy can do).
"""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
import scrapy
from scrapy.downloadermiddlewares.cookies import CookiesMiddleware
from scrapy.http import HtmlResponse, TextResponse
from scrapy.utils.test import get_crawler

import settings as project
from spiders.liuyan import parse as liuyan
from spiders.liuyan.spider import LiuyanSpider
from spiders.tieba import parse as tieba
from spiders.tieba.spider import TiebaSpider
from spiders.toutiao import parse as toutiao
from spiders.toutiao.spider import ToutiaoSpider
from spiders.weixin import parse as weixin
from spiders.weixin.spider import WeixinSpider
from spiders.wenz.spider import WalkState
from tests.helpers.fixtures import response_from_fixture
from yuqing_spiders.model.items import CommentItem, OpinionItem


@pytest.fixture
def make_spider(redis_url, key_prefix):
    def make(cls: type[scrapy.Spider]) -> scrapy.Spider:
        values = {k: getattr(project, k) for k in dir(project) if k.isupper()}
        values.update(
            REDIS_URL=redis_url,
            BLOCK_BACKOFF_KEY=f"{key_prefix}:backoff:%(engine)s",
            WENZ_LAST_ID_KEY=f"{key_prefix}:wenz:last_id",
            WENZ_LAST_MONTH_KEY=f"{key_prefix}:wenz:last_month",
        )
        crawler = get_crawler(cls, values)
        crawler.stats.open_spider()
        spider = cls.from_crawler(crawler)
        crawler.spider = spider
        return spider

    return make


def _with_meta(response: TextResponse, **meta: object) -> TextResponse:
    request = scrapy.Request(response.url, meta=meta)
    return response.replace(request=request)


def test_sogou_antispider_is_counted_and_pauses_the_source(make_spider, redis_client, key_prefix):
    spider = make_spider(WeixinSpider)
    anti = "https://weixin.sogou.com/antispider/?from=" + quote(
        f"/weixin?query={quote('南昌停水')}&type=2&page=2&ie=utf8", safe=""
    )
    page = _with_meta(
        response_from_fixture(anti), yuqing_source="weixin", term="南昌停水", list_page=2
    )
    assert list(spider.parse_search(page)) == []
    stats = spider.crawler.stats
    assert stats.get_value("yuqing/blocked/weixin/antispider") == 1
    assert stats.get_value("yuqing/backoff/started/weixin") == 1
    assert redis_client.ttl(f"{key_prefix}:backoff:weixin") > 0
    # While paused, the home page starts no search at all.
    home = _with_meta(response_from_fixture("https://weixin.sogou.com/"), yuqing_source="weixin")
    assert list(spider.parse(home)) == []
    assert stats.get_value("yuqing/backoff/skipped/weixin") == 1


def test_search_page_starts_the_cookie_steps_then_the_links(make_spider):
    spider = make_spider(WeixinSpider)
    page = _with_meta(
        response_from_fixture(weixin.search_url("南昌地铁")),
        yuqing_source="weixin",
        term="南昌地铁",
        list_page=1,
    )
    [first] = list(spider.parse_search(page))  # no next page on this one
    assert first.url == weixin.SUID_CSS_URL
    assert first.cookies[0]["name"] == "SNUID"
    assert first.cookies[0]["domain"] == ".sogou.com"  # sent on to weixin.sogou.com
    assert first.meta["yuqing_allow_empty"]
    assert "SNUID" not in json.dumps(first.meta)  # the cookie value never rides in meta
    css = HtmlResponse(url=first.url, body=b".a{}", request=first)
    [second] = list(spider.after_cookie_step(css))
    assert second.url == weixin.JSESSION_URL
    [third] = list(spider.after_cookie_step(HtmlResponse(url=second.url, body=b"", request=second)))
    assert third.url.startswith(weixin.SUV_PIXEL_URL)
    links = list(spider.after_cookie_step(HtmlResponse(url=third.url, body=b"", request=third)))
    assert len(links) == 2
    assert all("&k=" in r.url and "&h=" in r.url for r in links)
    assert links[0].headers["Referer"] == page.url.encode()
    # Scrapy's own cookie middleware: SNUID given on www.sogou.com reaches the link pages.
    cookies = CookiesMiddleware.from_crawler(spider.crawler)
    cookies.process_request(first)
    cookies.process_request(links[0])
    assert b"SNUID=1F2E3D4C5B6A79880796A5B4C3D2E1F0" in links[0].headers["Cookie"]


def test_toutiao_challenge_goes_to_the_browser_once_then_counts(make_spider):
    spider = make_spider(ToutiaoSpider)
    card = toutiao.parse_search(response_from_fixture(toutiao.search_url("南昌城管"))).cards[1]
    plain = _with_meta(
        response_from_fixture(card.url), yuqing_source="toutiao", card=card.to_meta()
    )
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


def test_liuyan_bad_signature_is_counted_paused_and_yields_nothing(
    make_spider, redis_client, key_prefix
):
    spider = make_spider(LiuyanSpider)
    error = TextResponse(
        url=liuyan.HOST + liuyan.LIST_PATH,
        body='{"code":"SN0006","msg":"数据格式错误"}'.encode(),
        encoding="utf-8",
        request=scrapy.Request(
            liuyan.HOST + liuyan.LIST_PATH,
            meta={
                "yuqing_source": "liuyan",
                "app_code": "x",
                "board": "南昌市",
                "fid": "1",
                "list_page": 1,
            },
        ),
    )
    assert list(spider.parse_list(error)) == []
    stats = spider.crawler.stats
    assert stats.get_value("yuqing/api_error/liuyan/SN0006") == 1
    assert stats.get_value("yuqing/blocked/liuyan/api_SN0006") == 1
    assert redis_client.exists(f"{key_prefix}:backoff:liuyan")


def test_liuyan_detail_for_another_thread_falls_back_to_the_row(make_spider):
    spider = make_spider(LiuyanSpider)
    rows = liuyan.parse_list(
        json.loads(response_from_fixture(liuyan.HOST + liuyan.LIST_PATH).text)
    ).rows
    asked = rows[0]  # 21876545; the fixture answers for 21876543
    detail = response_from_fixture(liuyan.HOST + liuyan.DETAIL_PATH).replace(
        request=scrapy.Request(
            liuyan.HOST + liuyan.DETAIL_PATH, meta={"yuqing_source": "liuyan", "row": asked}
        )
    )
    [item] = list(spider.parse_detail(detail))
    assert item.native_id == "21876545"
    assert item.status == "待回复"
    assert "official_replies" not in item.extra
    assert spider.crawler.stats.get_value("liuyan/detail_mismatch") == 1


def test_tieba_answer_for_another_thread_goes_to_the_legacy_page(make_spider):
    spider = make_spider(TiebaSpider)
    ref = {"tid": "9231456702", "title": "南昌县莲塘这边的学校门口每天早上堵得水泄不通"}
    answer = response_from_fixture(tieba.PB_URL).replace(
        request=scrapy.Request(
            tieba.PB_URL,
            meta={"yuqing_source": "tieba", "thread_ref": ref, "page": 1, "tbs": "t"},
        )
    )
    [legacy] = list(spider.parse_pb(answer))
    assert legacy.url == "https://tieba.baidu.com/p/9231456702"
    assert spider.crawler.stats.get_value("tieba/api_mismatch/pb") == 1
    right = response_from_fixture(tieba.PB_URL).replace(
        request=scrapy.Request(
            tieba.PB_URL,
            meta={
                "yuqing_source": "tieba",
                "thread_ref": {"tid": "9231456701"},
                "page": 1,
                "tbs": "t",
            },
        )
    )
    out = list(spider.parse_pb(right))
    assert [type(o) for o in out] == [OpinionItem] + [CommentItem] * 4


def test_walk_state_only_ever_rises(redis_client, key_prefix):
    state = WalkState(redis_client, f"{key_prefix}:ids", f"{key_prefix}:months")
    assert state.load("wenz_jx") is None
    assert state.raise_to("wenz_jx", 481703, "202611")
    assert not state.raise_to("wenz_jx", 481700, "202610")  # a slower walk cannot lower it
    assert state.load("wenz_jx") == (481703, "202611")
    memory = WalkState(None, "a", "b")
    assert memory.raise_to("s", 5, "202601")
    assert not memory.raise_to("s", 4, "202601")
    assert memory.load("s") == (5, "202601")
