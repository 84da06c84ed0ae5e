"""Heat, trend, tracking, level and routing: the documented numbers and rules."""

from __future__ import annotations

import asyncio
import math
from datetime import timedelta

import pytest
import redis
from scrapy.utils.test import get_crawler

from pipelines.heat import HeatPipeline
from pipelines.level import replay_clock
from tests.helpers.stories import T0, story
from yuqing_spiders.analysis import tracking
from yuqing_spiders.analysis.events import EventSummary, attach_summary
from yuqing_spiders.analysis.heat import HeatConfig, HeatInputs, TrendConfig, heat, trend
from yuqing_spiders.analysis.level import LevelContext, LevelRules, classify, load_levels, route
from yuqing_spiders.model.items import (
    FrontPagePlacement,
    Jurisdiction,
    Metrics,
    OpinionItem,
    Risk,
    Sentiment,
)

CONFIG = load_levels()  # settings/levels.yaml as shipped
HOUR = timedelta(hours=1)


def test_heat_formula_matches_the_documented_example() -> None:
    # docs/analysis.md: a Weibo post, 1,000 comments, 5,000 reposts, 20,000 likes, by a
    # big-V account, 12 hours old, half-life 24 h.
    inputs = HeatInputs(
        metrics={"comments": 1000, "reposts": 5000, "likes": 20000, "reads": None},
        tiers=["self_media"],
        big_v=1,
        since=T0,
    )
    raw = 1.0 * math.log1p(1000) + 1.5 * math.log1p(5000) + 0.5 * math.log1p(20000) + 1 + 6
    assert heat(inputs, T0 + 12 * HOUR, CONFIG.heat) == pytest.approx(raw / math.sqrt(2), abs=0.01)
    assert heat(inputs, T0 + 24 * HOUR, CONFIG.heat) == pytest.approx(raw / 2, abs=0.01)


def test_breadth_and_front_page_raise_heat() -> None:
    one_site = HeatInputs(metrics={}, tiers=["central_key"], since=T0)
    three_sites = HeatInputs(
        metrics={}, sites=3, tiers=["central_key", "provincial_key", "commercial"], since=T0
    )
    on_front_page = HeatInputs(metrics={}, tiers=["central_key"], front_pages=1, since=T0)
    config = HeatConfig()
    assert heat(one_site, T0, config) == 10.0
    assert heat(three_sites, T0, config) == pytest.approx(3 * math.log(3) + 20, abs=0.01)
    assert heat(on_front_page, T0, config) == 18.0


def series(*values: float) -> list:
    return [(T0 + i * HOUR, v) for i, v in enumerate(values)]


def test_trend_labels_from_a_metrics_series() -> None:
    config = TrendConfig()
    assert trend(series(0, 10, 40, 120), config)["label"] == "rising"
    assert trend(series(0, 50, 100, 150), config)["label"] == "steady"
    assert trend(series(0, 100, 150, 160), config)["label"] == "cooling"
    assert trend(series(5), config) == {"label": "new", "slope": 0.0, "points": 1}
    steady = trend(series(0, 50, 100, 150), config)
    assert steady["slope"] == pytest.approx(50.0)
    # Points outside the window are ignored: an old burst does not count.
    old_then_flat = [(T0 - 48 * HOUR, 0), (T0 - 47 * HOUR, 1000), *series(1000, 1000)]
    assert trend(old_then_flat, config)["points"] == 2


NANCHANG = Jurisdiction(province="江西省", city="南昌市", district="红谷滩区")
LOCAL_NEGATIVE = ["local:南昌市", "sentiment:negative", "fresh"]


def _local_negative(item: OpinionItem) -> OpinionItem:
    item.jurisdiction = NANCHANG
    item.sentiment = Sentiment(label="negative", score=-0.8)
    return item


def test_classify_a_single_item_without_an_event() -> None:
    item = _local_negative(story("1", tier="local"))
    assert classify(item, rules=CONFIG.levels) == ("general", ["sentiment:negative"])
    item.risk = Risk(sudden=True, sensitive=False, mass=False, inciting=False, terms=["积水"])
    assert classify(item, rules=CONFIG.levels) == ("important", [*LOCAL_NEGATIVE, "risk:sudden"])
    item.media.tier = "central_key"
    item.front_page = [FrontPagePlacement(site="www.people.com.cn", block="要闻", position=2)]
    level, reasons = classify(item, LevelContext(heat=31), CONFIG.levels)
    assert level == "important"
    assert reasons == [
        *LOCAL_NEGATIVE,
        "risk:sudden",
        "key_media:central_key",
        "front_page:www.people.com.cn",
        "heat>=30",
    ]


