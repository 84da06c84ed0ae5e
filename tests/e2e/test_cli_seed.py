"""`yuqing seed` after `yuqing scheduler --once` pushes nothing again: the tick is
already seeded (the scheduler's own state in Redis says so), and the command says it."""

from __future__ import annotations

import pytest
import redis

from tests.helpers.cli import run_yuqing, yuqing_env

pytestmark = pytest.mark.slow

DB = 12  # a database of its own: the commands use the production key names


def test_seed_after_a_scheduler_tick_queues_nothing_twice(tmp_path, redis_url):
    url = redis_url.rsplit("/", 1)[0] + f"/{DB}"
    client = redis.Redis.from_url(url)
    client.flushdb()
    env = yuqing_env(REDIS_URL=url, YUQING_DATA_DIR=str(tmp_path / "data"))
    try:
        tick = run_yuqing(
            "scheduler", "--once", "--no-health", "--set", "YUQING_SCHEDULER_JITTER=0", env=env
        )
        assert tick.returncode == 0, tick.stderr[-2000:]
        waiting = client.lrange("yuqing:people:start_urls", 0, -1)
        assert len(waiting) == 2  # people's two start pages

        again = run_yuqing("seed", "-s", "people", env=env)
        assert again.returncode == 0, again.stderr[-2000:]
        assert "people: 0 seeds pushed (people: this tick already seeded)" in again.stderr
        assert client.lrange("yuqing:people:start_urls", 0, -1) == waiting

        forced = run_yuqing("seed", "-s", "people", "--force", env=env)
        assert forced.returncode == 0, forced.stderr[-2000:]
        assert client.lrange("yuqing:people:start_urls", 0, -1) == waiting  # still waiting
    finally:
        client.flushdb()
        client.close()
