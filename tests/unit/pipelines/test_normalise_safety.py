"""The normalise stage refuses future times and makes `extra` storable in MongoDB.

Issue 12 item 10: a page dated 2031 or 9999 was stored as complete, and JSON keys
with `$` or `.` (and ints beyond int64, which one API count of 10**30 showed) reached
MongoDB as field names and values it refuses.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from pymongo.errors import PyMongoError
from scrapy.utils.test import get_crawler

from pipelines.completeness import CompletenessPipeline
from pipelines.normalise import NormalisePipeline
from yuqing_spiders.extract.kit.numbers import INT64_MAX
from yuqing_spiders.model.items import CommentItem, Media, OpinionItem
from yuqing_spiders.model.storable import safe_key, storable


@pytest.fixture
def crawler():
    crawler = get_crawler(
        settings_dict={"YUQING_DEFAULT_TZ": "Asia/Shanghai", "YUQING_FUTURE_TIME_TOLERANCE": 86400}
    )
    crawler.stats.open_spider()
    return crawler


def item(published_at: datetime | None, **extra: object) -> OpinionItem:
    return OpinionItem(
        url="http://jx.people.com.cn/n2/2026/1125/c186330-41401779.html",
        source="people",
        platform="news",
        title="南昌地铁",
        content="正文",
        published_at=published_at,
        media=Media(name="人民网"),
        extra=dict(extra),
    )


def run(crawler, value):
    for cls in (NormalisePipeline, CompletenessPipeline):
        value = cls.from_crawler(crawler).process_item(value)
    return value


@pytest.mark.parametrize("year", [2031, 9999])
def test_a_time_years_ahead_is_dropped_and_the_item_incomplete(crawler, year):
    stored = run(crawler, item(datetime(year, 1, 1, tzinfo=UTC)))
    assert stored.published_at is None
    assert stored.extra["future_time"].startswith(str(year))
    assert not stored.complete
    assert "published_at" in stored.missing
    assert crawler.stats.get_value("pipeline/normalise/future_time/people") == 1


def test_a_time_within_the_tolerance_is_kept(crawler):
    soon = datetime.now(UTC) + timedelta(hours=8)  # a site whose clock is a zone off
    stored = run(crawler, item(soon))
    assert stored.published_at == soon
    assert crawler.stats.get_value("pipeline/normalise/future_time") is None


def test_comment_times_are_checked_too(crawler):
    comment = CommentItem(
        opinion_id="weibo:1",
        source="weibo",
        platform="weibo",
        published_at=datetime(9999, 1, 1, tzinfo=UTC),
    )
    assert NormalisePipeline.from_crawler(crawler).process_item(comment).published_at is None


def test_extra_keys_and_numbers_become_storable(crawler):
    raw = {"$where": "1", "a.b": {"c.d": 10**30}, "n": float("inf"), "ok": [1, -(10**30)]}
    stored = run(crawler, item(datetime(2026, 11, 25, tzinfo=UTC), **raw))
    assert stored.extra == {
        "_where": "1",
        "a_b": {"c_d": INT64_MAX},
        "n": None,
        "ok": [1, -(2**63)],
    }
    assert crawler.stats.get_value("pipeline/normalise/unstorable_values") == 6


def test_storable_values_go_into_mongodb_unchanged_when_safe(mongo_db):
    # The real wire server refuses the raw value and takes the storable one.
    raw = {"$bad": 1, "x.y": 2, "big": 10**30}
    safe, changes = storable(raw)
    assert changes == 3
    mongo_db.t.insert_one({"_id": 1, "extra": safe})
    assert mongo_db.t.find_one({"_id": 1})["extra"] == {"_bad": 1, "x_y": 2, "big": INT64_MAX}
    with pytest.raises((OverflowError, PyMongoError)):  # refused by the driver or server
        mongo_db.t.insert_one({"_id": 2, "extra": {"big": 10**30}})
    assert storable({"fine": [1, "a", None, 2.5]}) == ({"fine": [1, "a", None, 2.5]}, 0)
    assert safe_key("") == "_"
    assert safe_key(3) == "3"
