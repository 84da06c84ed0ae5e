"""Two worker processes share one Redis queue and dupefilter and one MongoDB.

Every people.com.cn fixture article must be stored exactly once: one document each
and one metrics point each (a second fetch by the other worker would add a point).
"""

from __future__ import annotations

import time

import pytest
import redis

from tests.helpers.cli import (
    people_article_ids,
    run_yuqing,
    scraped_count,
    start_yuqing,
    yuqing_env,
)
from tests.helpers.paths import FIXTURES_WEB
from yuqing_spiders.replay.server import ReplayServer

pytestmark = pytest.mark.slow


def test_two_workers_store_every_article_exactly_once(
    tmp_path, mongo_uri, redis_url, mongo_db, mongo_db_name
):
    # A database of its own in the session's Redis server, so keys cannot collide.
    db_url = redis_url.rsplit("/", 1)[0] + "/7"
    expected = {f"people:{i}" for i in people_article_ids()}
    env = yuqing_env(
        MONGO_URI=mongo_uri,
        REDIS_URL=db_url,
        MONGO_DATABASE=mongo_db_name,
        YUQING_DATA_DIR=str(tmp_path / "data"),
    )
    redis.Redis.from_url(db_url).flushdb()
    with ReplayServer(FIXTURES_WEB) as site:
        seeded = run_yuqing("seed", "--spider", "people", env=env)
        assert seeded.returncode == 0, seeded.stderr
        args = (
            "worker",
            "--spider",
            "people",
            "--replay-url",
            site.url,
            "--idle-exit",
            "3",
            "--no-progress",
            "--set",
            "YUQING_SEED_BATCH=1",
            "--set",
            "CONCURRENT_REQUESTS=2",
            "--set",  # a metrics point per stored crawl: the points count the crawls
            "MONGO_METRICS_POINTS=every",
        )
        logs = [tmp_path / "worker1.log", tmp_path / "worker2.log"]
        workers = [start_yuqing(*args, env=env, log=log) for log in logs]
        deadline = time.monotonic() + 180
        for proc in workers:
            proc.wait(max(1, deadline - time.monotonic()))
        texts = [log.read_text() for log in logs]
        assert [p.returncode for p in workers] == [0, 0], texts[0][-2000:] + texts[1][-2000:]

    ids = [d["_id"] for d in mongo_db.opinions.find({}, {"_id": 1})]
    assert sorted(ids) == sorted(expected)
    points = [p["opinion_id"] for p in mongo_db.opinion_metrics.find()]
    assert sorted(points) == sorted(expected)  # each article fetched and stored once
    per_worker = [scraped_count(t) for t in texts]
    assert sum(per_worker) == len(expected)
    assert all(n > 0 for n in per_worker), per_worker  # both workers took a share
