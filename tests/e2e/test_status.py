"""`yuqing status` on a live two-worker crawl fed by `yuqing scheduler`: both workers
are listed while they run, with their spiders; afterwards the source's last success,
item counts, field coverage and the crawl_stats of both runs are there."""

from __future__ import annotations

import json
import time

import pytest
import redis

from tests.helpers.cli import people_article_ids, run_yuqing, start_yuqing, yuqing_env
from tests.helpers.paths import FIXTURES_WEB
from yuqing_spiders.replay.server import ReplayServer

pytestmark = pytest.mark.slow

# A Redis database of its own: the workers use the production key names.
DB = 11


def status_json(env: dict[str, str]) -> dict:
    result = run_yuqing("status", "--json", env=env, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


def test_status_shows_a_live_two_worker_crawl(
    tmp_path, mongo_uri, redis_url, mongo_db_name, mongo_db
):
    db_url = redis_url.rsplit("/", 1)[0] + f"/{DB}"
    client = redis.Redis.from_url(db_url)
    client.flushdb()
    env = yuqing_env(
        MONGO_URI=mongo_uri,
        REDIS_URL=db_url,
        MONGO_DATABASE=mongo_db_name,
        YUQING_DATA_DIR=str(tmp_path / "data"),
    )
    expected = len(people_article_ids())
    with ReplayServer(FIXTURES_WEB) as site:
        # Slow articles keep both workers busy long enough to be seen.
        site.add_fault(r"^/n[12]/", delay=0.4)
        seeded = run_yuqing(
            "scheduler", "--once", "--no-health", "--set", "YUQING_SCHEDULER_JITTER=0", env=env
        )
        assert seeded.returncode == 0, seeded.stderr[-2000:]
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
            "CONCURRENT_REQUESTS=1",
            "--set",
            "YUQING_HEARTBEAT_INTERVAL=0.5",
        )
        logs = [tmp_path / "worker1.log", tmp_path / "worker2.log"]
        workers = [start_yuqing(*args, env=env, log=log) for log in logs]
        try:
            live = _wait_for_two_workers(env, workers)
            table = run_yuqing("status", env={**env, "COLUMNS": "160"}, timeout=60)
        finally:
            for proc in workers:
                proc.wait(180)
        texts = [log.read_text() for log in logs]
        assert [p.returncode for p in workers] == [0, 0], texts[0][-2000:] + texts[1][-2000:]

    pids = sorted(p.pid for p in workers)
    assert sorted(w["pid"] for w in live["workers"]) == pids
    assert all(w["spiders"] == ["people"] for w in live["workers"])
    assert all(w["role"] == "worker" for w in live["workers"])
    # The `--once` scheduler stays listed until its key expires; it seeded every source.
    assert [s["seeded_ticks"] >= 1 for s in live["schedulers"]] == [True]
    assert table.returncode == 0, table.stderr[-2000:]
    assert "live workers" in table.stdout
    assert "people" in table.stdout

    after = status_json(env)
    client.flushdb()
    client.close()
    assert after["workers"] == []  # clean exits leave the list at once
    people = after["sources"]["people"]
    assert people["ticks"] == 1
    assert people["last_success"] is not None
    assert people["last_24h"]["items"] == expected
    assert people["latest"]["coverage"]["title"] == 1.0
    runs = list(mongo_db.crawl_stats.find({"final": True}))
    assert len(runs) == 2  # one run per worker
    assert sum(r["totals"]["counts"]["items"] for r in runs) == expected
    assert mongo_db.opinions.count_documents({}) == expected


def _wait_for_two_workers(env: dict[str, str], workers: list) -> dict:
    """Poll `yuqing status --json` until both workers are listed with pages crawled (or
    one has exited)."""
    deadline = time.monotonic() + 120
    report: dict = {}
    while time.monotonic() < deadline:
        report = status_json(env)
        # Both listed, and their beats carry the crawl's progress.
        if len(report["workers"]) == 2 and sum(w["pages"] for w in report["workers"]) > 0:
            return report
        if any(proc.poll() is not None for proc in workers):
            break
        time.sleep(0.3)
    pytest.fail(f"never saw two live workers: {report.get('workers')}")
