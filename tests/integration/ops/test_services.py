"""The embedded services are real servers spoken to over TCP, and stop cleanly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pymongo
import pytest
import redis

from tests.helpers.paths import REPO
from yuqing_spiders.ops.services import (
    EmbeddedMongo,
    EmbeddedRedis,
    EmbeddedServices,
    ServiceBusy,
)


def test_embedded_redis_is_a_real_server(tmp_path):
    with EmbeddedRedis(tmp_path / "r") as server:
        client = redis.Redis.from_url(server.url)
        client.set("k", "v")
        assert client.get("k") == b"v"
        assert client.info("server")["tcp_port"] == server.port
        proc = server.proc
    assert proc is not None
    assert proc.poll() is not None  # stopped


def test_embedded_mongo_keeps_data_across_restart(tmp_path):
    data = tmp_path / "m"
    with EmbeddedMongo(data) as server:
        pymongo.MongoClient(server.url).yq.t.insert_one({"_id": 1, "x": "南昌"})
    with EmbeddedMongo(data) as server:
        doc = pymongo.MongoClient(server.url).yq.t.find_one({"_id": 1})
    assert doc == {"_id": 1, "x": "南昌"}


def test_services_start_only_what_is_not_configured(tmp_path, monkeypatch, redis_url):
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.delenv("MONGO_URI", raising=False)
    with EmbeddedServices(tmp_path) as services:
        assert os.environ["REDIS_URL"] == redis_url
        assert [s.split()[0] for s in services.started] == ["mongodb"]
        pymongo.MongoClient(os.environ["MONGO_URI"]).admin.command("ping")
    assert "MONGO_URI" not in os.environ


# --- crash safety and lifetime (issue 12, items 3 and 6) ------------------------------


def _stat(pid: int) -> tuple[str, str] | None:
    """(state, start time) of a process, None when there is none."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except FileNotFoundError:
        return None
    return fields[0], fields[19]


def _describe_process(pid: int) -> str:
    """What a process that should have ended is doing (for the failure message)."""
    proc = Path(f"/proc/{pid}")
    try:
        command = (proc / "cmdline").read_text().replace("\0", " ")[:120]
        status = [
            line
            for line in (proc / "status").read_text().splitlines()
            if line.startswith(("State", "PPid", "SigPnd", "ShdPnd", "SigBlk", "SigCgt"))
        ]
    except OSError:
        return f"{pid}: gone"
    return f"{pid}: {command} {status}"


def _wait_dead(pid: int, started: str, timeout: float = 30.0) -> bool:
    """Exited: no such process, a zombie waiting for whoever adopted it (a container's
    init may be slow to reap), or the pid already reused by another process."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        stat = _stat(pid)
        if stat is None or stat[0] in ("Z", "X") or stat[1] != started:
            return True
        time.sleep(0.1)
    return False


def test_redis_keeps_writes_across_sigkill(tmp_path):
    """appendonly yes + appendfsync everysec: a write older than a second survives a
    SIGKILL of redis-server (with only `save 60 1` it was lost)."""
    server = EmbeddedRedis(tmp_path / "r").start()
    client = redis.Redis.from_url(server.url)
    client.rpush("queue", *[f"request-{i}" for i in range(1000)])
    time.sleep(1.5)  # past the one-second fsync
    assert server.proc is not None
    server.proc.send_signal(signal.SIGKILL)
    server.proc.wait(10)
    restarted = EmbeddedRedis(tmp_path / "r", port=server.port).start()
    try:
        assert redis.Redis.from_url(restarted.url).llen("queue") == 1000
    finally:
        restarted.stop()


def test_redis_with_only_a_snapshot_keeps_it_and_switches_aof_on(tmp_path):
    """A data dir from before the append-only file (dump.rdb only) is loaded, not
    replaced by an empty dataset, and gets its append-only file."""
    with EmbeddedRedis(tmp_path / "r") as server:
        client = redis.Redis.from_url(server.url)
        client.set("kept", "1")
        client.save()
    (tmp_path / "r" / "appendonly.aof").unlink()
    with EmbeddedRedis(tmp_path / "r") as server:
        client = redis.Redis.from_url(server.url)
        assert client.get("kept") == b"1"
        assert client.info("persistence")["aof_enabled"] == 1
    assert (tmp_path / "r" / "appendonly.aof").stat().st_size > 0


def test_a_second_process_reuses_the_running_server(tmp_path):
    with EmbeddedRedis(tmp_path / "r") as first:
        second = EmbeddedRedis(tmp_path / "r").start()
        assert second.reused
        assert second.port == first.port
        assert second.proc is None
        redis.Redis.from_url(second.url).set("k", "v")
        second.stop()  # leaves the owner's server running
        assert redis.Redis.from_url(first.url).get("k") == b"v"
    # The owner stopped: its state file is gone and the next start is a fresh server.
    assert not (tmp_path / "r" / "redis.json").exists()
    with EmbeddedRedis(tmp_path / "r") as third:
        assert not third.reused


def test_mongo_dir_held_by_an_unrecorded_server_says_what_to_do(tmp_path):
    with EmbeddedMongo(tmp_path / "m") as first:
        first.state_path.unlink()  # as a server leaked by an older release
        with pytest.raises(ServiceBusy) as error:
            EmbeddedMongo(tmp_path / "m").start()
    message = str(error.value)
    assert "\n" not in message
    assert "Traceback" not in message
    assert "MONGO_URI" in message
    assert str(tmp_path / "m" / "db") in message


STARTER = """
import sys, time
from yuqing_spiders.ops.services import EmbeddedServices
with EmbeddedServices(sys.argv[1]) as services:
    print(*(server.proc.pid for server in services.servers), flush=True)
    time.sleep(600)
"""


def test_servers_die_with_a_sigkilled_parent(tmp_path, monkeypatch):
    """`yuqing run` killed with SIGKILL leaves no redis-server or SecantusDB behind,
    and the next process on the same data dir starts its own (no WiredTiger lock)."""
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("MONGO_URI", raising=False)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    parent = subprocess.Popen(
        [sys.executable, "-c", STARTER, str(tmp_path)], env=env, stdout=subprocess.PIPE, text=True
    )
    assert parent.stdout is not None
    pids = [int(p) for p in parent.stdout.readline().split()]
    assert len(pids) == 2, pids
    started = {pid: stat[1] for pid in pids if (stat := _stat(pid))}
    parent.send_signal(signal.SIGKILL)
    parent.wait(10)
    alive = [pid for pid in started if not _wait_dead(pid, started[pid])]
    assert not alive, [_describe_process(pid) for pid in alive]
    with EmbeddedServices(tmp_path) as services:
        assert not any(server.reused for server in services.servers)
        pymongo.MongoClient(os.environ["MONGO_URI"]).admin.command("ping")


def test_a_command_on_a_held_data_dir_exits_with_one_line(tmp_path, monkeypatch):
    monkeypatch.delenv("MONGO_URI", raising=False)
    with EmbeddedMongo(tmp_path / "mongo") as first:
        first.state_path.unlink()
        with pytest.raises(SystemExit) as stop, EmbeddedServices(tmp_path, redis=False):
            pass
    assert str(stop.value.code).startswith("yuqing: the MongoDB data in ")
    assert "\n" not in str(stop.value.code)
    assert "MONGO_URI" not in os.environ
