"""How `yuqing run` ends, for cron and systemd: a summary per source, the cause of
failures in words, and an exit code that tells a failed crawl from a good one.

The crawls run the real CLI in subprocesses against the session's Redis and MongoDB;
the replay site serves the people.com.cn fixtures under their real URLs, and its
faults model what a live site does (a closed port refuses the connection; a missing
article answers 404; a slow one keeps the crawl busy while Ctrl-C arrives).
"""

from __future__ import annotations

import json
import signal
import socket
import time

import pytest

from tests.helpers.cli import people_article_ids, run_yuqing, start_yuqing, yuqing_env
from tests.helpers.paths import FIXTURES_WEB
from yuqing_spiders.model.outcome import EXIT_CONFIG, EXIT_FAILED, EXIT_INTERRUPTED, ConfigError
from yuqing_spiders.replay.server import ReplayServer

pytestmark = pytest.mark.slow


@pytest.fixture
def env(tmp_path, mongo_uri, redis_url, mongo_db_name):
    return yuqing_env(
        MONGO_URI=mongo_uri,
        REDIS_URL=redis_url,
        MONGO_DATABASE=mongo_db_name,
        YUQING_DATA_DIR=str(tmp_path / "data"),
        COLUMNS="80",
    )


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_crawl_where_every_request_failed_exits_1_and_says_why(env):
    url = f"http://127.0.0.1:{closed_port()}"
    args = ("run", "-s", "people", "-s", "sina", "--no-progress", "--replay-url", url)
    result = run_yuqing(*args, env=env)
    assert result.returncode == EXIT_FAILED, result.stderr[-3000:]
    tail = result.stderr[-1500:]
    assert "crawl finished" in tail
    assert "FAILED: nothing stored" in tail
    assert "connection refused by" in tail
    assert "people.com.cn" in tail  # the real host, as the user knows it
    # Two crawlers, one process: a warning each of them logs is said once, with a count.
    disabled = [line for line in result.stderr.splitlines() if "WARNING: Disabled" in line]
    assert disabled
    assert len(disabled) == len(set(line.split("WARNING: ", 1)[1] for line in disabled))
    assert "warning repeated 2 times in all (shown once)" in result.stderr


def test_partial_failure_exits_0_unless_fail_on_is_reached(env):
    with ReplayServer(FIXTURES_WEB) as site:
        site.add_fault(r"^/n2/2026/1125/", status=404)  # two articles gone
        args = ("run", "-s", "people", "--no-progress", "--replay-url", site.url)
        lenient = run_yuqing(*args, env=env)
        strict = run_yuqing(*args, "--fail-on", "0.05", env=env)
    assert lenient.returncode == 0, lenient.stderr[-3000:]
    assert "HTTP 404 from jx.people.com.cn" in lenient.stderr
    assert lenient.stderr.rstrip().splitlines()[-1].startswith("ok:")
    assert strict.returncode == EXIT_FAILED, strict.stderr[-3000:]
    assert "at or over --fail-on" in strict.stderr


def test_an_item_mongodb_refuses_is_not_counted_as_stored(env, mongo_db):
    """MongoDB refuses one article for good (a validator models a server rule the
    document breaks, answered with code 121 like any refused write): the summary, the
    run's `crawl_stats` and `status --check` count it as scraped, not as stored."""
    ids = sorted(people_article_ids())
    refused = f"people:{ids[0]}"
    mongo_db.create_collection("opinions", validator={"_id": {"$ne": refused}})
    with ReplayServer(FIXTURES_WEB) as site:
        args = ("run", "-s", "people", "--no-progress", "--replay-url", site.url)
        result = run_yuqing(*args, env=env)
    assert result.returncode == 0, result.stderr[-3000:]  # the others were stored
    assert mongo_db.opinions.count_documents({}) == len(ids) - 1
    assert mongo_db.opinions.count_documents({"_id": refused}) == 0

    row = _row(result.stderr, "people")
    assert row[2:5] == [str(len(ids)), str(len(ids) - 1), "0"]  # items, stored, failed
    assert "1 refused by MongoDB" in " ".join(row)
    assert f"ok: {len(ids) - 1} stored" in result.stderr

    [doc] = mongo_db.crawl_stats.find()
    assert doc["totals"]["by_source"]["people"]["items"] == len(ids)
    assert doc["totals"]["by_source"]["people"]["stored"] == len(ids) - 1
    assert doc["totals"]["by_source"]["people"]["refused"] == 1
    assert doc["totals"]["counts"]["stored"] == len(ids) - 1

    check = run_yuqing("status", "--check", "--json", env=env)
    summary = json.loads(check.stdout)["summary"]
    people = summary["sources"]["people"]
    assert (people["items"], people["stored"], people["refused"]) == (len(ids), len(ids) - 1, 1)


