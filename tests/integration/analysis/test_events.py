"""Near-duplicate signatures and the shared event index on the real Redis."""

from __future__ import annotations

from datetime import timedelta

import pytest
import redis

from tests.helpers.stories import (
    ORIGINAL,
    OTHER_STORY,
    PORTAL_ABRIDGED,
    PROVINCIAL,
    story,
    three_sites,
)
from yuqing_spiders.analysis.events import EventIndex, member_of, new_event_id
from yuqing_spiders.analysis.keys import Keys
from yuqing_spiders.analysis.neardup import (
    band_hashes,
    is_near_duplicate,
    normalise,
    signature,
    simhash_distance,
    similarity,
)

SIG = {"num_perm": 144, "shingle": 3, "min_chars": 40}


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
    assert containment > 0.9 > jaccard + 0.3  # found through containment, not Jaccard
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


def join(index: EventIndex, item) -> str:
    assignment = index.assign(item.id, sig(item.content))
    index.join(assignment.event_id, member_of(item), item.crawled_at)
    return assignment.event_id


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


def test_recrawl_keeps_its_event_and_short_item_gets_its_own(index: EventIndex) -> None:
    item = story("7")
    first = join(index, item)
    again = index.assign(item.id, sig(item.content))
    assert (again.event_id, again.recrawl) == (first, True)
    short = story("8", content="南昌红谷滩区一小区车库积水。")
    assert join(index, short) == new_event_id(short.id) != first


def test_concurrent_reposts_do_not_split_the_story(index: EventIndex) -> None:
    # Worker A indexes its item but has not assigned it yet when worker B's item,
    # a repost of the same story, arrives: B claims A's item into B's event.
    a, b = story("a1"), story("b1", content=PROVINCIAL, source="jxnews")
    sig_a, sig_b = sig(a.content), sig(b.content)
    buckets = [index.keys.band(i, h) for i, h in enumerate(band_hashes(sig_a, 48))]
    index._index(a.id, sig_a, buckets)  # A: indexed, not assigned
    b_event = index.assign(b.id, sig_b).event_id
    a_event = index._assign(keys=[index.keys.doc(a.id)], args=[new_event_id(a.id)]).decode()
    assert a_event == b_event


def test_metrics_totals_follow_each_members_latest_counts(index: EventIndex) -> None:
    post = story("w1", platform="weibo", tier="self_media")
    post.metrics.comments, post.metrics.reposts = 10, 5
    event = join(index, post)
    post.metrics.comments = 25  # re-crawl: reposts not shown this time
    post.metrics.reposts = None
    join(index, post)
    totals = index.summary(event).totals
    assert (totals["comments"], totals["reposts"]) == (25, 5)
