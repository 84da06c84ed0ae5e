"""A small crawl cluster for fault tests: own Redis and MongoDB servers (restartable on
their ports), a generated replay site, and `yuqing worker` processes started as users do.
"""

from __future__ import annotations

import contextlib
import re
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pymongo
import redis

from tests.helpers.cli import YUQING, start_yuqing, yuqing_env
from tests.helpers.paths import REPO
from yuqing_spiders.ops.services import EmbeddedMongo, EmbeddedRedis
from yuqing_spiders.queue.leased import queue_depths
from yuqing_spiders.queue.seeds import Seed, push_seeds
from yuqing_spiders.replay import sitegen
from yuqing_spiders.replay.server import ReplayServer

QUEUE_KEY = "yuqing:people:requests"
DATABASE = "yuqing_faults"
# Fast enough to finish in seconds, slow enough (a delay per article) to be interrupted.
WORKER_SETTINGS = {
    # A metrics point per stored crawl: points_per_article counts crawls from them.
    "MONGO_METRICS_POINTS": "every",
    "CONCURRENT_REQUESTS": "4",
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "RETRY_TIMES": "3",
    "YUQING_RETRY_BACKOFF_BASE": "0.2",
    "YUQING_RATE_INTERVAL": "0.01",  # the cluster-wide limiter runs, barely limiting
    # Long enough that a worker starved of CPU by a busy machine keeps its leases.
    "YUQING_QUEUE_LEASE_SECONDS": "20",
    "MONGO_BATCH_SIZE": "20",
    "MONGO_FLUSH_INTERVAL": "0.5",
    "MONGO_RETRY_INTERVAL": "1",
    "MONGO_SERVER_SELECTION_TIMEOUT_MS": "1000",
}


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


@dataclass
class Worker:
    proc: subprocess.Popen
    log: Path

    @property
    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def stat(self, name: str) -> int:
        """A counter from the stats Scrapy dumps at close (0 when absent)."""
        match = re.search(rf"'{re.escape(name)}': (\d+)", self.text)
        return int(match.group(1)) if match else 0


@dataclass
class Cluster:
    root: Path
    articles: int
    delay: float
    redis_server: EmbeddedRedis = field(init=False)
    mongo_server: EmbeddedMongo = field(init=False)
    site: ReplayServer = field(init=False)
    workers: list[Worker] = field(default_factory=list)

    @contextlib.contextmanager
    def running(self) -> Iterator[Cluster]:
        sitegen.build_site(self.root / "web", self.articles)
        self.redis_server = EmbeddedRedis(self.root / "redis").start()
        self.mongo_server = EmbeddedMongo(self.root / "mongo").start()
        self.site = ReplayServer(self.root / "web").start()
        self.site.add_fault(r"^/n2/", delay=self.delay)
        try:
            push_seeds(self.redis(), "people", [Seed(sitegen.list_url("all"), "people")])
            yield self
        finally:
            for worker in self.workers:
                with contextlib.suppress(ProcessLookupError):
                    worker.proc.kill()
                worker.proc.wait(10)
            self.site.stop()
            self.mongo_server.stop()
            self.redis_server.stop()

    def env(self) -> dict[str, str]:
        return yuqing_env(
            REDIS_URL=self.redis_server.url,
            MONGO_URI=self.mongo_server.url,
            MONGO_DATABASE=DATABASE,
            YUQING_DATA_DIR=str(self.root / "data"),
        )

    def start_worker(
        self, idle_exit: float = 3, spiders: tuple[str, ...] = ("people",), **settings: str
    ) -> Worker:
        merged = {**WORKER_SETTINGS, **settings}
        sets = [arg for name, value in merged.items() for arg in ("--set", f"{name}={value}")]
        args = ["worker", *(a for s in spiders for a in ("--spider", s))]
        args += ["--replay-url", self.site.url]
        args += ["--idle-exit", str(idle_exit), "--no-progress", *sets]
        log = self.root / f"worker{len(self.workers) + 1}.log"
        worker = Worker(start_yuqing(*args, env=self.env(), log=log), log)
        self.workers.append(worker)
        return worker

    def wait_workers(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        for worker in self.workers:
            worker.proc.wait(max(1, deadline - time.monotonic()))

    # --- looking at the stores ----------------------------------------------------------

    def redis(self) -> redis.Redis:
        return redis.Redis.from_url(self.redis_server.url, socket_timeout=5)

    def mongo(self) -> pymongo.database.Database:
        client: pymongo.MongoClient = pymongo.MongoClient(
            self.mongo_server.url, serverSelectionTimeoutMS=3000
        )
        return client[DATABASE]

    def stored(self) -> int:
        try:
            return self.mongo().opinions.count_documents({})
        except pymongo.errors.PyMongoError:
            return 0

    def depths(self) -> dict[str, int]:
        return queue_depths(self.redis(), QUEUE_KEY)

    def leased_urls(self, pid: int) -> list[str]:
        """URLs of the requests worker `pid` holds leases on, read straight from Redis."""
        client = self.redis()
        owners = client.hgetall(f"{QUEUE_KEY}:owners")
        ids = [i for i, owner in owners.items() if f":{pid}:".encode() in owner]
        payloads = client.hmget(f"{QUEUE_KEY}:data", ids) if ids else []
        return [re.search(rb'"url":"([^"]+)"', p).group(1).decode() for p in payloads if p]

    def points_per_article(self) -> Counter[str]:
        return Counter(p["opinion_id"] for p in self.mongo().opinion_metrics.find())

    def expected_ids(self) -> set[str]:
        return {sitegen.article_id(i) for i in range(self.articles)}


def start_wrapped_worker(
    cluster: Cluster, wrapper: list[str], idle_exit: float = 3, **settings: str
) -> Worker:
    """A worker started through `wrapper` (a shell command line taking the worker's
    command as "$@"), e.g. one that mounts a tiny filesystem first."""
    merged = {**WORKER_SETTINGS, **settings}
    sets = [arg for name, value in merged.items() for arg in ("--set", f"{name}={value}")]
    args = ["worker", "--spider", "people", "--replay-url", cluster.site.url]
    args += ["--idle-exit", str(idle_exit), "--no-progress", *sets]
    log = cluster.root / f"worker{len(cluster.workers) + 1}.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [*wrapper, *YUQING, *args],
            env=cluster.env(),
            cwd=REPO,
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )
    worker = Worker(proc, log)
    cluster.workers.append(worker)
    return worker