def _row(text: str, source: str) -> list[str]:
    """The cells of a source's row in the summary table (the last one printed)."""
    rows = [line.split() for line in text.splitlines() if line.split()[:1] == [source]]
    assert rows, text[-3000:]
    return rows[-1]


def test_ctrl_c_exits_130_with_a_line(env, tmp_path):
    with ReplayServer(FIXTURES_WEB) as site:
        site.add_fault(r"^/n[12]/", delay=1.0)  # articles keep the crawl busy
        log = tmp_path / "run.log"
        args = ("run", "-s", "people", "--no-progress", "--replay-url", site.url)
        proc = start_yuqing(*args, "--set", "CONCURRENT_REQUESTS=1", env=env, log=log)
        try:
            _wait_for(lambda: site.requests, 120)
            proc.send_signal(signal.SIGINT)
            proc.wait(120)
        finally:
            if proc.poll() is None:
                proc.kill()
    text = log.read_text()
    assert proc.returncode == EXIT_INTERRUPTED, text[-3000:]
    assert "interrupted (SIGINT)" in text


def test_a_configuration_error_is_one_line_and_exit_2(monkeypatch, capsys):
    """What H4's loaders raise for a bad file, source or key: the command prints it as
    one line (no traceback) and exits 2."""
    from yuqing_spiders.cli import app, crawl

    def bad(_: object) -> list[str]:
        raise ConfigError(
            "not an integer: 'two'",
            path="settings/sources.yaml",
            source="people",
            key="max_list_pages",
        )

    monkeypatch.setattr(crawl, "spider_names", bad)
    with pytest.raises(SystemExit) as stop:
        app(["run", "--no-progress"], prog_name="yuqing")
    assert stop.value.code == EXIT_CONFIG
    err = capsys.readouterr().err.strip()
    assert err.splitlines() == [
        "configuration error: settings/sources.yaml, source people, key max_list_pages: "
        "not an integer: 'two'"
    ]


def _wait_for(condition, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    pytest.fail("the crawl never reached the replay site")


def test_a_local_crawl_that_can_neither_store_nor_spool_stops_and_exits_1(env, tmp_path):
    """Issue 12: with MongoDB away and the spool's directory impossible to create (its
    parent is a file, as a read-only or missing mount refuses it), `yuqing run` lost
    every item and exited 0. Now it stops at the first lost batch and exits 1."""
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    env = {**env, "MONGO_URI": f"mongodb://127.0.0.1:{closed_port()}"}
    args = ("run", "--replay", "--fixtures", str(FIXTURES_WEB), "-s", "people", "--no-progress")
    result = run_yuqing(
        *args,
        "--set",
        f"MONGO_SPOOL_DIR={blocker / 'spool'}",
        "--set",
        "MONGO_SERVER_SELECTION_TIMEOUT_MS=300",
        env=env,
    )
    assert result.returncode == EXIT_FAILED, result.stderr[-3000:]
    assert "could be neither stored nor spooled" in result.stderr
    assert "'finish_reason': 'fatal'" in result.stderr
