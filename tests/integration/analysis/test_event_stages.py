"""The stages 600-720 with the MongoDB writer, on the real Redis and MongoDB wire server:
a story reposted across three sites, a Weibo post whose level rises, bad input."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pymongo
import pytest
import redis
import yaml
from scrapy.exceptions import NotConfigured
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from pipelines.alerts import AlertsPipeline
from pipelines.event_record import EventRecordPipeline
from pipelines.events import EventsPipeline
from pipelines.heat import HeatPipeline
from pipelines.level import LevelPipeline
from pipelines.mongo_writer import MongoWriterPipeline
from tests.helpers.receivers import HttpReceiver
from tests.helpers.stories import T0, story, three_sites
from yuqing_spiders.analysis import tracking
from yuqing_spiders.model.items import Author, Jurisdiction, Metrics, Sentiment
from yuqing_spiders.store.documents import FIRST_MOVED

STAGES = (EventsPipeline, HeatPipeline, LevelPipeline, AlertsPipeline, EventRecordPipeline)
COMPLAINT = (
    "#南昌身边事# 红谷滩区凤凰洲这个小区地下车库又被淹了，物业一个电话都没打，"
    "我们业主的车泡了一晚上，找物业理论也没人管。@南昌发布 @红谷滩发布 请管管！"
)


@pytest.fixture
def webhook() -> Iterator[HttpReceiver]:
    receiver = HttpReceiver()
    yield receiver
    receiver.close()


@pytest.fixture
def settings(redis_url: str, mongo_uri: str, mongo_db_name: str, key_prefix: str) -> dict:
    return {
        "REDIS_URL": redis_url,
        "MONGO_URI": mongo_uri,
        "MONGO_DATABASE": mongo_db_name,
        "EVENTS_REDIS_PREFIX": key_prefix,
    }


def chain(tmp_path: Path, settings: dict[str, Any], min_level: str, hook: str) -> tuple[list, Any]:
    alerting = tmp_path / "alerting.yaml"
    alerting.write_text(
        yaml.safe_dump(
            {
                "min_level": min_level,
                "retry": {"attempts": 2, "backoff_seconds": 0},
                "receivers": [{"name": "duty", "type": "webhook", "url": hook}],
            }
        )
    )
    crawler = get_crawler(
        settings_dict={
            **settings,
            "ALERTS_FILE": str(alerting),
            "EVENTS_FLUSH_INTERVAL": 0.2,
            "MONGO_BATCH_SIZE": 1,  # each item stored at once: the next crawl sees its series
            "YUQING_DATA_DIR": str(tmp_path),
        }
    )
    crawler.stats.open_spider()
    stages = [build_from_crawler(cls, crawler) for cls in STAGES]
    return [*stages, build_from_crawler(MongoWriterPipeline, crawler)], crawler


async def _maybe(result: Any) -> Any:
    return await result if asyncio.iscoroutine(result) else result


async def run(pipelines: list, items: list) -> None:
    for pipeline in pipelines:
        await _maybe(pipeline.open_spider())
    for item in items:
        for pipeline in pipelines:
            item = await _maybe(pipeline.process_item(item))
    for pipeline in pipelines:
        await _maybe(pipeline.close_spider())


def test_story_on_three_sites_one_event_central_first_one_alert(
    tmp_path: Path,
    settings: dict,
    mongo_db: pymongo.database.Database,
    webhook: HttpReceiver,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    people, jxnews, sina = three_sites()
    for item in (people, jxnews, sina):
        item.jurisdiction = Jurisdiction(province="江西省", city="南昌市", district="红谷滩区")
        item.sentiment = Sentiment(label="negative", score=-0.8)  # the office's rule: negative
        item.departments = ["区住建局"]
    pipelines, crawler = chain(tmp_path, settings, "important", f"{webhook.url}/duty")
    alerts = next(p for p in pipelines if isinstance(p, AlertsPipeline))
    alerting = count_packets(alerts, monkeypatch)
    leveling = count_packets(
        next(p for p in pipelines if isinstance(p, LevelPipeline)), monkeypatch
    )
    # The portal's copy is crawled first, the original last: the first publisher is
    # still people.com.cn, and the earlier-stored copies are corrected.
    asyncio.run(run(pipelines, [sina, jxnews, people]))

    assert people.event_id == jxnews.event_id == sina.event_id
    event = mongo_db["events"].find_one({"_id": people.event_id})
    assert event["central_first"] is True
    assert event["first"]["id"] == people.id
    assert event["member_count"] == 3
    assert sorted(event["members"]) == sorted([people.id, jxnews.id, sina.id])
    assert event["tiers"] == ["central_key", "commercial", "provincial_key"]
    assert event["level"] == "important"
    fields = {"repost_of": 1, "is_first_publisher": 1, "level": 1, "routed_to": 1, "simhash": 1}
    fields["extra"] = 1
    stored = {d["_id"]: d for d in mongo_db["opinions"].find({}, fields)}
    assert stored[people.id]["repost_of"] is None
    assert stored[people.id]["is_first_publisher"] is True
    assert stored[jxnews.id]["repost_of"] == people.id
    assert stored[sina.id]["repost_of"] == people.id
    assert stored[sina.id]["is_first_publisher"] is False
    # Each item keeps the level judged at its crawl: the portal's copy came before any
    # key medium had carried the story; the event (and its alert) is important.
    levels = [stored[i.id]["level"] for i in (sina, jxnews, people)]
    assert levels == ["general", "important", "important"]
    assert stored[sina.id]["routed_to"] == ["红谷滩区", "区住建局"]
    assert len(stored[people.id]["simhash"]) == 16
    # One story, one alert, whichever member raised it.
    assert [r.body["alert"]["_id"] for r in webhook.received] == [f"{people.event_id}@important"]
    alert = mongo_db["alerts"].find_one()
    # Raised by jxnews: a Nanchang story, negative, fresh, carried by a key medium.
    assert alert["payload"]["reasons"] == [
        "local:南昌市",
        "sentiment:negative",
        "fresh",
        "key_media:provincial_key",
    ]
    assert alert["deliveries"][0]["ok"] is True
    stats = crawler.stats.get_stats()
    assert (stats["events/new"], stats["events/joined"]) == (1, 2)
    # Each was published before those crawled ahead of it: none was a repost when
    # judged, and the stored copies were corrected afterwards.
    assert "events/reposts" not in stats
    # The writer corrected them in its batches (batch size 1): jxnews moved sina,
    # people moved sina and jxnews; the marker is never stored.
    assert stats["mongo/first_publisher_fixed"] == 3
    assert stats["events/first_moved"] == 2
    assert not any(FIRST_MOVED in (doc.get("extra") or {}) for doc in stored.values())
    assert stats["alerts/submitted"] == 1
    assert stats["alerts/already_submitted"] == 1  # people.com.cn, same event and level
    # The alert stage read the event's level and reasons from what the level stage
    # left on each important item: no Redis round trip of its own.
    assert stats["alerts/summary_attached"] == 2
    assert alerting == [0, 0, 0]
    # The level stage raised the event for the portal (general) and jxnews (important);
    # people.com.cn found it important already: no script call.
    assert leveling[1:] == [1, 0]
    assert stats["level/event_level_kept"] == 1
    assert stats["level/event_raised/important"] == 1


def weibo_post(crawl: int, comments: int, reposts: int, likes: int, reads: int | None):
    post = story(
        "4975012345678901",
        content=COMPLAINT,
        site="weibo.com",
        tier="self_media",
        platform="weibo",
        source="weibo",
        title=None,
        published=timedelta(0),
        crawled=timedelta(hours=1 + crawl),
    )
    post.url = "https://weibo.com/7512345678/P4xYz"
    post.author = Author(name="洪城车主老王", id="7512345678", followers=830, is_big_v=False)
    post.sentiment = Sentiment(label="negative", score=-0.7)
    post.jurisdiction = Jurisdiction(province="江西省", city="南昌市")
    post.metrics = Metrics(comments=comments, reposts=reposts, likes=likes, reads=reads)
    return post


def test_level_rise_alerts_again_and_a_repeat_does_not(
    tmp_path: Path,
    settings: dict,
    mongo_db: pymongo.database.Database,
    webhook: HttpReceiver,
    redis_client: redis.Redis,
    key_prefix: str,
) -> None:
    crawls = [
        weibo_post(0, 12, 3, 40, None),  # a complaint: general
        weibo_post(1, 15, 4, 45, None),  # re-crawled, still general: no second alert
        weibo_post(2, 8000, 30000, 100000, 5_000_000),  # gone viral: heat >= 30
    ]
    pipelines, crawler = chain(tmp_path, settings, "general", f"{webhook.url}/duty")
    asyncio.run(run(pipelines, crawls))

    first, repeat, viral = crawls
    assert first.level == repeat.level == "general"
    assert first.level_reasons == ["sentiment:negative"]  # a complaint
    assert viral.level == "important"
    assert viral.level_reasons == ["local:南昌市", "sentiment:negative", "fresh", "heat>=30"]
    assert viral.trend.label == "rising"
    assert viral.trend.points == 3  # two stored opinion_metrics points and this crawl
    assert [r.body["alert"]["level"] for r in webhook.received] == ["general", "important"]
    assert mongo_db["alerts"].count_documents({"key": first.event_id}) == 2
    # Hot and rising: tracked for the scheduler; the first crawls were not hot enough.
    due = tracking.tracked(redis_client, f"{key_prefix}:track")
    assert due == {viral.id: (T0 + timedelta(hours=3, minutes=20)).timestamp()}
    stats = crawler.stats.get_stats()
    assert stats["level/items/general"] == 2
    assert stats["heat/tracked"] == 1


def count_packets(stage: Any, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Packets `stage` sends to the real Redis server while it handles each item."""
    sent: list[int] = []
    original = stage.process_item

    async def counted(item: Any) -> Any:
        packets = [0]
        send = redis.connection.AbstractConnection.send_packed_command

        def counting(self: Any, *args: Any, **kwargs: Any) -> Any:
            packets[0] += 1
            return send(self, *args, **kwargs)

        with monkeypatch.context() as patch:
            patch.setattr(redis.connection.AbstractConnection, "send_packed_command", counting)
            result = await _maybe(original(item))
        sent.append(packets[0])
        return result

    stage.process_item = counted
    return sent


