"""`yuqing scheduler`: due times, jitter, one seeding per tick across schedulers,
refresh seeds for tracked items, Redis outages. Real Redis; the clock is injected."""

from __future__ import annotations

import json
import threading

import pytest
import redis
from scrapy.utils.test import get_crawler

from spiders.people.spider import PeopleSpider
from tests.helpers.cli import run_yuqing, yuqing_env
from tests.helpers.paths import REPO
from yuqing_spiders.model.sources import SourceConfig
from yuqing_spiders.ops.keys import OpsKeys
from yuqing_spiders.ops.scheduling import (
    Schedule,
    Scheduler,
    jitter_offset,
    parse_interval,
    schedule_for,
)
from yuqing_spiders.ops.services import EmbeddedRedis
from yuqing_spiders.queue.seeds import Seed

# 2026-11-26 08:00:00 Asia/Shanghai: a tick of "*/20 * * * *".
TICK = 1795651200.0
URLS = ("http://www.people.com.cn/GB/59476/", "http://jx.people.com.cn/GB/186330/")


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def people(**options) -> SourceConfig:
    return SourceConfig(
        key="people",
        name="人民网",
        platform="news",
        spider="people",
        schedule=options.pop("schedule", "*/20 * * * *"),
        start_urls=URLS,
        options=options,
    )


def make(client, prefix, clock, sources=None, **kwargs) -> Scheduler:
    return Scheduler(
        client,
        sources or {"people": people()},
        keys=OpsKeys(prefix),
        seed_template=f"{prefix}:%(spider)s:start_urls",
        clock=clock,
        **kwargs,
    )


def seeds_in(client, prefix, spider="people") -> list[Seed]:
    return [Seed.loads(raw) for raw in client.lrange(f"{prefix}:{spider}:start_urls", 0, -1)]


def take_all_seeds(client, prefix, spider="people") -> None:
    client.delete(f"{prefix}:{spider}:start_urls")


# --- schedules ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90s", 90), ("15m", 900), ("2h", 7200), ("1d", 86400), ("1h30m", 5400), (45, 45)],
)
def test_intervals_parse(text, seconds):
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["", "15x", "m", "0m", "-5", "every day"])
def test_bad_intervals_are_refused(text):
    with pytest.raises(ValueError, match="interval"):
        parse_interval(text)


def test_cron_ticks_include_a_tick_at_the_exact_second():
    schedule = Schedule("people", "people", cron="*/20 * * * *")
    assert schedule.last_fire(TICK) == TICK
    assert schedule.last_fire(TICK - 0.5) == TICK - 1200
    assert schedule.last_fire(TICK + 1199) == TICK
    assert schedule.next_fire(TICK) == TICK + 1200
    assert schedule.ticks_between(TICK - 1, TICK + 3600, limit=10) == 4


def test_cron_runs_in_the_source_zone():
    schedule = Schedule("daily", "people", cron="0 8 * * *", tz="Asia/Shanghai")
    # 08:00 in Nanchang is 00:00 UTC.
    assert schedule.next_fire(TICK - 60) == TICK
    assert schedule.next_fire(TICK) == TICK + 86400


def test_interval_from_yaml_option_or_schedule_text():
    assert schedule_for(people(interval="15m"), "Asia/Shanghai").every == 900
    assert schedule_for(people(schedule="30m"), "Asia/Shanghai").every == 1800
    assert schedule_for(people(), "Asia/Shanghai").cron == "*/20 * * * *"
    with pytest.raises(ValueError, match="bad cron"):
        schedule_for(people(schedule="61 * * * *"), "Asia/Shanghai")
    interval = Schedule("x", "x", every=900)
    assert interval.last_fire(TICK + 901) == TICK + 900


def test_jitter_is_deterministic_and_below_half_the_period():
    offsets = {jitter_offset(f"s{i}", TICK, 600, 1200) for i in range(50)}
    assert all(0 <= o < 600 for o in offsets)
    assert len(offsets) > 40  # spread, not one value
    assert jitter_offset("people", TICK, 600, 1200) == jitter_offset("people", TICK, 600, 1200)
    assert jitter_offset("people", TICK, 3600, 60) < 30  # capped at half the period
    assert jitter_offset("people", TICK, 0, 1200) == 0


