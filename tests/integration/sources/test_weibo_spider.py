"""The weibo spider's callbacks on fixture responses: what it asks for next, and how it
counts answers it cannot use. Sessions live in the real Redis."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import redis
import scrapy
from scrapy.http import TextResponse
from scrapy.utils.test import get_crawler

from spiders.weibo.search import Slice, mobile_url, pc_url
from spiders.weibo.spider import WeiboSpider
from tests.helpers.paths import FIXTURES_WEB, REPO
from yuqing_spiders.analysis.watchlist import load_watchlist
from yuqing_spiders.fetch.sessions import CookiePool
from yuqing_spiders.model.items import OpinionItem
from yuqing_spiders.replay.record import fixture_path

KEYWORD = "南昌地铁"
CONFIG = "https://m.weibo.cn/api/config"


def make_spider(
    redis_url: str, prefix: str, sources: Path | None = None, **settings: Any
) -> WeiboSpider:
    crawler = get_crawler(
        WeiboSpider,
        settings_dict={
            "YUQING_SOURCES_FILE": str(sources or REPO / "settings" / "sources.yaml"),
            "YUQING_WATCHLIST_FILE": str(REPO / "settings" / "watchlist.yaml"),
            "REDIS_URL": redis_url,
            "YUQING_OPS_PREFIX": prefix,
            "WEIBO_PAGE_CAP": 50,
            "WEIBO_LOOKBACK_DAYS": 2,
            "WEIBO_HOME_PROVINCE": "36",
            "WEIBO_HOME_CITIES": 11,
            "WEIBO_SEARCH_TYPE": "61",
            "WEIBO_COMMENT_PAGES": 1,
            "WEIBO_USER_CACHE_TTL": 60,
            "WEIBO_PC_SEARCH": True,
            **settings,
        },
    )
    crawler._apply_settings()
    spider = WeiboSpider.from_crawler(crawler)
    crawler.spider = spider
    return spider


def answer(url: str, body: bytes | None = None, **meta: Any) -> TextResponse:
    request = scrapy.Request(url, meta=meta)
    if body is None:
        body = fixture_path(FIXTURES_WEB, url).read_bytes()
    return TextResponse(url, body=body, encoding="utf-8", request=request)


def stats(spider: WeiboSpider) -> dict[str, Any]:
    return spider.crawler.stats.get_stats()


def test_keywords_from_the_source_or_the_watch_list(
    redis_url: str, key_prefix: str, tmp_path: Path
) -> None:
    assert make_spider(redis_url, key_prefix).keywords() == [KEYWORD]
    bare = tmp_path / "sources.yaml"
    bare.write_text(
        "sources:\n  weibo:\n    name: 新浪微博\n    platform: weibo\n"
        "    start_urls: [https://m.weibo.cn/api/config]\n",
        encoding="utf-8",
    )
    queries = [r.query for r in load_watchlist(REPO / "settings" / "watchlist.yaml").searches()]
    assert queries
    assert make_spider(redis_url, key_prefix, bare).keywords() == queries


def test_start_page_picks_the_site_by_session(redis_url: str, key_prefix: str) -> None:
    spider = make_spider(redis_url, key_prefix)
    visitor = list(spider.parse(answer(CONFIG, cookie_pool_kind="visitor", cookie_pool_id="v1")))
    assert [r.url for r in visitor] == [mobile_url(Slice(KEYWORD))]
    assert visitor[0].callback == spider.parse_search
    assert visitor[0].headers[b"X-Requested-With"] == b"XMLHttpRequest"
    pool = CookiePool(redis.Redis.from_url(redis_url), "weibo", f"{key_prefix}:cookies")
    used, other = pool.load([("a", "SUB=a"), ("b", "SUB=b")])
    login = list(spider.parse(answer(CONFIG, cookie_pool_kind="login", cookie_pool_id=used)))
    checks = [r for r in login if r.callback == spider.parse_session_check]
    assert [r.meta["cookie_pool_force"] for r in checks] == [other]  # the other account
    searches = [r for r in login if r.callback == spider.parse_pc_search]
    assert [r.url for r in searches] == [pc_url(Slice(KEYWORD))]


def test_session_check_expires_a_logged_out_account(redis_url: str, key_prefix: str) -> None:
    spider = make_spider(redis_url, key_prefix)
    pool = CookiePool(redis.Redis.from_url(redis_url), "weibo", f"{key_prefix}:cookies")
    (sid,) = pool.load([("weibo/a.txt#1", "SUB=gone")])
    body = b'{"preferQuickapp":0,"data":{"login":false,"st":"x"},"ok":1}'
    spider.parse_session_check(answer(CONFIG, body, cookie_pool_force=sid))
    assert pool.expired()[sid]["reason"] == "health check: not logged in"
    assert stats(spider)["cookie_pool/weibo/expired"] == 1


def test_unreadable_answers_are_counted_and_logged_once(
    redis_url: str, key_prefix: str, caplog: pytest.LogCaptureFixture
) -> None:
    # A captcha page in place of JSON: nothing parsed, nothing crashes.
    spider = make_spider(redis_url, key_prefix)
    page = b"<html><head><title>Sina Visitor System</title></head></html>"
    meta = {"weibo_slice": Slice(KEYWORD).to_meta(), "list_page": 1}
    for _ in range(2):
        assert list(spider.parse_search(answer(mobile_url(Slice(KEYWORD)), page, **meta))) == []
    assert stats(spider)["weibo/invalid_json/search"] == 2
    assert caplog.text.count("search answer is not JSON") == 1


def test_capped_first_page_asks_for_narrower_queries(redis_url: str, key_prefix: str) -> None:
    spider = make_spider(redis_url, key_prefix, WEIBO_PAGE_CAP=3)
    meta = {"weibo_slice": Slice(KEYWORD).to_meta(), "list_page": 1}
    out = list(spider.parse_search(answer(mobile_url(Slice(KEYWORD)), **meta)))
    searches = [
        r.url for r in out if isinstance(r, scrapy.Request) and r.callback == spider.parse_search
    ]
    days = [
        Slice(KEYWORD, "2026-11-20-0", "2026-11-21-0"),
        Slice(KEYWORD, "2026-11-21-0", "2026-11-22-0"),
    ]
    assert searches == [mobile_url(d) for d in days]  # split, not page 2
    items = [o for o in out if isinstance(o, OpinionItem)]
    profiles = [
        r for r in out if isinstance(r, scrapy.Request) and r.callback == spider.parse_profile
    ]
    details = [
        r for r in out if isinstance(r, scrapy.Request) and r.callback == spider.parse_article
    ]
    # Page 1 shows five short posts, two by the account whose follower count posts do not
    # show: three items, two profile lookups, no detail page.
    assert (len(items), len(profiles), details) == (3, 2, [])
    assert {p.cb_kwargs["mblog"]["mid"] for p in profiles} == {
        "5102938475610017",
        "5102938475610018",
    }
    assert all(r.meta.get("yuqing_allow_empty") for r in profiles)
    # The same page again: every post is a duplicate now.
    again = list(spider.parse_search(answer(mobile_url(Slice(KEYWORD)), **meta)))
    assert not [o for o in again if isinstance(o, OpinionItem)]
    assert stats(spider)["weibo/search/duplicate_posts"] == 5
    assert stats(spider)["weibo/slice/split/all"] == 2


def test_uncapped_page_follows_the_next_page(redis_url: str, key_prefix: str) -> None:
    spider = make_spider(redis_url, key_prefix)
    meta = {"weibo_slice": Slice(KEYWORD).to_meta(), "list_page": 1}
    out = list(spider.parse_search(answer(mobile_url(Slice(KEYWORD)), **meta)))
    searches = [
        r for r in out if isinstance(r, scrapy.Request) and r.callback == spider.parse_search
    ]
    assert [(r.url, r.meta["list_page"]) for r in searches] == [(mobile_url(Slice(KEYWORD), 2), 2)]


def test_vanished_detail_page_falls_back_to_the_card(redis_url: str, key_prefix: str) -> None:
    spider = make_spider(redis_url, key_prefix)
    card = {
        "mid": "5102938475610099",
        "text": "南昌地铁2号线今天又晚点了",
        "author": {"name": "洪城小李", "id": "7712345678"},
        "verified": False,
        "verified_type": None,
        "time": "2026年11月21日 15:50",
        "metrics": [3, 4, 5],
        "pc_url": "https://weibo.com/7712345678/PbX99Xk7Q",
    }
    gone = "<html><body><p>微博不存在或暂无查看权限</p></body></html>".encode()
    url = "https://m.weibo.cn/detail/5102938475610099"
    (item,) = spider.parse_article(
        answer(url, gone, weibo_card=card, found_on=pc_url(Slice(KEYWORD)))
    )
    assert (item.native_id, item.content, item.author.name) == (
        "5102938475610099",
        card["text"],
        "洪城小李",
    )
    assert (item.metrics.comments, item.metrics.reposts, item.metrics.likes) == (3, 4, 5)
    assert item.published_at is not None
    assert item.extra["pc_url"] == card["pc_url"]
    assert list(spider.parse_article(answer(url, gone))) == []
    assert stats(spider)["weibo/detail/unreadable"] == 2


def test_comment_pages_follow_max_id_to_the_configured_depth(
    redis_url: str, key_prefix: str
) -> None:
    spider = make_spider(redis_url, key_prefix, WEIBO_COMMENT_PAGES=2)
    mid = "5102938475610002"
    url = f"https://m.weibo.cn/comments/hotflow?id={mid}&mid={mid}&max_id_type=0"
    out = list(spider.parse_comments(answer(url), parent=f"weibo:{mid}", mid=mid, page=1))
    (following,) = [o for o in out if isinstance(o, scrapy.Request)]
    assert following.url.endswith("&max_id=138840172343523&max_id_type=0")
    assert following.cb_kwargs["page"] == 2
    assert len([o for o in out if not isinstance(o, scrapy.Request)]) == 3
    last = list(spider.parse_comments(answer(following.url), **following.cb_kwargs))
    assert len(last) == 2  # two comments, no further page (max_id 0)
    shallow = make_spider(redis_url, key_prefix, WEIBO_COMMENT_PAGES=1)
    out = list(shallow.parse_comments(answer(url), parent=f"weibo:{mid}", mid=mid, page=1))
    assert not [o for o in out if isinstance(o, scrapy.Request)]
