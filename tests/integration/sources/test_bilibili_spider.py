"""The bilibili spider's decisions: window paging, risk-control pause, profile cache.

Real Scrapy crawlers on the project's settings (`make_spider`), real Redis (back-off
and profile cache keys under the test's prefix), responses from the fixture files.
Facts modelled: search newest first with epoch-s `pubdate`; -352 risk control with
`v_voucher` (docs/platforms.md, Bilibili).
"""

from __future__ import annotations

import scrapy

import settings as project
from spiders.bilibili import parse as bilibili
from spiders.bilibili.spider import BilibiliSpider
from tests.helpers.fixtures import response_from_fixture
from tests.helpers.spiders import project_spider, with_meta
from yuqing_spiders.model.items import OpinionItem

WTS = project.SIGNING_REPLAY_TIME  # the fixtures were signed at the replay clock
KEYS = ["5a9f3c2e7d1b48a6b0c4e8f21d7a9b3c", "e41c7b9d2f0a4c6e8b1d3f5a7c9e0b2d"]
REPLAY = {"YUQING_REPLAY_URL": "http://127.0.0.1:1"}  # the fixed signing clock


def spider(redis_url: str, key_prefix: str, **settings) -> BilibiliSpider:
    """The spider on the project's settings; its Redis keys under the test's prefix."""
    return project_spider(
        BilibiliSpider,
        REDIS_URL=redis_url,
        YUQING_OPS_PREFIX=key_prefix,
        BLOCK_BACKOFF_KEY=f"{key_prefix}:backoff:%(engine)s",
        **REPLAY,
        **settings,
    )


def search_page(term: str, page: int):
    url = bilibili.search_url(term, page, (KEYS[0], KEYS[1]), WTS)
    meta = {"yuqing_source": "bilibili", "list_page": page, "term": term, "wbi": KEYS}
    return with_meta(response_from_fixture(url), **meta)


def test_pages_on_inside_the_window_and_stops_past_it(redis_url, key_prefix) -> None:
    made = spider(redis_url, key_prefix)
    first = list(made.parse_search(search_page("南昌", 1)))
    assert [r.url for r in first if "view/detail" in r.url] == [
        bilibili.detail_url("BV1Nc4y1A7aQ"),
        bilibili.detail_url("BV1Hx4y1T7kP"),
    ]
    assert first[-1].url == bilibili.search_url("南昌", 2, (KEYS[0], KEYS[1]), WTS)
    second = list(made.parse_search(search_page("南昌", 2)))
    assert all("view/detail" in r.url for r in second)  # 80 h old: window covered
    stats = made.crawler.stats
    assert stats.get_value("bilibili/search/window_covered") == 1
    assert stats.get_value("parse/record_errors/bilibili") == 1


def test_no_window_pages_up_to_max_list_pages(redis_url, key_prefix) -> None:
    made = spider(redis_url, key_prefix, BILIBILI_LOOKBACK_HOURS=0)
    second = list(made.parse_search(search_page("南昌", 2)))
    assert second[-1].url == bilibili.search_url("南昌", 3, (KEYS[0], KEYS[1]), WTS)


def test_risk_control_pauses_the_source(redis_url, key_prefix) -> None:
    made = spider(redis_url, key_prefix)
    assert list(made.parse_search(search_page("南昌地铁", 1))) == []
    assert made.crawler.stats.get_value("yuqing/blocked/bilibili/risk_control") == 1
    assert made.paused(made.source)
    nav = with_meta(response_from_fixture(bilibili.NAV_URL), yuqing_source="bilibili")
    assert list(made.parse(nav)) == []  # no search while paused


def test_card_is_fetched_once_then_cached(redis_url, key_prefix) -> None:
    made = spider(redis_url, key_prefix)
    detail = with_meta(
        response_from_fixture(bilibili.detail_url("BV1Km4y1Q7zR")),
        yuqing_source="bilibili",
        wbi=KEYS,
    )
    out = list(made.parse_article(detail))
    [card_request] = [r for r in out if isinstance(r, scrapy.Request) and "card" in r.url]
    card = response_from_fixture(card_request.url).replace(request=card_request)
    [item] = list(made.parse_card(card, **card_request.cb_kwargs))
    assert item.author.followers == 186000
    again = list(made.parse_article(detail))
    [cached] = [o for o in again if isinstance(o, OpinionItem)]
    assert (cached.author.followers, cached.author.verified_type) == (186000, 3)
    assert not any("card" in getattr(o, "url", "") for o in again if isinstance(o, scrapy.Request))
    assert made.crawler.stats.get_value("bilibili/profile/cache_hit") == 1
