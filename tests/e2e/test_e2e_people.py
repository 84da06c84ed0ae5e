"""The main command's offline form: `yuqing run --replay` fills MongoDB.

Runs the real CLI in a subprocess against the session's Redis and MongoDB wire
server; the replay site serves the people.com.cn fixtures (GBK pages modelled on
the site's public pages) under their real URLs.
"""

from __future__ import annotations

from datetime import UTC

import pytest

from tests.helpers.cli import people_article_ids, run_yuqing, yuqing_env

# A metrics point per stored crawl (news pages show no counter): the points count crawls.
LEDGER = ("--set", "MONGO_METRICS_POINTS=every")

pytestmark = pytest.mark.slow


def test_run_replay_stores_every_article_once_and_recrawl_updates(
    tmp_path, mongo_uri, redis_url, mongo_db, mongo_db_name
):
    expected = {f"people:{i}" for i in people_article_ids()}
    assert len(expected) >= 12
    env = yuqing_env(
        MONGO_URI=mongo_uri,
        REDIS_URL=redis_url,
        MONGO_DATABASE=mongo_db_name,
        YUQING_DATA_DIR=str(tmp_path / "data"),
    )

    first = run_yuqing("run", "--replay", "--spider", "people", "--no-progress", *LEDGER, env=env)
    assert first.returncode == 0, first.stderr[-3000:]
    docs = {d["_id"]: d for d in mongo_db.opinions.find()}
    assert set(docs) == expected
    assert all(d["complete"] for d in docs.values())
    sample = docs[sorted(expected)[0]]
    assert sample["title"]
    assert sample["content"]
    assert sample["media"]["name"]
    assert sample["published_at"].replace(tzinfo=UTC) <= sample["crawled_at"].replace(tzinfo=UTC)
    assert mongo_db.opinion_metrics.count_documents({}) == len(expected)
    assert f"{len(expected)} documents" in first.stderr

    second = run_yuqing("run", "--replay", "--spider", "people", "--no-progress", *LEDGER, env=env)
    assert second.returncode == 0, second.stderr[-3000:]
    again = {d["_id"]: d for d in mongo_db.opinions.find()}
    assert set(again) == expected  # updated, never duplicated
    for _id, doc in again.items():
        assert doc["first_seen_at"] == docs[_id]["first_seen_at"]
        assert doc["crawled_at"] > docs[_id]["crawled_at"]
    assert mongo_db.opinion_metrics.count_documents({}) == 2 * len(expected)