def test_the_office_rule_nanchang_and_negative_and_risk_or_key_media() -> None:
    """Issue 11: national stories a central medium prints are not the office's matter."""
    item = story("6", tier="central_key")
    item.risk = Risk(sudden=True)
    item.sentiment = Sentiment(label="negative", score=-0.9)
    item.jurisdiction = Jurisdiction(province="北京市", city="北京市")
    assert classify(item, rules=CONFIG.levels)[0] == "general"
    assert route(item, default="南昌市委网信办") == []  # counted per province, not routed
    item.jurisdiction = NANCHANG
    assert classify(item, rules=CONFIG.levels)[0] == "important"
    item.sentiment = Sentiment(label="positive", score=0.9)
    assert classify(item, rules=CONFIG.levels)[0] == "general"


def test_old_news_found_late_is_not_important() -> None:
    item = _local_negative(story("7", tier="central_key", crawled=timedelta(days=30)))
    item.risk = Risk(sudden=True)
    assert classify(item, rules=CONFIG.levels)[0] == "general"
    fresh = _local_negative(story("8", tier="central_key", crawled=timedelta(hours=5)))
    fresh.risk = Risk(sudden=True)
    assert classify(fresh, rules=CONFIG.levels)[0] == "important"


def test_a_watch_list_unit_makes_an_unplaced_item_local() -> None:
    doc = {
        "risk": {"sensitive": True},
        "sentiment": {"label": "negative"},
        "watch": [{"rule": "gov", "unit": "南昌市", "terms": ["南昌市政府"]}],
    }
    assert classify(doc, rules=CONFIG.levels)[0] == "important"
    doc["jurisdiction"] = {"province": "广东省", "city": "深圳市"}
    assert classify(doc, rules=CONFIG.levels)[0] == "general"


def test_urgent_needs_both_mass_risk_and_central_media_or_high_heat() -> None:
    item = _local_negative(story("2", tier="central_key"))
    item.risk = Risk(mass=True)
    assert classify(item, rules=CONFIG.levels)[0] == "urgent"
    item.media.tier = "local"
    assert classify(item, rules=CONFIG.levels)[0] == "important"
    assert classify(item, LevelContext(heat=75), CONFIG.levels) == (
        "urgent",
        [*LOCAL_NEGATIVE, "heat>=60"],
    )


def test_general_items_carry_complaint_and_appeal_reasons() -> None:
    item = story("3", platform="wenzheng", tier="government")
    item.sentiment = Sentiment(label="negative", score=-0.8)
    assert classify(item, rules=CONFIG.levels) == (
        "general",
        ["platform:wenzheng", "sentiment:negative"],
    )


def test_classify_works_on_a_plain_dict_too() -> None:
    doc = {
        "risk": {"inciting": True},
        "media": {"tier": None},
        "author": {"is_big_v": True},
        "jurisdiction": {"province": "江西省", "city": "南昌市"},
        "sentiment": {"label": "negative"},
    }
    assert classify(doc, rules=CONFIG.levels) == (
        "important",
        [*LOCAL_NEGATIVE, "risk:inciting", "big_v"],
    )


def test_unknown_condition_in_rules_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown conditions"):
        LevelRules.from_mapping({"rules": {"important": [{"heatt": 3}]}})


def test_route_by_jurisdiction_then_departments() -> None:
    item = story("4")
    item.jurisdiction = Jurisdiction(
        province="江西省", city="南昌市", district="红谷滩区", town="凤凰洲街道"
    )
    item.departments = ["区住建局", "区应急管理局"]
    assert route(item) == ["红谷滩区", "红谷滩区凤凰洲街道", "区住建局", "区应急管理局"]
    assert route(story("5"), default="南昌市委网信办") == ["南昌市委网信办"]


