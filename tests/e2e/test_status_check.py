"""`yuqing status --check` carries the end-of-run summary of the last 24 hours: a
crawl whose every request failed makes it exit 1 and name the cause per source, and
a paused source shows its reason and end (the cool-down key a blocked spider sets).

The failing crawl is the real CLI against a closed port (a site that refuses the
connection), writing its crawl_stats to the session's MongoDB.
"""

from __future__ import annotations

import json
import socket
import time

import pytest
import redis

from tests.helpers.cli import run_yuqing, yuqing_env

pytestmark = pytest.mark.slow

DB = 13  # a database of its own: the commands use the production key names


def test_status_check_summarises_the_last_24_hours_and_shows_pauses(
    tmp_path, mongo_uri, redis_url, mongo_db_name, mongo_db
):
    url = redis_url.rsplit("/", 1)[0] + f"/{DB}"
    client = redis.Redis.from_url(url)
    client.flushdb()
    env = yuqing_env(
        MONGO_URI=mongo_uri,
        REDIS_URL=url,
        MONGO_DATABASE=mongo_db_name,
        YUQING_DATA_DIR=str(tmp_path / "data"),
        COLUMNS="80",
    )
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    try:
        crawl = run_yuqing(
            "run",
            "-s",
            "people",
            "--no-progress",
            "--replay-url",
            f"http://127.0.0.1:{closed}",
            env=env,
        )
        assert crawl.returncode == 1, crawl.stderr[-2000:]
        client.set("yuqing:backoff:toutiao", "captcha", ex=600)  # what guarded.py sets
        before = time.time()

        checked = run_yuqing(
            "status", "--check", "--json", "--set", "ALERTS_ENABLED=false", env=env
        )
        table = run_yuqing("status", "--check", "--set", "ALERTS_ENABLED=false", env=env)
    finally:
        client.flushdb()
        client.close()

    assert checked.returncode == 1, checked.stderr[-2000:]
    report = json.loads(checked.stdout)
    summary = report["summary"]
    assert summary["exit_code"] == 1
    assert summary["verdict"].startswith("FAILED: nothing stored")
    people = summary["sources"]["people"]
    assert people["failed"] == 2
    assert people["cause"].startswith("connection refused by ")
    paused = report["sources"]["toutiao"]["paused"]
    assert paused["reason"] == "captcha"
    assert before + 500 < paused["until"] < before + 700
    # Only request queues: the cache keys others keep are not listed.
    assert set(report["queues"]["people"]) == {"seeds", "pending", "leased", "dead", "keys"}

    assert table.returncode == 1
    lines = table.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert any(line.startswith("toutiao: paused until ") and "(captcha)" in line for line in lines)
    assert "connection refused by" in table.stdout
    assert "FAILED: nothing stored" in table.stdout
