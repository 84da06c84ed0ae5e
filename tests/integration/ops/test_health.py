"""Crawl health on real Redis and MongoDB: silent sources, coverage drops (a layout
change), expired cookies; one alert per problem and day, delivered through the alert
channels of content alerts (a webhook on 127.0.0.1 here)."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.helpers.cli import run_yuqing, yuqing_env
from yuqing_spiders.model.sources import SourceConfig
from yuqing_spiders.ops.alerting import AlertingConfig, Receiver
from yuqing_spiders.ops.crawl_stats import CRAWL_STATS, build_document
from yuqing_spiders.ops.health import (
    HealthChecker,
    HealthConfig,
    Window,
    coverage_problems,
    coverage_windows,
)
from yuqing_spiders.ops.keys import OpsKeys
from yuqing_spiders.ops.services import free_port

TICK = 1795651200.0  # a "*/20 * * * *" tick
SOURCES = {
    "people": SourceConfig(
        "people", "人民网", "news", "people", schedule="*/20 * * * *", start_urls=("http://a/",)
    )
}
CONFIG = HealthConfig(silent_ticks=3, coverage_min_items=10, coverage_min_windows=2)


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class Hook(BaseHTTPRequestHandler):
    received: list[dict] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Hook.received.append(json.loads(body))
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def webhook():
    Hook.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", Hook.received
    server.shutdown()
    server.server_close()


def checker(redis_client, key_prefix, mongo_db, clock, webhook_url=None) -> HealthChecker:
    receivers = (Receiver(name="ops", type="webhook", url=webhook_url),) if webhook_url else ()
    return HealthChecker(
        redis_client,
        mongo_db,
        SOURCES,
        keys=OpsKeys(key_prefix),
        config=CONFIG,
        alerting=AlertingConfig(receivers=receivers),
        clock=clock,
    )


def served_ticks(redis_client, keys: OpsKeys, first: float, last: float) -> None:
    redis_client.hset(keys.schedule("people"), mapping={"first_tick": first, "last_tick": last})


# --- silent sources ---------------------------------------------------------------------------


def test_a_source_silent_for_n_ticks_raises_one_alert_a_day(
    redis_client, key_prefix, mongo_db, webhook
):
    keys = OpsKeys(key_prefix)
    url, received = webhook
    clock = Clock(TICK + 3 * 1200 + 30)
    health = checker(redis_client, key_prefix, mongo_db, clock, url)
    redis_client.set(keys.last_success("people"), TICK + 100)  # after the first tick
    served_ticks(redis_client, keys, TICK, TICK + 2 * 1200)
    assert health.check() == []  # two ticks without an item: not yet
    served_ticks(redis_client, keys, TICK, TICK + 3 * 1200)
    problems, raised = health.check_and_alert()
    assert [(p.kind, p.subject) for p in problems] == [("source_silent", "people")]
    assert problems[0].details["ticks"] == 3
    assert len(raised) == 1
    assert len(received) == 1  # delivered through the alert channel
    assert "people" in received[0]["text"]
    clock.now += 3600  # checked again the same day: nothing new
    problems, raised = health.check_and_alert()
    assert len(problems) == 1
    assert raised == []
    assert len(received) == 1
    stored = list(mongo_db.alerts.find())
    assert len(stored) == 1
    assert stored[0]["kind"] == "crawl_health"
    assert stored[0]["payload"]["kind"] == "source_silent"


def test_a_source_never_successful_counts_from_its_first_tick(redis_client, key_prefix):
    keys = OpsKeys(key_prefix)
    health = checker(redis_client, key_prefix, None, Clock(TICK + 10_000))
    served_ticks(redis_client, keys, TICK, TICK + 1200)
    assert health.check() == []
    served_ticks(redis_client, keys, TICK, TICK + 2 * 1200)  # ticks 1, 2, 3 served
    problems = health.check()
    assert [p.kind for p in problems] == ["source_silent"]
    assert "never" in problems[0].message


def test_an_unscheduled_source_is_not_silent(redis_client, key_prefix):
    health = checker(redis_client, key_prefix, None, Clock(TICK + 10**6))
    assert health.check() == []


def test_the_per_source_silent_ticks_option_wins(redis_client, key_prefix):
    keys = OpsKeys(key_prefix)
    weekly = SourceConfig(
        "people", "人民网", "news", "people", schedule="*/20 * * * *", options={"silent_ticks": 50}
    )
    served_ticks(redis_client, keys, TICK, TICK + 10 * 1200)
    health = HealthChecker(
        redis_client,
        None,
        {"people": weekly},
        keys=keys,
        config=CONFIG,
        clock=Clock(TICK + 10**5),
    )
    assert health.check() == []


# --- coverage --------------------------------------------------------------------------------


def period_doc(seq: int, items: int, titles: int, end: datetime) -> dict:
    stats = {
        "coverage/people/items": items,
        "coverage/people/title": titles,
        "coverage/people/content": items,
        "coverage/people/media.name": items,
        "item_scraped_count": items,
        "response_received_count": items + 2,
    }
    return build_document(
        run_id="people@host:1:0",
        seq=seq,
        spider="people",
        worker={"host": "host", "pid": 1},
        started_at=end - timedelta(hours=seq + 1),
        period=(end - timedelta(minutes=10), end),
        stats=stats,
        previous={},
        final=False,
    )


def test_windows_gather_periods_until_they_hold_enough_items():
    periods = ([{"items": 4, "count": {"title": 4}}, {"items": 7, "count": {"title": 0}}] * 3)[:5]
    windows = coverage_windows(periods, min_items=10)
    assert [w.items for w in windows] == [11, 11]  # the unfinished oldest one is left out
    assert windows[0].ratio("title") == pytest.approx(4 / 11)


def test_coverage_drop_needs_a_usual_value_and_history():
    full = Window(20, {"title": 20, "editor": 2})
    empty = Window(20, {"title": 1, "editor": 0})
    assert coverage_problems("people", [empty, full], CONFIG) == []  # one window of history
    problems = coverage_problems("people", [empty, full, full], CONFIG)
    # editor was rarely there anyway (10% < the 30% floor): not watched.
    assert [p.subject for p in problems] == ["people/title"]
    assert problems[0].details["latest_ratio"] == 0.05
    assert coverage_problems("people", [full, full, full], CONFIG) == []


def test_a_layout_change_that_empties_a_field_raises_one_alert(
    redis_client, key_prefix, mongo_db, webhook
):
    url, received = webhook
    now = datetime(2026, 11, 26, 8, tzinfo=UTC)
    docs = [period_doc(i, 12, 12, now - timedelta(hours=i + 1)) for i in range(1, 5)]
    docs.append(period_doc(0, 12, 1, now))  # the newest period: titles gone
    mongo_db[CRAWL_STATS].insert_many(docs)
    health = checker(redis_client, key_prefix, mongo_db, Clock(now.timestamp()), url)
    problems, raised = health.check_and_alert()
    assert [(p.kind, p.subject) for p in problems] == [("coverage_drop", "people/title")]
    assert problems[0].details["usual_ratio"] == 1.0
    assert len(raised) == 1
    assert len(received) == 1
    assert "title" in received[0]["text"]
    _, raised_again = health.check_and_alert()
    assert raised_again == []
    assert len(received) == 1


# --- cookies -----------------------------------------------------------------------------------


def test_expired_cookies_alert_by_platform_without_the_cookie(redis_client, key_prefix, mongo_db):
    keys = OpsKeys(key_prefix)
    redis_client.hset(keys.cookies_expired("weibo"), mapping={"acct-7": TICK, "acct-9": TICK})
    redis_client.sadd(keys.cookies_expired("toutiao"), "t-1")
    redis_client.set(keys.cookies_expired("broken"), "not a hash")
    health = checker(redis_client, key_prefix, mongo_db, Clock(TICK))
    problems, raised = health.check_and_alert()
    assert sorted((p.kind, p.subject) for p in problems) == [
        ("cookies_expired", "toutiao"),
        ("cookies_expired", "weibo"),
    ]
    weibo = next(p for p in problems if p.subject == "weibo")
    assert weibo.details["ids"] == ["acct-7", "acct-9"]
    assert len(raised) == 2
    assert health.stats["health/cookies_unreadable"] == 1
    assert health.check_and_alert()[1] == []


# --- the command ---------------------------------------------------------------------------


def test_status_check_alerts_and_exits_non_zero(
    redis_url, redis_client, key_prefix, mongo_uri, mongo_db, mongo_db_name, tmp_path
):
    keys = OpsKeys(key_prefix)
    # people: served 8 ticks after its first, never a complete item.
    served_ticks(redis_client, keys, TICK, TICK + 8 * 1200)
    env = yuqing_env(
        REDIS_URL=redis_url,
        MONGO_URI=mongo_uri,
        MONGO_DATABASE=mongo_db_name,
        YUQING_DATA_DIR=str(tmp_path),
    )
    args = ("status", "--check", "--json", "--set", f"YUQING_OPS_PREFIX={key_prefix}")
    first = run_yuqing(*args, env=env, timeout=120)
    assert first.returncode == 1, first.stderr[-2000:]
    report = json.loads(first.stdout)
    assert ("source_silent", "people") in {(p["kind"], p["subject"]) for p in report["problems"]}
    assert len(report["alerts_raised"]) == len(report["problems"])
    again = json.loads(run_yuqing(*args, env=env, timeout=120).stdout)
    assert again["alerts_raised"] == []  # the same day: not raised twice
    assert mongo_db.alerts.count_documents({"kind": "crawl_health"}) == len(report["problems"])


def test_unreachable_servers_are_reported_without_their_passwords(tmp_path):
    url = f"redis://:s3cret-pw@127.0.0.1:{free_port()}/0"
    env = yuqing_env(REDIS_URL=url, YUQING_DATA_DIR=str(tmp_path))
    status = run_yuqing("status", env=env, timeout=120)
    assert status.returncode == 2
    assert "ConnectionError" in status.stderr
    once = run_yuqing("scheduler", "--once", "--no-health", env=env, timeout=120)
    assert once.returncode == 1
    assert "Redis unreachable" in once.stderr
    for output in (status.stdout, status.stderr, once.stdout, once.stderr):
        assert "s3cret-pw" not in output
