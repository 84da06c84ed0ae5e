"""Crashes, not shutdowns: servers and commands killed with SIGKILL, and a full disk.

The cluster (tests/helpers/faults.py) is two `yuqing worker`s crawling a generated site
of a few hundred people.com.cn articles from one Redis queue into one MongoDB. Each
test breaks one thing the way a crash or an operator's `kill -9` would, lets the
workers (or a fresh one) finish, and prints one line of what the fault cost: articles
lost, stored twice, fetched twice, alerts lost (docs/reliability.md keeps the table).
Lost is 0 everywhere.
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.helpers.cli import run_yuqing, start_yuqing, yuqing_env
from tests.helpers.faults import (
    Cluster,
    losses,
    sigkill_server,
    start_wrapped_worker,
    summary,
    wait_for,
)
from tests.helpers.paths import FIXTURES_WEB
from yuqing_spiders.ops.services import EmbeddedMongo, EmbeddedRedis
from yuqing_spiders.store.spool import Spool

pytestmark = pytest.mark.slow

ARTICLES = 200


def _finish(cluster: Cluster, fault: str) -> None:
    cluster.wait_workers(240)
    result = losses(cluster)
    print("\n" + result.line(fault))
    assert result.lost == 0, summary(cluster)
    assert result.stored_twice == 0
    assert result.alerts_lost == 0
    assert cluster.depths() == {"pending": 0, "leased": 0, "dead": 0}


def test_sigkill_of_redis_loses_no_article(tmp_path):
    """No shutdown save: only the append-only file (fsynced each second) brings the
    queue back. With `save 60 1` and no AOF, a kill lost most of the queue."""
    with Cluster(tmp_path, ARTICLES, delay=0.2).running() as cluster:
        workers = [cluster.start_worker(YUQING_QUEUE_LEASE_SECONDS="30") for _ in range(2)]
        wait_for(lambda: cluster.stored() >= ARTICLES // 3, 120, "a third of the articles")
        pending = cluster.depths()["pending"]
        port = cluster.redis_server.port
        sigkill_server(cluster.redis_server)
        time.sleep(2)
        cluster.redis_server = EmbeddedRedis(tmp_path / "redis", port=port).start()
        # The queue came back from the append-only file (at most ~1 s of writes short).
        back = cluster.depths()["pending"]
        assert back >= pending - 20, (pending, cluster.depths())
        _finish(cluster, f"SIGKILL redis ({pending} pending at the kill, {back} after)")
        assert [w.proc.returncode for w in workers] == [0, 0], summary(cluster)


def test_sigkill_of_mongodb_loses_no_article(tmp_path):
    with Cluster(tmp_path, ARTICLES, delay=0.5).running() as cluster:
        workers = [cluster.start_worker(CONCURRENT_REQUESTS="2") for _ in range(2)]
        wait_for(lambda: cluster.stored() >= 20, 120, "the first stored articles")
        port = cluster.mongo_server.port
        sigkill_server(cluster.mongo_server)
        spool = tmp_path / "data" / "spool"
        wait_for(lambda: any(spool.glob("*.jsonl")), 60, "batches in the spool")
        time.sleep(5)
        cluster.mongo_server = EmbeddedMongo(tmp_path / "mongo", port=port).start()
        _finish(cluster, "SIGKILL mongodb")
        assert [w.proc.returncode for w in workers] == [0, 0], summary(cluster)
        spooled = sum(w.stat("mongo/spooled_items") for w in workers)
        replayed = sum(w.stat("mongo/spool_replayed_items") for w in workers)
        assert spooled == replayed > 0
        alerts_spooled = sum(w.stat("alerts/spooled") for w in workers)
        alerts_replayed = sum(w.stat("alerts/spool/spool_replayed") for w in workers)
        assert alerts_spooled == alerts_replayed
        print(f"  {spooled} items and {alerts_spooled} alerts spooled, all replayed")


@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs unshare(1)")
def test_full_disk_with_mongodb_down_stops_the_worker_and_loses_nothing(tmp_path):
    """Issue 12: with MongoDB away and the disk full, items were lost, empty .tmp files
    left, and the worker exited 0. Now: no disk, no ack, exit 1, and another worker
    fetches what this one could not keep."""
    probe = subprocess.run(["unshare", "-rm", "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip("user namespaces are not available")
    with Cluster(tmp_path, ARTICLES, delay=0.1).running() as cluster:
        port = cluster.mongo_server.port
        sigkill_server(cluster.mongo_server)
        spool = tmp_path / "data" / "spool"
        spool.mkdir(parents=True)
        keep = tmp_path / "kept"
        # The tmpfs vanishes with the namespace: the worker's last act copies what it
        # holds to `keep`, as a real disk would have kept it.
        wrapper = [
            "unshare",
            "-rm",
            "sh",
            "-c",
            f'mount -t tmpfs -o size=96k full {spool} && "$@"; rc=$?; '
            f"mkdir -p {keep} && cp -a {spool}/. {keep}/; exit $rc",
            "sh",
        ]
        full = start_wrapped_worker(cluster, wrapper)
        full.proc.wait(180)
        assert full.proc.returncode == 1, full.text[-3000:]
        assert "neither stored nor spooled" in full.text
        assert "'yuqing/fatal'" in full.text
        left = sorted(p.name for p in keep.iterdir() if p.is_file())
        assert not [n for n in left if n.endswith(".tmp")], left
        kept = Spool(keep)
        for path in kept.pending():  # every file complete, readable
            with kept.claim(path) as docs:
                assert docs, path
        shutil.copytree(keep, spool, dirs_exist_ok=True)
        cluster.mongo_server = EmbeddedMongo(tmp_path / "mongo", port=port).start()
        rescuer = cluster.start_worker(idle_exit=5)
        rescuer.proc.wait(240)
        _finish(cluster, f"ENOSPC with mongodb down ({len(left)} batches on the full disk)")
        assert rescuer.proc.returncode == 0, rescuer.text[-3000:]


def _server_pids(data: Path) -> list[int]:
    pids = []
    for state in (data / "redis" / "redis.json", data / "mongo" / "secantus.json"):
        if state.exists():
            pids.append(json.loads(state.read_text())["pid"])
    return pids


def _dead(pid: int) -> bool:
    """No such process, or a zombie its adoptive parent has not reaped yet."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rpartition(")")[2].split()[0] in ("Z", "X")