def sigkill_server(server: EmbeddedRedis | EmbeddedMongo) -> None:
    """SIGKILL a server the cluster started: no shutdown save, no clean close."""
    assert server.proc is not None
    server.proc.send_signal(signal.SIGKILL)
    server.proc.wait(10)
    server.proc = None


@dataclass
class Losses:
    """What a fault cost: articles never stored, stored twice, fetched twice, alerts
    that should exist and do not."""

    expected: int
    stored: int
    lost: int
    stored_twice: int
    fetched_twice: int
    alerts: int
    alerts_lost: int

    def line(self, fault: str) -> str:
        return (
            f"{fault}: {self.expected} articles, lost {self.lost}, stored twice "
            f"{self.stored_twice}, fetched twice {self.fetched_twice}; alerts {self.alerts}, "
            f"lost {self.alerts_lost}"
        )


ALERT_ORDER = ("general", "important", "urgent")
ALERT_MIN = "important"


def losses(cluster: Cluster) -> Losses:
    """Compare the stores with the generated site. An alert is lost when a stored item
    at or above the alerting level has no alert for its event (or itself) at its level
    or higher."""
    db = cluster.mongo()
    ids = [d["_id"] for d in db.opinions.find({}, {"_id": 1})]
    expected = cluster.expected_ids()
    points = cluster.points_per_article()
    alerts: dict[str, int] = {}
    for alert in db.alerts.find({}, {"key": 1, "rank": 1}):
        alerts[alert["key"]] = max(alerts.get(alert["key"], -1), alert["rank"])
    floor = ALERT_ORDER.index(ALERT_MIN)
    alerts_lost = 0
    for doc in db.opinions.find({"level": {"$in": list(ALERT_ORDER[floor:])}}):
        key = doc.get("event_id") or doc["_id"]
        if alerts.get(key, -1) < ALERT_ORDER.index(doc["level"]):
            alerts_lost += 1
    return Losses(
        expected=len(expected),
        stored=len(set(ids)),
        lost=len(expected - set(ids)),
        stored_twice=len(ids) - len(set(ids)),
        fetched_twice=sum(1 for n in points.values() if n > 1),
        alerts=db.alerts.count_documents({}),
        alerts_lost=alerts_lost,
    )


def kill(worker: Worker, signum: int = signal.SIGKILL) -> None:
    worker.proc.send_signal(signum)


def summary(cluster: Cluster) -> dict[str, Any]:
    """Counts a failing assertion prints, so a failure says what happened."""
    return {
        "stored": cluster.stored(),
        "depths": cluster.depths(),
        "logs": [w.text[-3000:] for w in cluster.workers],
    }