# --- ticks ----------------------------------------------------------------------------------


def test_a_tick_is_served_after_its_jitter_and_seeds_list_pages(redis_client, key_prefix):
    clock = Clock(TICK)
    sched = make(redis_client, key_prefix, clock, jitter=300)
    due = TICK + jitter_offset("people", TICK, 300, 1200)
    assert due > TICK  # this source and tick draw a non-zero offset
    clock.now = due - 1
    assert sched.tick().seeded == {}
    assert seeds_in(redis_client, key_prefix) == []
    clock.now = due
    assert sched.tick().seeded == {"people": 2}
    seeds = seeds_in(redis_client, key_prefix)
    assert [s.url for s in seeds] == list(URLS)
    assert {s.kind for s in seeds} == {"list"}
    state = redis_client.hgetall(OpsKeys(key_prefix).schedule("people"))
    assert float(state[b"last_tick"]) == TICK
    next_tick = TICK + 1200
    assert float(state[b"next_due"]) == next_tick + jitter_offset("people", next_tick, 300, 1200)
    assert int(state[b"ticks"]) == 1


def test_list_pages_are_seeded_again_every_tick_and_once_per_tick(redis_client, key_prefix):
    clock = Clock(TICK + 5)
    sched = make(redis_client, key_prefix, clock)
    sched.tick()
    clock.now = TICK + 600
    sched.tick()  # same tick: already served
    assert len(seeds_in(redis_client, key_prefix)) == 2
    assert sched.stats["scheduler/already_served"] == 1
    take_all_seeds(redis_client, key_prefix)  # a worker took the first tick's pages
    clock.now = TICK + 1200
    assert sched.tick().seeded == {"people": 2}
    assert len(seeds_in(redis_client, key_prefix)) == 2
    # A scheduler down for hours serves the latest tick once, not every missed one.
    take_all_seeds(redis_client, key_prefix)
    clock.now = TICK + 5 * 3600 + 7
    assert sched.tick().seeded == {"people": 2}
    assert len(seeds_in(redis_client, key_prefix)) == 2


def test_a_start_page_still_waiting_is_not_queued_again_by_the_next_tick(redis_client, key_prefix):
    """No worker took the last tick's pages: the next tick is served (its state moves
    on) but the same requests are not queued twice."""
    clock = Clock(TICK + 5)
    sched = make(redis_client, key_prefix, clock)
    assert sched.tick().seeded == {"people": 2}
    clock.now = TICK + 1200 + 5
    assert sched.tick().seeded == {"people": 0}
    assert [s.url for s in seeds_in(redis_client, key_prefix)] == list(URLS)
    assert sched.stats["scheduler/seeds_still_waiting"] == 2
    state = redis_client.hgetall(OpsKeys(key_prefix).schedule("people"))
    assert float(state[b"last_tick"]) == TICK + 1200


def test_yuqing_seed_after_a_scheduler_tick_queues_nothing_again(redis_client, key_prefix):
    """`yuqing seed` (Scheduler.seed_now) after `yuqing scheduler --once`: the tick is
    already seeded, so nothing is pushed; even after a worker took the pages. --force
    pushes again; two `seed` calls in a row never double the list."""
    clock = Clock(TICK + 5)
    sched = make(redis_client, key_prefix, clock)
    assert sched.tick().seeded == {"people": 2}
    assert sched.seed_now("people") is None
    assert len(seeds_in(redis_client, key_prefix)) == 2
    take_all_seeds(redis_client, key_prefix)
    assert sched.seed_now("people") is None
    assert seeds_in(redis_client, key_prefix) == []
    assert sched.seed_now("people", force=True) == 2
    assert sched.seed_now("people", force=True) == 0
    assert len(seeds_in(redis_client, key_prefix)) == 2


