"""What an idle `yuqing worker` costs: CPU a second, threads, memory, connections.

A public-opinion crawl trickles: most of the day a worker waits for the scheduler's
next tick. `yuqing worker` without `-s` runs a crawler for every spider (one process,
~50 crawlers), so whatever one crawler costs while idle is paid fifty times. This bench
starts embedded Redis and MongoDB and one `yuqing worker` on an empty queue, waits
--settle seconds for its start-up, then measures over --seconds: the worker's CPU
(ms per second, with any child), its threads and resident memory, and what it asks of
the servers: MongoDB connections (serverStatus) and commands a second, Redis
connections (INFO clients) and commands a second by name, and each server's CPU.

    python bench/idle.py [--spider people] [--settle 30] [--seconds 20]

2026-12-06, every spider (47 crawlers), before and after that day's changes (one
MongoDB client and one Redis pool per process, one heartbeat writer, one scheduler
timer, then one timer per interval for the writers' and alert and event flushes too):
the worker 94.7 -> 11.5-13.5 -> 7.5 ms of CPU a second, the MongoDB server 39.3 -> 1.5
(it answered 63 heartbeats a second), Redis 4.0 -> 2.0-2.5; 849 -> 147 threads, 360 ->
325 MB; 614 -> 34 MongoDB connections after 45 s, 5 after 100 s (idle ones close after
MONGO_MAX_IDLE_TIME_MS); 141 -> 1 Redis connections. With the shared queue watch
(queue/watch.py), two interleaved pairs against YUQING_QUEUE_WATCH_MAX_AGE=0: the worker
8.3 / 8.5 -> 5.0 / 6.8 ms a second, Redis 2.3 / 2.5 -> 1.5 / 2.0, 73 -> 45 commands a
second.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import psutil  # noqa: E402
import pymongo  # noqa: E402
import redis  # noqa: E402

from bench.scaling import redis_calls, server_processes  # noqa: E402
from yuqing_spiders.ops.services import EmbeddedServices, free_port  # noqa: E402
from yuqing_spiders.store.connections import mongo_client, redis_from_url  # noqa: E402


def cpu_seconds(procs: list[psutil.Process]) -> float:
    return sum(sum(p.cpu_times()[:2]) for p in procs)


def worker_tree(proc: psutil.Process) -> list[psutil.Process]:
    return [proc, *proc.children(recursive=True)]


@dataclass
class Reading:
    worker: float  # CPU seconds
    servers: dict[str, float]  # CPU seconds by server
    mongo_commands: int
    mongo_connections: int
    redis_calls: Counter[str]
    redis_connections: int


def reading(worker: psutil.Process, mongo: pymongo.MongoClient, client: redis.Redis) -> Reading:
    status = mongo.admin.command("serverStatus")
    return Reading(
        worker=cpu_seconds(worker_tree(worker)),
        servers={name: cpu_seconds([proc]) for proc, name in server_processes()},
        mongo_commands=sum(status.get("opcounters", {}).values()),
        mongo_connections=status.get("connections", {}).get("current", 0),
        redis_calls=redis_calls(client),
        redis_connections=client.info("clients")["connected_clients"],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spider", help="one spider (default: every spider)")
    parser.add_argument("--settle", type=float, default=30.0, help="seconds of start-up")
    parser.add_argument("--seconds", type=float, default=20.0, help="seconds measured")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="yuqing-idle-") as tmp:
        os.environ.pop("REDIS_URL", None)
        os.environ.pop("MONGO_URI", None)
        with EmbeddedServices(Path(tmp) / "services"):
            env = {**os.environ, "MONGO_DATABASE": "yuqing_idle", "PYTHONPATH": str(REPO)}
            # Nothing is seeded, so nothing is fetched; the replay URL is a closed port
            # all the same, so no request could leave the machine.
            command = [sys.executable, "-m", "yuqing_spiders.cli", "worker", "--no-progress"]
            command += ["--replay-url", f"http://127.0.0.1:{free_port()}"]
            command += ["--idle-exit", str(int(args.settle + args.seconds + 60))]
            command += ["--spider", args.spider] if args.spider else []
            log = Path(tmp) / "worker.log"
            with log.open("w") as out:
                proc = subprocess.Popen(command, env=env, cwd=REPO, stdout=out, stderr=out)
            try:
                time.sleep(args.settle)
                if proc.poll() is not None:
                    raise SystemExit(f"the worker exited:\n{log.read_text()[-3000:]}")
                worker = psutil.Process(proc.pid)
                mongo = mongo_client(os.environ["MONGO_URI"], appname="yuqing-bench")
                client = redis_from_url(os.environ["REDIS_URL"])
                before = reading(worker, mongo, client)
                time.sleep(args.seconds)
                after = reading(worker, mongo, client)
                threads, rss = worker.num_threads(), worker.memory_info().rss
            finally:
                proc.kill()
                proc.wait()
    report(args, before, after, threads, rss)


def report(
    args: argparse.Namespace, before: Reading, after: Reading, threads: int, rss: int
) -> None:
    seconds = args.seconds
    cpu = (after.worker - before.worker) / seconds
    print(f"idle `yuqing worker` ({args.spider or 'every spider'}), {seconds:.0f} s measured")
    print(f"worker: {cpu * 1000:.1f} ms CPU per second, {threads} threads, {rss >> 20} MB")
    for name in sorted(after.servers):
        spent = (after.servers[name] - before.servers.get(name, 0.0)) / seconds
        print(f"{name} server: {spent * 1000:.1f} ms CPU per second")
    # Less the bench's own two serverStatus calls.
    commands = (after.mongo_commands - before.mongo_commands - 2) / seconds
    print(f"mongodb: {after.mongo_connections} connections, {commands:.2f} commands per second")
    calls = after.redis_calls - before.redis_calls
    calls.pop("info", None)  # the bench's
    top = ", ".join(f"{k} {v / seconds:.1f}" for k, v in calls.most_common(8))
    print(
        f"redis: {after.redis_connections} connections (1 the bench's), "
        f"{sum(calls.values()) / seconds:.1f} commands per second ({top})"
    )


if __name__ == "__main__":
    main()
