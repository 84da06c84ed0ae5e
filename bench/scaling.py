"""Throughput of 1, 2 and 4 workers sharing the leased Redis queue, in one run.

A generated site (people.com.cn template, yuqing_spiders/replay/sitegen.py) is served
by the replay server with every article answered after 200 ms. Each run starts from an
empty queue, dupefilter and database, seeds the list page and starts N `yuqing worker`
processes (CONCURRENT_REQUESTS 2 each: 4 workers keep at most 8 pages in flight, so
the two cores wait on the site, not the other way round; the cluster-wide rate limit
is off, since it would cap one site by design). Articles per run grow with the worker
count so every run lasts about as long. Throughput is taken over the middle 60 % of
the articles by their `crawled_at`, so process start-up and the idle tail are not
counted. Prints one line per count, `N workers: P pages/s, R x` (R = ratio to one),
and the CPU per stored article over the same window, of the worker processes and the
Redis and MongoDB servers together (`cpu per item: N ms`): the production path's cost
(`yuqing worker` on the leased queue, the Bloom dupefilter, every pipeline), which
bench/throughput.py measures on one `yuqing run`-style process.

    python bench/scaling.py [--per-worker 150] [--concurrency 2] [--delay 0.2]
                            [--workers 1,2,4] [--every-spider]

`--every-spider` runs each worker as `yuqing worker` runs by default, with a crawler
for every spider (only the people source has work): what a trickling production
worker pays per article, its idle crawlers included. The workers run with the
production settings but for the ones above (the writer flushes every 2 s, as deployed).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import psutil  # noqa: E402
import pymongo  # noqa: E402
import redis  # noqa: E402

from yuqing_spiders.ops.services import EmbeddedServices  # noqa: E402
from yuqing_spiders.queue.seeds import Seed, push_seeds  # noqa: E402
from yuqing_spiders.replay import sitegen  # noqa: E402
from yuqing_spiders.replay.server import ReplayServer  # noqa: E402
from yuqing_spiders.store.connections import mongo_client, redis_from_url  # noqa: E402

COUNTS = (1, 2, 4)
DATABASE = "yuqing_scaling"


def worker_command(replay_url: str, concurrency: int, every_spider: bool = False) -> list[str]:
    settings = {
        "CONCURRENT_REQUESTS": concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
        "AUTOTHROTTLE_ENABLED": False,
        "DOWNLOAD_DELAY": 0,
        "YUQING_RATE_ENABLED": False,
        "LOG_LEVEL": "WARNING",
    }
    sets = [arg for name, value in settings.items() for arg in ("--set", f"{name}={value}")]
    # Every spider: a crawler per spider in each worker, as `yuqing worker` runs by
    # default; only the people source has work, the others wait, as most do in
    # production (no idle exit: the bench stops the workers once every article is in).
    spiders = [] if every_spider else ["--spider", "people"]
    idle_exit = "0" if every_spider else "3"
    return [
        *(sys.executable, "-m", "yuqing_spiders.cli", "worker", *spiders),
        *("--replay-url", replay_url, "--idle-exit", idle_exit, "--no-progress", *sets),
    ]


def stop_when_stored(
    procs: list[subprocess.Popen[bytes]], db: pymongo.database.Database, articles: int
) -> None:
    """Workers that never exit by themselves: SIGTERM (a clean stop) once every
    article is stored, or after 600 s."""
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and db.opinions.count_documents({}) < articles:
        if any(p.poll() is not None for p in procs):
            return  # one ended early: its exit status is reported
        time.sleep(1.0)
    for proc in procs:
        proc.send_signal(signal.SIGTERM)


def reset(client: redis.Redis, db: pymongo.database.Database) -> None:
    keys = list(client.scan_iter("yuqing:people:*"))
    if keys:
        client.delete(*keys)
    db.opinions.drop()
    db.opinion_metrics.drop()


def middle(db: pymongo.database.Database, expected: int) -> tuple[datetime, datetime, int]:
    """The window of the middle 60 % of the stored articles (by crawled_at): its first
    and last time and the articles crawled in it."""
    times = sorted(d["crawled_at"] for d in db.opinions.find({}, {"crawled_at": 1}))
    if len(times) != expected:
        raise RuntimeError(f"stored {len(times)} of {expected} articles")
    low, high = int(expected * 0.2), int(expected * 0.8)
    return times[low], times[high], high - low


def mongo_ops(db: pymongo.database.Database) -> Counter[str]:
    """The server's operation counters (serverStatus opcounters) by kind."""
    return Counter(db.client.admin.command("serverStatus").get("opcounters", {}))


def redis_calls(client: redis.Redis) -> Counter[str]:
    """Commands the Redis server has run, by name (a script counts as one EVALSHA)."""
    stats = client.info("commandstats")
    return Counter({k.removeprefix("cmdstat_"): int(v["calls"]) for k, v in stats.items()})


