"""Front-page placement: board parsers, the snapshot store, and item flags.

Fixtures model sources.md §8 (and §4, §5.2 for hot lists): the 人民网 home page (GBK,
article links under blocks with ids; its real block selectors are not public); 网易
`cm_yaowen20200213` JSONP; 新浪 roll feed lid 2509; 腾讯 getPCList and 搜狐 odin
blockdata (POST, one fixture per path); 凤凰 `var allData` with `newsstream`; 澎湃
m.thepaper.cn `__NEXT_DATA__` (`topData.recommendImg`, `data.list`); Weibo
`ajax/side/hotSearch` (`data.realtime[]`, ads with `is_ad`); Baidu
`<!--s-data:...-->` (`data.cards[0].content[]`); Toutiao hot board `data[]`
(`ClusterIdStr`). Redis and the MongoDB wire server are real.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from scrapy.exceptions import DropItem
from scrapy.http import TextResponse
from scrapy.utils.test import get_crawler

from pipelines.frontpage import FrontPagePipeline, FrontPageSnapshotPipeline
from pipelines.identity import IdentityPipeline
from pipelines.normalise import NormalisePipeline
from spiders.frontpage import parse as frontpage
from spiders.netease import parse as netease
from tests.helpers.fixtures import response_from_fixture
from yuqing_spiders.extract.kit.payload import BadPayload
from yuqing_spiders.model.items import FrontPageSnapshot, OpinionItem
from yuqing_spiders.store.documents import to_document

NETEASE_YAOWEN = "https://news.163.com/special/cm_yaowen20200213/"
STOPPAGE = "https://www.163.com/news/article/JH3A8K2L000189FH.html"


def board(url):
    return frontpage.parse_board(response_from_fixture(url).replace(url=url))


def test_people_home_links_are_canonical_and_ranked_per_block():
    site, links = board("http://www.people.com.cn/")
    assert site == "people"
    by_block = {}
    for link in links:
        by_block.setdefault(link.block, []).append((link.rank, link.canonical_url))
    assert by_block["rmw_toutiao"][0] == (
        1,
        "http://politics.people.com.cn/n1/2026/1125/c1001-40613001.html",
    )
    # https + #comments on the page, stored as the people parser names it.
    assert by_block["rmw_yaowen"][0] == (
        1,
        "http://society.people.com.cn/n1/2026/1124/c1008-40612345.html",
    )
    assert [r for r, _ in by_block["rmw_yaowen"]] == [1, 2, 3]  # the list link is not an article


@pytest.mark.parametrize(
    ("url", "site", "count", "first_block"),
    [
        (NETEASE_YAOWEN, "netease", 2, "要闻"),
        (
            "https://feed.mix.sina.com.cn/api/roll/get?pageid=153&lid=2509&k=&num=50&page=1",
            "sina",
            3,
            "滚动",
        ),
        ("https://i.news.qq.com/web_feed/getPCList", "tencent", 2, "要闻"),
        ("https://odin.sohu.com/odin/api/blockdata", "sohu", 2, "要闻"),
        ("https://news.ifeng.com/", "ifeng", 3, "头条"),
        ("https://m.thepaper.cn/", "thepaper", 3, "头条"),
        ("https://weibo.com/ajax/side/hotSearch", "weibo_hot", 3, "热搜"),
        ("https://top.baidu.com/board?tab=realtime", "baidu_hot", 2, "实时热点"),
        (
            "https://www.toutiao.com/hot-event/hot-board/?origin=toutiao_pc",
            "toutiao_hot",
            2,
            "热榜",
        ),
    ],
)
def test_every_board_reads_its_page(url, site, count, first_block):
    found_site, links = board(url)
    assert found_site == site
    assert len(links) == count
    assert links[0].block == first_block
    assert links[0].rank == 1
    assert all(link.canonical_url for link in links)


def test_hot_lists_link_to_the_platforms_topic_pages_and_skip_ads():
    _, weibo = board("https://weibo.com/ajax/side/hotSearch")
    assert [link.title for link in weibo] == [
        "南昌地铁4号线早高峰加开列车",
        "全国冬季供暖全面启动",
        "青山湖区停水",
    ]
    assert (
        weibo[2].url
        == "https://s.weibo.com/weibo?q=%23%E9%9D%92%E5%B1%B1%E6%B9%96%E5%8C%BA%E5%81%9C%E6%B0%B4%23"
    )
    _, toutiao = board("https://www.toutiao.com/hot-event/hot-board/?origin=toutiao_pc")
    assert toutiao[0].url == "https://www.toutiao.com/trending/7441234567890123456/"


def test_a_changed_front_page_is_a_reason_not_an_empty_poll():
    html = TextResponse(
        url="https://m.thepaper.cn/", body=b"<html><body>new</body></html>", encoding="utf-8"
    )
    with pytest.raises(BadPayload) as caught:
        frontpage.parse_board(html)
    assert caught.value.reason == "no_embedded_json"
    hot = TextResponse(
        url="https://weibo.com/ajax/side/hotSearch", body=b'{"ok": -100}', encoding="utf-8"
    )
    with pytest.raises(BadPayload):
        frontpage.parse_board(hot)


# --- the store and the flags --------------------------------------------------------------


@pytest.fixture
def crawler(redis_url, mongo_uri, mongo_db_name, key_prefix):
    crawler = get_crawler(
        settings_dict={
            "REDIS_URL": redis_url,
            "MONGO_URI": mongo_uri,
            "MONGO_DATABASE": mongo_db_name,
            "FRONTPAGE_REDIS_PREFIX": f"{key_prefix}:frontpage",
            "FRONTPAGE_PLACEMENT_TTL": 3600,
            "FRONTPAGE_CURRENT_TTL": 600,
            "YUQING_DEFAULT_TZ": "Asia/Shanghai",
        }
    )
    crawler.stats.open_spider()
    return crawler


def poll(crawler, seen_at, url=NETEASE_YAOWEN):
    site, links = board(url)
    snapshot = FrontPageSnapshot(site=site, page=url, seen_at=seen_at, links=links)

    async def run():
        pipeline = FrontPageSnapshotPipeline.from_crawler(crawler)
        await pipeline.open_spider()
        try:
            with pytest.raises(DropItem):  # consumed: no opinion stage sees a snapshot
                await pipeline.process_item(snapshot)
            # Anything else passes through untouched.
            other = OpinionItem(url="https://x.cn/1", source="x", platform="news")
            assert await pipeline.process_item(other) is other
        finally:
            await pipeline.close_spider()

    asyncio.run(run())
    return snapshot


def crawl_article(crawler, url=STOPPAGE):
    item = netease.parse_article(response_from_fixture(url))
    for stage in (NormalisePipeline, IdentityPipeline, FrontPagePipeline):
        item = stage.from_crawler(crawler).process_item(item)
    return item


def test_item_crawled_after_a_poll_is_flagged_with_its_first_sighting(crawler, mongo_db):
    first = datetime(2026, 11, 26, 0, 5, tzinfo=UTC)
    poll(crawler, first)
    poll(crawler, first + timedelta(minutes=5))  # still there: first seen stays
    item = crawl_article(crawler)
    assert [(p.site, p.block, p.position) for p in item.front_page] == [("netease", "要闻", 2)]
    assert item.front_page[0].seen_at == first
    assert item.first_seen_at == first  # seen on the front page before yuqing fetched it
    assert crawler.stats.get_value("frontpage/flagged") == 1
    snapshots = list(mongo_db.frontpage_snapshots.find().sort("seen_at", 1))
    assert len(snapshots) == 2
    assert snapshots[0]["links"][1]["canonical_url"] == STOPPAGE
    assert snapshots[0]["links"][1]["rank"] == 2
    # An article never on a front page is left alone.
    other = crawl_article(crawler, "https://www.163.com/dy/article/JH3C1V7F05346KF7.html")
    assert other.front_page == []
    assert other.first_seen_at is None


def test_stored_item_is_updated_by_a_later_poll_once_per_site(crawler, mongo_db):
    item = crawl_article(crawler)  # crawled before any poll: not flagged
    assert item.front_page == []
    mongo_db.opinions.insert_one(to_document(item))
    later = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)
    poll(crawler, later)
    poll(crawler, later + timedelta(minutes=5))
    stored = mongo_db.opinions.find_one({"_id": item.id})
    assert len(stored["front_page"]) == 1
    placement = stored["front_page"][0]
    assert (placement["site"], placement["block"], placement["position"]) == ("netease", "要闻", 2)
    assert placement["seen_at"].replace(tzinfo=UTC) == later
    assert crawler.stats.get_value("frontpage/stored_items_flagged") == 1


def test_the_current_set_follows_the_latest_poll(crawler, redis_client, key_prefix):
    seen = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
    poll(crawler, seen)
    current = redis_client.hgetall(f"{key_prefix}:frontpage:current:netease")
    assert {k.decode() for k in current} == {
        "https://www.163.com/news/article/JH3F00QK0001899O.html",
        STOPPAGE,
    }
    assert 0 < redis_client.ttl(f"{key_prefix}:frontpage:current:netease") <= 600


def test_snapshots_are_not_stored_without_services():
    crawler = get_crawler(settings_dict={"REDIS_URL": None, "MONGO_URI": None})
    crawler.stats.open_spider()
    snapshot = FrontPageSnapshot(site="x", page="https://x.cn/", seen_at=datetime.now(UTC))

    async def run():
        pipeline = FrontPageSnapshotPipeline.from_crawler(crawler)
        await pipeline.open_spider()
        with pytest.raises(DropItem):
            await pipeline.process_item(snapshot)

    asyncio.run(run())
    assert crawler.stats.get_value("frontpage/snapshots_not_stored") == 1
