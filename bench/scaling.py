"""Throughput of 1, 2 and 4 workers sharing the leased Redis queue, in one run.

A generated site (people.com.cn template, yuqing_spiders/replay/sitegen.py) is served
by the replay server with every article answered after 200 ms. Each run starts from an
empty queue, dupefilter and database, seeds the list page and starts N `yuqing worker`
processes (CONCURRENT_REQUESTS 2 each: 4 workers keep at most 8 pages in flight, so
the two cores wait on the site, not the other way round; the cluster-wide rate limit
is off, since it would cap one site by design). Articles per run grow with the worker
count so every run lasts about as long. Throughput is taken over the middle 60 % of
the articles by their `crawled_at`, so process start-up and the idle tail are not
counted. Prints one line per count, `N workers: P pages/s, R x` (R = ratio to one).

    python bench/scaling.py [--per-worker 150] [--concurrency 2] [--delay 0.2]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import pymongo  # noqa: E402
import redis  # noqa: E402

from yuqing_spiders.ops.services import EmbeddedServices  # noqa: E402
from yuqing_spiders.queue.seeds import Seed, push_seeds  # noqa: E402
from yuqing_spiders.replay import sitegen  # noqa: E402
from yuqing_spiders.replay.server import ReplayServer  # noqa: E402
from yuqing_spiders.store.connections import mongo_client, redis_from_url  # noqa: E402

COUNTS = (1, 2, 4)
DATABASE = "yuqing_scaling"


def worker_command(replay_url: str, concurrency: int) -> list[str]:
    settings = {
        "CONCURRENT_REQUESTS": concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
        "AUTOTHROTTLE_ENABLED": False,
        "DOWNLOAD_DELAY": 0,
        "YUQING_RATE_ENABLED": False,
        "LOG_LEVEL": "WARNING",
        "MONGO_FLUSH_INTERVAL": 0.5,
    }
    sets = [arg for name, value in settings.items() for arg in ("--set", f"{name}={value}")]
    return [
        *(sys.executable, "-m", "yuqing_spiders.cli", "worker", "--spider", "people"),
        *("--replay-url", replay_url, "--idle-exit", "3", "--no-progress", *sets),
    ]


def reset(client: redis.Redis, db: pymongo.database.Database) -> None:
    keys = list(client.scan_iter("yuqing:people:*"))
    if keys:
        client.delete(*keys)
    db.opinions.drop()
    db.opinion_metrics.drop()


def middle_rate(db: pymongo.database.Database, expected: int) -> float:
    """Pages/s over the middle 60 % of the stored articles (by crawled_at)."""
    times = sorted(d["crawled_at"] for d in db.opinions.find({}, {"crawled_at": 1}))
    if len(times) != expected:
        raise RuntimeError(f"stored {len(times)} of {expected} articles")
    low, high = int(expected * 0.2), int(expected * 0.8)
    return (high - low) / (times[high] - times[low]).total_seconds()


def run(
    workers: int, articles: int, site: ReplayServer, args: argparse.Namespace, log_dir: Path
) -> float:
    client = redis_from_url(os.environ["REDIS_URL"])
    db = mongo_client(os.environ["MONGO_URI"], appname="yuqing-bench")[DATABASE]
    reset(client, db)
    push_seeds(client, "people", [Seed(sitegen.list_url(f"run{workers}"), "people")])
    env = {**os.environ, "MONGO_DATABASE": DATABASE, "PYTHONPATH": str(REPO)}
    command = worker_command(site.url, args.concurrency)
    logs = [log_dir / f"{workers}-{n}.log" for n in range(workers)]
    procs = []
    for log in logs:
        with log.open("w") as out:
            procs.append(subprocess.Popen(command, env=env, cwd=REPO, stdout=out, stderr=out))
    for proc, log in zip(procs, logs, strict=True):
        if proc.wait(timeout=600) != 0:
            raise RuntimeError(
                f"a worker exited with {proc.returncode}:\n{log.read_text()[-3000:]}"
            )
    return middle_rate(db, articles)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-worker", type=int, default=150, help="articles per worker")
    parser.add_argument("--concurrency", type=int, default=2, help="per worker")
    parser.add_argument("--delay", type=float, default=0.2, help="seconds per article")
    args = parser.parse_args()
    rates: dict[int, float] = {}
    with tempfile.TemporaryDirectory(prefix="yuqing-scaling-") as tmp:
        work = Path(tmp)
        os.environ.pop("REDIS_URL", None)
        os.environ.pop("MONGO_URI", None)
        (work / "web").mkdir()
        with EmbeddedServices(work / "services"), ReplayServer(work / "web", port=0) as site:
            for workers in COUNTS:
                articles = args.per_worker * workers
                web = work / "web"
                sitegen.build_site(web, articles, lists=(f"run{workers}",))
                site.clear_faults()
                site.add_fault(r"^/n2/", delay=args.delay)
                started = time.monotonic()
                rates[workers] = run(workers, articles, site, args, work)
                print(
                    f"  ({workers} workers, {articles} articles, "
                    f"{time.monotonic() - started:.0f}s wall)",
                    file=sys.stderr,
                )
    ideal = args.concurrency / args.delay
    print(f"site answers after {args.delay * 1000:.0f} ms; concurrency {args.concurrency}/worker")
    print(f"(ideal: {ideal:.1f} pages/s per worker)")
    for workers in COUNTS:
        label = f"{workers} worker{'s' if workers > 1 else ''}"
        print(f"{label}: {rates[workers]:.1f} pages/s, {rates[workers] / rates[1]:.2f}x")


if __name__ == "__main__":
    main()