def test_tracking_contract_with_the_scheduler(redis_client: redis.Redis, key_prefix: str) -> None:
    key = f"{key_prefix}:track"
    entry = tracking.member("weibo:49750", "https://weibo.com/1/49750", "weibo", "ev:1")
    tracking.track(redis_client, key, entry, (T0 + HOUR).timestamp())
    tracking.track(
        redis_client, key, entry, (T0 + 2 * HOUR).timestamp()
    )  # rescheduled, not doubled
    assert tracking.tracked(redis_client, key) == {"weibo:49750": (T0 + 2 * HOUR).timestamp()}
    assert tracking.due_for_refresh(redis_client, T0 + HOUR, key=key) == []
    seeds = tracking.due_for_refresh(redis_client, T0 + 3 * HOUR, key=key)
    assert [(s.url, s.source, s.kind, s.meta) for s in seeds] == [
        (
            "https://weibo.com/1/49750",
            "weibo",
            "refresh",
            {"opinion_id": "weibo:49750", "event_id": "ev:1"},
        )
    ]
    assert tracking.due_for_refresh(redis_client, T0 + 3 * HOUR, key=key) == []  # claimed once


def test_should_track_until_cooling_or_too_old() -> None:
    config = CONFIG.track
    assert tracking.should_track(20, "rising", 5, config)
    assert not tracking.should_track(20, "cooling", 5, config)
    assert not tracking.should_track(10, "rising", 5, config)
    assert not tracking.should_track(20, "steady", 100, config)


def test_a_replay_crawl_judges_freshness_at_thereplay_clock() -> None:
    assert replay_clock(get_crawler(settings_dict={"YUQING_REPLAY_URL": None})) is None
    replaying = get_crawler(
        settings_dict={"YUQING_REPLAY_URL": "http://127.0.0.1:1", "SIGNING_REPLAY_TIME": 0}
    )
    clock = replay_clock(replaying)
    assert clock is not None
    assert clock.timestamp() == 0
    # Found 30 days after publication by the wall clock, but at the fixtures' "now".
    item = _local_negative(story("9", tier="central_key", crawled=timedelta(days=30)))
    item.risk = Risk(sudden=True)
    assert classify(item, rules=CONFIG.levels)[0] == "general"
    at_replay = LevelContext(found_at=T0 + timedelta(hours=2))
    assert classify(item, at_replay, CONFIG.levels)[0] == "important"


def test_a_rule_condition_shared_by_rules_is_judged_alike_in_each() -> None:
    """Classification remembers a condition's reasons per (condition, value); values of
    other types stay apart (1 is not True, [1] is not [1.0])."""
    rules = LevelRules.from_mapping(
        {
            "rules": {
                "important": [{"sites": 2, "heat": 1}, {"sites": 2, "big_v": True}],
                "urgent": [{"sites": 2, "heat": 1.5}],
            },
            "general": [{"sites": True}, {"sites": 1}],
        }
    )
    assert classify(story("r"), LevelContext(heat=1.2, sites=2), rules) == (
        "important",
        ["sites>=2", "heat>=1"],
    )
    assert classify(story("r"), LevelContext(heat=2, sites=2), rules) == (
        "urgent",
        ["sites>=2", "heat>=1.5"],
    )
    assert classify(story("r"), LevelContext(sites=1), rules) == ("general", ["sites>=1"])


def test_the_heat_stage_writes_in_one_script_call_and_reloads_lost_scripts(
    redis_url: str, redis_client: redis.Redis, key_prefix: str
) -> None:
    crawler = get_crawler(settings_dict={"REDIS_URL": redis_url, "EVENTS_REDIS_PREFIX": key_prefix})
    crawler.stats.open_spider()
    stage = HeatPipeline.from_crawler(crawler)
    stage.open_spider()
    redis_client.script_flush()  # a new or restarted server: the scripts are loaded again
    for n in ("h1", "h2"):
        item = story(n, metrics=Metrics(comments=9000, reposts=20000, likes=50000))
        item.event_id = f"ev:{n}"
        summary = EventSummary(event_id=item.event_id, members=1, founded=True)
        attach_summary(item, summary)
        asyncio.run(stage.process_item(item))
        event = redis_client.hgetall(f"{key_prefix}:event:ev:{n}")
        assert summary.heat is not None
        assert float(event[b"heat"]) == summary.heat
        assert event[b"trend"] == b"new|0|1"
        assert int(event[b"heat_at"]) == int(item.crawled_at.timestamp() * 1000)
        assert event[b"v"] == b"1"
        series = redis_client.zrange(f"{key_prefix}:event:ev:{n}:series", 0, -1)
        assert len(series) == 1
        assert redis_client.ttl(f"{key_prefix}:event:ev:{n}:series") > 0
    assert set(tracking.tracked(redis_client, f"{key_prefix}:track")) == {"people:h1", "people:h2"}
    assert crawler.stats.get_value("heat/tracked") == 2
    stage.close_spider()