def test_heat_costs_two_redis_round_trips_and_a_cooled_item_is_untracked_one_when_founded(
    tmp_path: Path,
    settings: dict,
    webhook: HttpReceiver,
    redis_client: redis.Redis,
    key_prefix: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    crawls = [
        weibo_post(0, 12, 3, 40, None),
        weibo_post(1, 8000, 30000, 100000, 5_000_000),  # viral and rising: tracked
        weibo_post(2, 8001, 30000, 100000, 5_000_000),  # barely moved since: cooling
        story("another"),  # another story: founds an event of its own
    ]
    pipelines, crawler = chain(tmp_path, settings, "important", f"{webhook.url}/duty")
    sent = count_packets(next(p for p in pipelines if isinstance(p, HeatPipeline)), monkeypatch)
    asyncio.run(run(pipelines, crawls))

    # The event's series, then one script call: its heat and the item's tracking (the
    # first item also opens the client's connection: its handshake packets come first).
    # An item that founded its event just now knows the series is its own point: the
    # point goes with that call.
    assert sent[1:] == [2, 2, 1]
    assert crawls[3].event_id != crawls[0].event_id
    assert [c.trend.label for c in crawls[1:3]] == ["rising", "cooling"]
    assert tracking.tracked(redis_client, f"{key_prefix}:track") == {}
    stats = crawler.stats.get_stats()
    assert (stats["heat/tracked"], stats["heat/untracked"]) == (1, 1)
    assert stats["heat/series_founded"] == 2  # the Weibo post's first crawl, and this one
    series = redis_client.zrange(f"{key_prefix}:event:{crawls[3].event_id}:series", 0, -1)
    assert len(series) == 1  # written without being read back


def test_bad_input_and_a_dead_redis_are_counted_not_raised(
    tmp_path: Path, settings: dict, webhook: HttpReceiver
) -> None:
    pipelines, crawler = chain(tmp_path, settings, "important", f"{webhook.url}/duty")
    events = pipelines[0]
    events.open_spider()
    no_id = story("x")
    no_id.id = None
    assert events.process_item(no_id).event_id is None
    short = events.process_item(story("s", content="南昌下雨了。"))  # too short to compare
    assert short.simhash is None
    assert short.event_id  # an event of its own
    other = {"url": "http://example.cn/", "note": "not an opinion"}
    assert events.process_item(other) is other
    events.close_spider()
    # A value the server refuses (here a key of the wrong type under one item's index
    # entry, so the script fails) is that item's problem: counted, and the next item runs.
    bad = story("wrongtype")
    redis.Redis.from_url(settings["REDIS_URL"]).set(events.keys.doc(bad.id), "not a hash")
    assert events.process_item(bad).event_id is None
    assert events.process_item(story("after-bad")).event_id  # no pause for everyone
    stats = crawler.stats.get_stats()
    assert (stats["events/skipped_no_id"], stats["events/too_short"]) == (1, 1)
    assert stats["events/refused"] == 1
    assert "events/redis_errors" not in stats
    assert "events/skipped_redis_down" not in stats
    # Redis gone: the item passes unjudged, the error is counted, then Redis is skipped.
    dead = {**settings, "REDIS_URL": "redis://127.0.0.1:9/0"}
    pipelines, crawler = chain(tmp_path, dead, "important", f"{webhook.url}/duty")
    events = pipelines[0]
    events.open_spider()
    assert events.process_item(story("d1")).event_id is None
    assert events.process_item(story("d2")).event_id is None
    stats = crawler.stats.get_stats()
    assert stats["events/redis_errors"] == 1
    assert stats["events/skipped_redis_down"] == 1
    events.close_spider()


def test_stages_are_off_without_redis_and_refuse_a_broken_rules_file(tmp_path: Path) -> None:
    with pytest.raises(NotConfigured, match="REDIS_URL"):
        build_from_crawler(EventsPipeline, get_crawler(settings_dict={}))
    bad = tmp_path / "levels.yaml"
    bad.write_text("levels:\n  rules:\n    important:\n      - heatt: 3\n")
    crawler = get_crawler(
        settings_dict={"REDIS_URL": "redis://127.0.0.1:9/0", "YUQING_LEVELS_FILE": str(bad)}
    )
    with pytest.raises(NotConfigured, match="unknown conditions"):
        build_from_crawler(LevelPipeline, crawler)
