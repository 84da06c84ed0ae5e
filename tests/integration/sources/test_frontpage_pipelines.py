"""Front-page placement: the snapshot store and the item flags (pipelines/frontpage.py).

A front-page poll (spiders/frontpage) stores a snapshot of where each link stood; an
article crawled later is flagged with its first sighting there. Fixtures model
网易 `cm_yaowen20200213` JSONP and the article it leads with. The boards'
parsing is in tests/unit/sources/test_frontpage.py. Redis and the MongoDB wire server
are real.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from pipelines.events import EventsPipeline
from pipelines.frontpage import FrontPagePipeline, FrontPageSnapshotPipeline
from pipelines.identity import IdentityPipeline
from pipelines.normalise import NormalisePipeline
from spiders.netease import parse as netease
from tests.helpers.boards import board
from tests.helpers.fixtures import response_from_fixture
from yuqing_spiders.model.items import FrontPageSnapshot, OpinionItem
from yuqing_spiders.store.documents import to_document

NETEASE_YAOWEN = "https://news.163.com/special/cm_yaowen20200213/"
STOPPAGE = "https://www.163.com/news/article/JH3A8K2L000189FH.html"


# --- the store and the flags --------------------------------------------------------------


@pytest.fixture
def settings(redis_url, mongo_uri, mongo_db_name, key_prefix) -> dict:
    return {
        "REDIS_URL": redis_url,
        "MONGO_URI": mongo_uri,
        "MONGO_DATABASE": mongo_db_name,
        "FRONTPAGE_REDIS_PREFIX": f"{key_prefix}:frontpage",
        "FRONTPAGE_PLACEMENT_TTL": 3600,
        "FRONTPAGE_CURRENT_TTL": 600,
        "YUQING_DEFAULT_TZ": "Asia/Shanghai",
    }


@pytest.fixture
def crawler(settings):
    crawler = get_crawler(settings_dict=settings)
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


def test_the_event_stage_reads_the_placements_for_the_front_page_stage(
    settings, redis_client, key_prefix
):
    """With the front-page stage after the event stage (the project's order), the
    event's one script call also reads the item's placements: their site joins the
    event's front pages there, and the front-page stage flags the item from what was
    read, without a Redis call of its own (one round trip fewer per item)."""
    stages = {"pipelines.events.EventsPipeline": 600, "pipelines.frontpage.FrontPagePipeline": 605}
    crawler = get_crawler(
        settings_dict={
            **settings,
            "ITEM_PIPELINES": stages,
            "EVENTS_REDIS_PREFIX": f"{key_prefix}:ev",
        }
    )
    crawler.stats.open_spider()
    first = datetime(2026, 11, 26, 0, 5, tzinfo=UTC)
    poll(crawler, first)
    item = netease.parse_article(response_from_fixture(STOPPAGE))
    for stage in (NormalisePipeline, IdentityPipeline):
        item = stage.from_crawler(crawler).process_item(item)
    events = EventsPipeline.from_crawler(crawler)
    events.open_spider()
    front = FrontPagePipeline.from_crawler(crawler)
    item = events.process_item(item)
    sent = []
    original = front.store.client.execute_command
    front.store.client.execute_command = lambda *a, **k: sent.append(a) or original(*a, **k)
    item = front.process_item(item)
    assert sent == []  # no call of its own
    assert [(p.site, p.block, p.position) for p in item.front_page] == [("netease", "要闻", 2)]
    assert item.first_seen_at == first
    assert crawler.stats.get_value("frontpage/read_with_event") == 1
    assert crawler.stats.get_value("frontpage/flagged") == 1
    sites = redis_client.smembers(f"{key_prefix}:ev:event:{item.event_id}:frontpage")
    assert sites == {b"netease"}
    # Another article, never on a front page: read (nothing there), nothing flagged.
    other = netease.parse_article(
        response_from_fixture("https://www.163.com/dy/article/JH3C1V7F05346KF7.html")
    )
    for stage in (NormalisePipeline, IdentityPipeline):
        other = stage.from_crawler(crawler).process_item(other)
    other = front.process_item(events.process_item(other))
    assert other.front_page == []
    assert crawler.stats.get_value("frontpage/read_with_event") == 2
    events.close_spider()
