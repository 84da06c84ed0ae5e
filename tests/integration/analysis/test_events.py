"""Near-duplicate signatures and the shared event index on the real Redis."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest
import redis

from spiders.netease import parse as netease
from spiders.weixin import parse as weixin
from tests.helpers.fixtures import response_from_fixture
from tests.helpers.rewrites import LIFT, OTHER_DISTRICT, PAPER, PORTAL, WEEK_LATER, report
from tests.helpers.stories import (
    ORIGINAL,
    OTHER_STORY,
    PORTAL_ABRIDGED,
    PROVINCIAL,
    T0,
    story,
    three_sites,
)
from yuqing_spiders.analysis.events import EventIndex, member_of, new_event_id
from yuqing_spiders.analysis.keys import Keys
from yuqing_spiders.analysis.neardup import (
    Signature,
    is_near_duplicate,
    normalise,
    shingles,
    signature,
    simhash_distance,
    similarity,
)
from yuqing_spiders.analysis.storyfacts import story_key

SIG = {"num_perm": 144, "shingle": 3, "min_chars": 40}
NETEASE_WATER = "https://www.163.com/news/article/JH3A8K2L000189FH.html"
WEIXIN_WATER = (
    "https://mp.weixin.qq.com/s?src=11&timestamp=1764120060&ver=5624"
    "&signature=Pz7mWq2Rt9YcN0bVx4Kd1Ls8Jf6Gh3Ea5Uo-Ci2Bn0=&new=1"
)


def sig(text: str):
    return signature(text, **SIG)


def test_normalise_drops_credits_and_punctuation() -> None:
    text = normalise(
        "原标题：南昌一小区车库积水\n１１月２４日晚，车库积水。\n来源：人民网 责任编辑：王芳"
    )
    assert text == "11月24日晚车库积水"


def test_full_repost_and_abridged_repost_are_near_duplicates() -> None:
    original, provincial, portal = sig(ORIGINAL), sig(PROVINCIAL), sig(PORTAL_ABRIDGED)
    jaccard, _ = similarity(original, provincial)
    assert jaccard > 0.8  # credits dropped: nearly the same shingles
    jaccard, containment = similarity(original, portal)
    # The estimates are within three standard errors of the exact values (Jaccard 0.47,
    # containment 0.94 from the shingle sets; 144 MinHash values), and the copy is
    # found through containment: its Jaccard is under the 0.5 that would match alone.
    full, part = shingles(normalise(ORIGINAL), 3), shingles(normalise(PORTAL_ABRIDGED), 3)
    exact = len(full & part) / len(full | part)
    assert abs(jaccard - exact) < 3 * (exact * (1 - exact) / 144) ** 0.5
    assert jaccard < 0.5
    assert containment > 0.8
    assert is_near_duplicate(original, portal, jaccard=0.5, containment=0.7)
    # SimHash alone would miss the abridged copy: it moves many bits.
    assert simhash_distance(original.simhash, portal.simhash) > 3


def test_different_story_is_not_a_near_duplicate() -> None:
    jaccard, containment = similarity(sig(ORIGINAL), sig(OTHER_STORY))
    assert jaccard < 0.2
    assert containment < 0.5


def test_short_body_has_no_signature() -> None:
    assert sig("南昌红谷滩区一小区车库积水。") is None
    assert sig(None) is None


@pytest.fixture
def index(redis_client: redis.Redis, key_prefix: str) -> EventIndex:
    return EventIndex(redis_client, Keys(key_prefix), retention_seconds=3600)


def record(index: EventIndex, item):
    key = story_key(item.title, item.content)
    return index.record(member_of(item), sig(item.content), key, item.crawled_at)


def join(index: EventIndex, item) -> str:
    return record(index, item)[0].event_id


def test_story_on_three_sites_is_one_event_with_the_central_medium_first(index: EventIndex) -> None:
    people, jxnews, sina = three_sites()
    # Crawled out of order: the portal's copy first, the original last.
    events = {join(index, item) for item in (sina, jxnews, people)}
    assert len(events) == 1
    summary = index.summary(events.pop())
    assert summary.first_id == people.id
    assert summary.first_at == people.published_at
    assert summary.central_first
    assert summary.members == 3
    assert summary.sites == sorted(["jx.people.com.cn", "jx.jxnews.com.cn", "news.sina.com.cn"])
    assert summary.tiers == ["central_key", "commercial", "provincial_key"]


def test_same_title_different_story_makes_two_events(index: EventIndex) -> None:
    flood = story("1", content=ORIGINAL)
    drill = story("2", content=OTHER_STORY, published=timedelta(hours=2))  # same TITLE
    assert flood.title == drill.title
    assert join(index, flood) != join(index, drill)


@pytest.mark.parametrize("cap", [3, 200])
def test_past_the_candidate_cap_the_most_shared_buckets_are_checked_first(
    redis_client: redis.Redis, key_prefix: str, cap: int
) -> None:
    # Five chance collisions (one shared band each: 3 of 144 MinHash rows) and one
    # true copy (all 48 bands) are indexed before the item. Under the cap all six
    # are checked; past it, the copy (most shared bands) comes first and is found.
    index = EventIndex(redis_client, Keys(key_prefix), retention_seconds=3600, max_candidates=cap)
    rng = np.random.default_rng(13)
    values = rng.integers(0, 2**32, 144, dtype=np.uint64).astype("<u4")

    def indexed(n: str, minhash: np.ndarray):
        item = story(n)
        return index.record(member_of(item), Signature(minhash, 500, 0), None, T0)[0]

    for n in range(5):
        other = rng.integers(0, 2**32, 144, dtype=np.uint64).astype("<u4")
        other[:3] = values[:3]  # band 0 only
        indexed(f"chance{n}", other)
    copy = indexed("copy", values.copy())
    found = indexed("item", values.copy())
    assert found.event_id == copy.event_id
    assert (found.candidates, found.rejected) == (min(cap, 6), min(cap, 6) - 1)


def test_recrawl_keeps_its_event_and_short_item_gets_its_own(index: EventIndex) -> None:
    item = story("7")
    first = join(index, item)
    again, summary = record(index, item)
    assert (again.event_id, again.recrawl, summary.members) == (first, True, 1)
    short = story("8", content="南昌红谷滩区一小区车库积水。")
    assert join(index, short) == new_event_id(short.id) != first


def test_one_script_call_per_item_answers_the_events_state(
    index: EventIndex, redis_client: redis.Redis
) -> None:
    people, jxnews, _ = three_sites()
    join(index, people)
    before = redis_client.info("commandstats").get("cmdstat_evalsha", {}).get("calls", 0)
    assignment, summary = record(index, jxnews)
    after = redis_client.info("commandstats")["cmdstat_evalsha"]["calls"]
    assert after - before == 1  # the whole index, assignment and join: one call
    assert (assignment.new_event, assignment.similarity is not None) == (False, True)
    assert summary == index.summary(assignment.event_id)  # what a separate read says
    assert (summary.members, summary.first_id) == (2, people.id)


def test_metrics_totals_follow_each_members_latest_counts(index: EventIndex) -> None:
    post = story("w1", platform="weibo", tier="self_media")
    post.metrics.comments, post.metrics.reposts = 10, 5
    event = join(index, post)
    post.metrics.comments = 25  # re-crawl: reposts not shown this time
    post.metrics.reposts = None
    join(index, post)
    totals = index.summary(event).totals
    assert (totals["comments"], totals["reposts"]) == (25, 5)


# --- rewritten reports of one story (texts written to test the rule: tests/helpers/rewrites.py)


def test_rewrites_by_other_outlets_join_the_original(index: EventIndex) -> None:
    people, _, _ = three_sites()
    paper = report("p1", PAPER, hours=4, site="www.jxnews.com.cn", tier="provincial_key")
    portal = report("p2", PORTAL, hours=5, site="www.ncnews.com.cn", tier="local")
    assert similarity(sig(people.content), sig(paper.content))[0] < 0.2  # not a near copy
    event = join(index, people)
    found, _ = record(index, paper)
    assert (found.event_id, found.by_story) == (event, 1)
    assert join(index, portal) == event
    assert index.summary(event).members == 3


def test_other_stories_at_the_same_place_stay_apart(index: EventIndex) -> None:
    people, _, _ = three_sites()
    event = join(index, people)
    others = [
        report("o1", LIFT, hours=1, site="www.ncnews.com.cn", tier="local"),  # same evening
        report("o2", OTHER_DISTRICT, hours=2, site="www.jxnews.com.cn", tier="provincial_key"),
        report("o3", WEEK_LATER, hours=24 * 6, site="www.jxnews.com.cn", tier="provincial_key"),
    ]
    assert [join(index, item) for item in others] == [new_event_id(o.id) for o in others]
    assert index.summary(event).members == 1


def test_a_rewrite_outside_the_window_is_a_new_event(index: EventIndex) -> None:
    people, _, _ = three_sites()
    event = join(index, people)
    late = report("l1", PAPER, hours=24 * 4, site="www.jxnews.com.cn", tier="provincial_key")
    assert join(index, late) != event  # 96 h later: past the 72 h window


def test_two_outlets_fixture_pages_on_one_water_cut_are_one_event(index: EventIndex) -> None:
    # Two fixture pages of different outlets (tests/fixtures/web: 网易 news and a WeChat
    # account) on the same local story — 湖坊镇, 青山湖区, 11月24日, 停水 — each in its
    # own words: parsed by their sources' parsers, they join by the story rule.
    netease_item = netease.parse_article(response_from_fixture(NETEASE_WATER))
    weixin_item = weixin.parse_article(response_from_fixture(WEIXIN_WATER))
    for item in (netease_item, weixin_item):
        item.id = f"{item.source}:{item.native_id}"
        item.crawled_at = item.published_at
    body_jaccard, _ = similarity(sig(netease_item.content), sig(weixin_item.content))
    assert body_jaccard < 0.1  # not copies of one text
    event = join(index, weixin_item)
    found, summary = record(index, netease_item)
    assert (found.event_id, found.by_story, summary.members) == (event, 1, 2)
    assert summary.first_id == weixin_item.id  # published first (13:12 UTC)