def test_sigkill_of_yuqing_run_leaves_no_server_and_the_next_run_works(tmp_path):
    """Issue 12: a killed `yuqing run` left redis-server and SecantusDB running; the
    next run died on a WiredTiger lock and leaked one more redis-server."""
    data = tmp_path / "data"
    env = yuqing_env()
    env.pop("REDIS_URL", None)
    env.pop("MONGO_URI", None)
    args = ["run", "--replay", "--fixtures", str(FIXTURES_WEB), "-s", "people"]
    args += ["--data-dir", str(data), "--no-progress"]
    first = start_yuqing(*args, env=env, log=tmp_path / "first.log")
    wait_for(lambda: len(_server_pids(data)) == 2, 120, "both embedded servers")
    pids = _server_pids(data)
    time.sleep(3)  # mid-crawl
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    wait_for(lambda: all(_dead(pid) for pid in pids), 20, "the servers to follow their parent")
    second = run_yuqing(*args, env=env, timeout=600)
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
    assert "WiredTiger" not in second.stderr
    assert not [pid for pid in _server_pids(data) if not _dead(pid)]
    print(f"\nSIGKILL yuqing run: servers {pids} gone; the next run on {data.name} finished")


def test_report_reuses_the_servers_yuqing_services_holds(tmp_path):
    """`yuqing report` on the data dir `yuqing services` runs: it reuses the servers
    instead of failing on the WiredTiger lock; killing `yuqing services` stops them."""
    data = tmp_path / "data"
    env = yuqing_env()
    env.pop("REDIS_URL", None)
    env.pop("MONGO_URI", None)
    services = start_yuqing("services", "--data-dir", str(data), env=env, log=tmp_path / "s.log")
    try:
        wait_for(lambda: len(_server_pids(data)) == 2, 120, "yuqing services")
        pids = _server_pids(data)
        out = tmp_path / "report.json"
        report = run_yuqing(
            "report", "--format", "json", "--out", str(out), "--data-dir", str(data), env=env
        )
        assert report.returncode == 0, report.stdout[-2000:] + report.stderr[-2000:]
        assert json.loads(out.read_text())
        assert _server_pids(data) == pids  # still the services' own servers
    finally:
        services.send_signal(signal.SIGKILL)
        services.wait(10)
    wait_for(lambda: all(_dead(pid) for pid in pids), 20, "the servers to follow their parent")


def test_unwritable_spool_with_mongodb_down_stops_the_worker_and_loses_nothing(tmp_path):
    """The same without namespaces: the spool's directory cannot be created (its parent
    is a file, as a read-only or missing mount would refuse it, root or not)."""
    with Cluster(tmp_path, ARTICLES, delay=0.1).running() as cluster:
        port = cluster.mongo_server.port
        sigkill_server(cluster.mongo_server)
        blocker = tmp_path / "not-a-directory"
        blocker.write_text("")
        stuck = cluster.start_worker(MONGO_SPOOL_DIR=str(blocker / "spool"))
        stuck.proc.wait(180)
        assert stuck.proc.returncode == 1, stuck.text[-3000:]
        assert "'yuqing/fatal'" in stuck.text
        cluster.mongo_server = EmbeddedMongo(tmp_path / "mongo", port=port).start()
        rescuer = cluster.start_worker(idle_exit=5)
        rescuer.proc.wait(240)
        _finish(
            cluster,
            f"unwritable spool with mongodb down ({stuck.stat('queue/items_lost')} "
            "items the stopped worker could not keep)",
        )
        assert rescuer.proc.returncode == 0, rescuer.text[-3000:]