def test_yuqing_seed_before_the_scheduler_serves_the_tick_once(redis_client, key_prefix):
    clock = Clock(TICK + 5)
    sched = make(redis_client, key_prefix, clock, jitter=300)
    assert sched.seed_now("people") == 2  # before the tick's jitter: served now
    clock.now = TICK + 299
    assert sched.tick().seeded == {}  # the scheduler finds the tick served
    assert len(seeds_in(redis_client, key_prefix)) == 2


def test_a_tick_locked_by_another_scheduler_is_not_seeded(redis_client, key_prefix):
    keys = OpsKeys(key_prefix)
    redis_client.set(keys.schedule_lock("people", int(TICK)), "other-host:1", ex=60)
    sched = make(redis_client, key_prefix, Clock(TICK + 1))
    assert sched.tick().seeded == {}
    assert sched.stats["scheduler/lock_lost"] == 1
    assert seeds_in(redis_client, key_prefix) == []


def test_two_schedulers_racing_seed_each_tick_once(redis_url, key_prefix):
    """Two schedulers (own connections, threads) step through 12 ticks together."""
    steps = [TICK + 1200 * i + 1 for i in range(12)]
    barrier = threading.Barrier(2)
    reports: list[list[dict]] = [[], []]
    errors: list[BaseException] = []

    def run(index: int) -> None:
        client = redis.Redis.from_url(redis_url)
        clock = Clock(steps[0])
        sched = make(client, key_prefix, clock, jitter=0)
        try:
            for now in steps:
                clock.now = now
                barrier.wait(timeout=30)
                reports[index].append(sched.tick().seeded)
        except BaseException as exc:  # surfaced below, in the test's thread
            errors.append(exc)
            barrier.abort()
        finally:
            client.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    client = redis.Redis.from_url(redis_url)
    seeds = seeds_in(client, key_prefix)
    ticks = int(client.hget(OpsKeys(key_prefix).schedule("people"), "ticks"))
    client.close()
    assert ticks == 12  # every tick served once, never twice
    assert len(seeds) == len(URLS)  # no worker took them: each page waits once
    per_tick = [("people" in a) + ("people" in b) for a, b in zip(*reports, strict=True)]
    assert per_tick == [1] * 12


def test_sources_without_a_usable_schedule_are_counted_not_fatal(redis_client, key_prefix):
    sources = {
        "people": people(),
        "bad": SourceConfig("bad", "坏", "news", "people", schedule="99 99 * * *"),
        "none": SourceConfig("none", "无", "news", "people"),
    }
    sched = make(redis_client, key_prefix, Clock(TICK), sources=sources)
    assert sched.stats["scheduler/unscheduled"] == 2
    assert sched.tick().seeded == {"people": 2}


def test_live_schedulers_are_visible(redis_client, key_prefix):
    sched = make(redis_client, key_prefix, Clock(TICK))
    sched.tick()
    key = OpsKeys(key_prefix).scheduler(sched.host, sched.pid)
    beat = redis_client.hgetall(key)
    assert int(beat[b"seeded_ticks"]) == 1
    assert redis_client.ttl(key) > 0


# --- tracked items --------------------------------------------------------------------------


def test_due_tracked_items_become_refresh_seeds_once(redis_client, key_prefix):
    keys = OpsKeys(key_prefix)
    due = {
        "url": "http://jx.people.com.cn/n2/2026/1125/c186330-41401779.html",
        "source": "people",
        "opinion_id": "people:41401779",
        "event_id": "e1",
    }
    later = {**due, "url": "http://jx.people.com.cn/n2/2026/1125/c186330-1.html"}
    redis_client.zadd(
        keys.track,
        {
            json.dumps(due, sort_keys=True): TICK - 10,
            json.dumps(later, sort_keys=True): TICK + 3600,
            "not json": TICK - 5,
            json.dumps({"url": "ftp://x", "source": "people"}): TICK - 5,
            json.dumps({"url": "http://x.cn/", "source": "nowhere"}): TICK - 5,
        },
    )
    clock = Clock(TICK)
    first = make(redis_client, key_prefix, clock)
    second = make(redis_client, key_prefix, clock)
    assert first.tick().refresh == 1
    assert second.tick().refresh == 0  # claimed already
    refresh = [s for s in seeds_in(redis_client, key_prefix) if s.kind == "refresh"]
    assert [(s.url, s.meta) for s in refresh] == [
        (due["url"], {"opinion_id": "people:41401779", "event_id": "e1"})
    ]
    assert first.stats["scheduler/refresh_invalid"] == 3
    assert redis_client.zcard(keys.track) == 1  # the one not due yet stays