class CpuSampler(threading.Thread):
    """CPU seconds of the workers (with any child) and of each server, read every
    SAMPLE seconds with the wall time, so the CPU spent in any window can be read."""

    SAMPLE = 0.2

    def __init__(self, workers: list[subprocess.Popen[bytes]]) -> None:
        super().__init__(daemon=True)
        self.workers = [psutil.Process(p.pid) for p in workers]
        self.servers = server_processes()
        self.spent: dict[int, float] = {}  # by pid: a process keeps its last reading
        self.samples: list[tuple[float, dict[str, float]]] = []
        self.done = threading.Event()

    def _cpu(self, proc: psutil.Process) -> float:
        try:
            times = proc.cpu_times()
            self.spent[proc.pid] = times.user + times.system
        except psutil.Error:
            pass  # exited: its last reading stands
        return self.spent.get(proc.pid, 0.0)

    def read(self) -> dict[str, float]:
        found = {"workers": 0.0, "redis": 0.0, "mongodb": 0.0}
        for proc in self.workers:
            try:
                children = proc.children(recursive=True)
            except psutil.Error:
                children = []
            found["workers"] += self._cpu(proc) + sum(self._cpu(c) for c in children)
        for proc, name in self.servers:
            found[name] += self._cpu(proc)
        return found

    def run(self) -> None:
        while not self.done.is_set():
            self.samples.append((time.time(), self.read()))
            self.done.wait(self.SAMPLE)
        self.samples.append((time.time(), self.read()))

    def at(self, when: float) -> dict[str, float]:
        """The CPU readings at `when`, interpolated between the two samples around it."""
        for (t0, a), (t1, b) in zip(self.samples, self.samples[1:], strict=False):
            if t0 <= when <= t1:
                share = (when - t0) / (t1 - t0) if t1 > t0 else 0.0
                return {k: a[k] + (b[k] - a[k]) * share for k in a}
        raise RuntimeError("the window is outside the CPU samples")


def server_processes() -> list[tuple[psutil.Process, str]]:
    """The embedded Redis and MongoDB servers (children of this process)."""
    found = []
    for child in psutil.Process().children(recursive=True):
        try:
            line = " ".join(child.cmdline())
        except psutil.Error:
            continue
        if "redis-server" in line:
            found.append((child, "redis"))
        elif "secantus" in line:
            found.append((child, "mongodb"))
    return found


def run(
    workers: int, articles: int, site: ReplayServer, args: argparse.Namespace, log_dir: Path
) -> tuple[float, dict[str, float]]:
    """Pages/s and CPU ms per article by process kind, over the middle 60 %."""
    client = redis_from_url(os.environ["REDIS_URL"])
    db = mongo_client(os.environ["MONGO_URI"], appname="yuqing-bench")[DATABASE]
    reset(client, db)
    push_seeds(client, "people", [Seed(sitegen.list_url(f"run{workers}"), "people")])
    env = {**os.environ, "MONGO_DATABASE": DATABASE, "PYTHONPATH": str(REPO)}
    command = worker_command(site.url, args.concurrency, args.every_spider)
    logs = [log_dir / f"{workers}-{n}.log" for n in range(workers)]
    procs = []
    for log in logs:
        with log.open("w") as out:
            procs.append(subprocess.Popen(command, env=env, cwd=REPO, stdout=out, stderr=out))
    ops_before, calls_before = mongo_ops(db), redis_calls(client)
    sampler = CpuSampler(procs)
    sampler.start()
    try:
        if args.every_spider:
            stop_when_stored(procs, db, articles)
        for proc, log in zip(procs, logs, strict=True):
            if proc.wait(timeout=600) != 0:
                raise RuntimeError(
                    f"a worker exited with {proc.returncode}:\n{log.read_text()[-3000:]}"
                )
    finally:
        sampler.done.set()
        sampler.join()
    ops = mongo_ops(db) - ops_before
    calls = redis_calls(client) - calls_before
    print(
        f"  ({workers} workers, per stored article: mongodb "
        + ", ".join(f"{k} {v / articles:.2f}" for k, v in ops.most_common(5))
        + "; redis "
        + ", ".join(f"{k} {v / articles:.1f}" for k, v in calls.most_common(8))
        + ")",
        file=sys.stderr,
    )
    first, last, crawled = middle(db, articles)
    before, after = sampler.at(first.timestamp()), sampler.at(last.timestamp())
    cpu = {name: (after[name] - before[name]) * 1000 / crawled for name in after}
    return crawled / (last - first).total_seconds(), cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-worker", type=int, default=150, help="articles per worker")
    parser.add_argument("--concurrency", type=int, default=2, help="per worker")
    parser.add_argument("--delay", type=float, default=0.2, help="seconds per article")
    parser.add_argument(
        "--workers", default=",".join(map(str, COUNTS)), help="worker counts, e.g. 1 or 1,4"
    )
    parser.add_argument(
        "--every-spider", action="store_true", help="workers run every spider, not only people"
    )
    args = parser.parse_args()
    counts = [int(n) for n in args.workers.split(",")]
    rates: dict[int, float] = {}
    costs: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="yuqing-scaling-") as tmp:
        work = Path(tmp)
        os.environ.pop("REDIS_URL", None)
        os.environ.pop("MONGO_URI", None)
        (work / "web").mkdir()
        with EmbeddedServices(work / "services"), ReplayServer(work / "web", port=0) as site:
            for workers in counts:
                articles = args.per_worker * workers
                web = work / "web"
                sitegen.build_site(web, articles, lists=(f"run{workers}",))
                site.clear_faults()
                site.add_fault(r"^/n2/", delay=args.delay)
                started = time.monotonic()
                rates[workers], costs[workers] = run(workers, articles, site, args, work)
                print(
                    f"  ({workers} workers, {articles} articles, "
                    f"{time.monotonic() - started:.0f}s wall)",
                    file=sys.stderr,
                )
    ideal = args.concurrency / args.delay
    print(f"site answers after {args.delay * 1000:.0f} ms; concurrency {args.concurrency}/worker")
    print(f"(ideal: {ideal:.1f} pages/s per worker)")
    for workers in counts:
        label = f"{workers} worker{'s' if workers > 1 else ''}"
        print(f"{label}: {rates[workers]:.1f} pages/s, {rates[workers] / rates[counts[0]]:.2f}x")
    for workers in counts:
        cost = costs[workers]
        parts = ", ".join(f"{name} {ms:.1f}" for name, ms in cost.items())
        print(f"{workers} worker(s), cpu per item: {sum(cost.values()):.1f} ms ({parts})")


if __name__ == "__main__":
    main()
