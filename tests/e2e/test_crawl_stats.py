"""`crawl_stats` documents: built from Scrapy stats by period, written by a real crawl."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.helpers.cli import people_article_ids, run_yuqing, yuqing_env
from tests.helpers.paths import FIXTURES_WEB
from yuqing_spiders.ops.crawl_stats import (
    build_document,
    counts_of,
    coverage_of,
    mongo_key,
    sanitised,
    stats_delta,
)
from yuqing_spiders.ops.keys import OpsKeys
from yuqing_spiders.replay.server import ReplayServer

T0 = datetime(2026, 11, 26, 8, tzinfo=UTC)
T1 = datetime(2026, 11, 26, 8, 10, tzinfo=UTC)


def test_stat_keys_become_mongodb_field_names():
    assert mongo_key("media.name") == "media_name"
    assert mongo_key("$where") == "_where"
    safe = sanitised({"a.b": 1, "$x": 2, "start_time": T0, "odd": {"k": 1}})
    assert safe == {"a_b": 1, "_x": 2, "start_time": T0, "odd": "{'k': 1}"}


def test_coverage_per_source_and_field():
    stats = {
        "coverage/people/items": 4,
        "coverage/people/title": 4,
        "coverage/people/media.name": 3,
        "coverage/sina/items": 0,
        "coverage/sina/title": 0,
        "item_scraped_count": 4,
    }
    assert coverage_of(stats) == {
        "people": {
            "items": 4,
            "count": {"title": 4, "media_name": 3},
            "ratio": {"title": 1.0, "media_name": 0.75},
        }
    }


def test_a_period_holds_what_happened_since_the_previous_one():
    before = {
        "response_received_count": 10,
        "item_scraped_count": 8,
        "coverage/people/items": 8,
        "coverage/people/title": 8,
        "yuqing/request_failed/timeout": 1,
        "start_time": T0,
    }
    after = {
        **before,
        "response_received_count": 15,
        "item_scraped_count": 12,
        "coverage/people/items": 12,
        "coverage/people/title": 9,
        "yuqing/request_failed/timeout": 3,
        "yuqing/request_failed/http_404": 1,
        "mongo/inserted": 12,
    }
    assert stats_delta(after, before)["item_scraped_count"] == 4
    doc = build_document(
        run_id="people@h:1:0",
        seq=3,
        spider="people",
        worker={"host": "h", "pid": 1},
        started_at=T0,
        period=(T0, T1),
        stats=after,
        previous=before,
        final=True,
        finish_reason="finished",
    )
    assert doc["_id"] == "people@h:1:0#00003"
    assert doc["sources"] == ["people"]
    assert doc["counts"]["items"] == 4
    assert doc["counts"]["pages"] == 5
    assert doc["counts"]["requests_failed"] == 3
    assert doc["errors"] == {"timeout": 2, "http_404": 1}
    assert doc["coverage"]["people"]["ratio"]["title"] == 0.25  # 1 of the 4 new items
    assert doc["totals"]["counts"]["items"] == 12
    assert doc["totals"]["errors"] == {"timeout": 3, "http_404": 1}
    assert counts_of(after)["stored"] == 12


@pytest.mark.slow
def test_a_crawl_writes_crawl_stats_and_source_heartbeats(
    tmp_path, mongo_uri, mongo_db, mongo_db_name, redis_url, redis_client, key_prefix
):
    env = yuqing_env(
        MONGO_URI=mongo_uri,
        REDIS_URL=redis_url,
        MONGO_DATABASE=mongo_db_name,
        YUQING_DATA_DIR=str(tmp_path / "data"),
    )
    with ReplayServer(FIXTURES_WEB) as site:
        result = run_yuqing(
            "run",
            "--spider",
            "people",
            "--replay-url",
            site.url,
            "--no-progress",
            "--set",
            f"YUQING_OPS_PREFIX={key_prefix}",
            env=env,
        )
    assert result.returncode == 0, result.stderr[-3000:]
    expected = len(people_article_ids())

    docs = list(mongo_db.crawl_stats.find())
    assert len(docs) == 1  # one short run: its final period only
    doc = docs[0]
    assert doc["spider"] == "people"
    assert doc["final"]
    assert doc["finish_reason"] == "finished"
    assert doc["worker"]["role"] == "single"
    assert doc["counts"]["items"] == expected
    assert doc["counts"]["stored"] == expected
    assert doc["coverage"]["people"]["items"] == expected
    assert doc["coverage"]["people"]["ratio"]["title"] == 1.0
    assert doc["errors"] == {}
    assert doc["period"]["start"] <= doc["period"]["end"]
    assert "." not in "".join(doc["stats"])

    keys = OpsKeys(key_prefix)
    success = float(redis_client.get(keys.last_success("people")))
    fetch = float(redis_client.get(keys.last_fetch("people")))
    assert fetch <= success  # a list page first, then its articles
    assert doc["period"]["start"].timestamp() <= success <= doc["period"]["end"].timestamp()
    # A clean exit removes the worker's entry at once.
    assert list(redis_client.scan_iter(keys.workers_pattern)) == []