def test_a_refresh_seed_requests_the_article_past_the_dupefilter():
    crawler = get_crawler(
        PeopleSpider, {"YUQING_SOURCES_FILE": str(REPO / "settings" / "sources.yaml")}
    )
    spider = PeopleSpider.from_crawler(crawler)
    seed = Seed(url=URLS[1] + "x.html", source="people", kind="refresh", meta={"opinion_id": "o"})
    request = spider.seed_request(seed)
    assert request.dont_filter
    assert request.callback == spider.parse_article
    assert request.meta["yuqing_kind"] == "refresh"
    assert request.meta["opinion_id"] == "o"
    listing = spider.seed_request(Seed(url=URLS[0], source="people"))
    assert listing.callback == spider.parse
    assert listing.dont_filter


# --- Redis outages --------------------------------------------------------------------------


def test_the_scheduler_survives_a_redis_restart(tmp_path):
    server = EmbeddedRedis(tmp_path / "redis").start()
    client = redis.Redis.from_url(server.url, socket_timeout=2, socket_connect_timeout=2)
    clock = Clock(TICK + 1)
    sched = make(client, "yq", clock)
    try:
        assert sched.run_once()
        server.stop()
        clock.now = TICK + 1201
        assert not sched.run_once()
        assert not sched.run_once()
        assert sched.stats["scheduler/redis_errors"] == 2
        server = EmbeddedRedis(tmp_path / "redis", port=server.port).start()
        assert sched.run_once()  # reconnected by itself, same client
        assert len(seeds_in(client, "yq")) >= 2  # the tick missed during the outage
        assert float(client.hget(OpsKeys("yq").schedule("people"), "last_tick")) == TICK + 1200
    finally:
        client.close()
        server.stop()


def test_run_backs_off_while_redis_is_away_and_stops_when_told(tmp_path):
    server = EmbeddedRedis(tmp_path / "redis").start()
    client = redis.Redis.from_url(server.url, socket_timeout=2, socket_connect_timeout=2)
    server.stop()
    waits: list[float] = []
    sched = make(client, "yq", Clock(TICK))
    sched.run(interval=5, max_backoff=30, stop=lambda: len(waits) >= 5, sleep=waits.append)
    client.close()
    assert waits == [10, 20, 30, 30, 30]
    assert sched.stats["scheduler/redis_errors"] == 5


# --- the command ----------------------------------------------------------------------------


def test_scheduler_once_from_the_command_line(redis_url, redis_client, key_prefix, tmp_path):
    env = yuqing_env(REDIS_URL=redis_url, YUQING_DATA_DIR=str(tmp_path))
    args = (
        "scheduler",
        "--once",
        "--no-health",
        "--set",
        f"YUQING_OPS_PREFIX={key_prefix}",
        "--set",
        f"YUQING_SEED_KEY={key_prefix}:%(spider)s:start_urls",
        "--set",
        "YUQING_SCHEDULER_JITTER=0",
    )
    result = run_yuqing(*args, env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "scheduler/seeded_ticks" in result.stderr
    seeds = seeds_in(redis_client, key_prefix)
    assert {s.url for s in seeds} >= set(URLS)
    again = run_yuqing(*args, env=env, timeout=120)  # same tick: nothing more
    assert again.returncode == 0, again.stderr
    assert len(seeds_in(redis_client, key_prefix)) == len(seeds)
