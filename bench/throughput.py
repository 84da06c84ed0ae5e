"""Throughput and cost of the full crawl path against a bare fetch-only spider, in one run.

Builds N people.com.cn-style article pages (GBK, the real template of the fixtures;
~1,100 characters of real posts each, --paragraphs) and list pages linking them,
serves them from the replay server in processes of their own (one answering at once,
one answering each article after --delay seconds), then crawls, in one Scrapy
process:

1. CPU-bound: a bare spider that only fetches the pages, then the real `people` spider
   with every middleware and pipeline into MongoDB (pages answered at once);
2. latency-bound: the same two with each article answered after --delay seconds and
   --concurrency requests in flight (as bench/scaling.py).

From the CPU-bound full crawl it prints the CPU ms per item of each pipeline stage
(on the reactor thread, each stage's own steps only) and the wall time it held the
reactor (the difference is waiting on a blocking call), the MongoDB commands per stored
item by name, the CPU per stored item of the crawl process and of its Redis and
MongoDB server processes (`cpu per item: N ms`, all three; the whole crawl, start-up
included, and the steady state over the middle 60 % of responses) beside the bare
crawl's CPU per page (Scrapy's own floor) and the ratio of the two (the machine's
speed drifts; the ratio of one run's two crawls compares across runs), the freshness of stored
items (fetch -> stored with its judgments) at p50 / p99, the CPU-bound ratio, and LAST
the latency-bound ratio as `ratio: R` (full / bare pages/s).

    python bench/throughput.py [--articles 300] [--concurrency 16] [--delay 0.2]
    python bench/throughput.py --storage 300,3000,30000   # storage cost per stored doc
    BENCH_PROFILE=/tmp/full.prof python bench/throughput.py   # + cProfile of the full crawl
    BENCH_SETTINGS='{"MONGO_JOURNAL": false}' python bench/throughput.py   # settings on top
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import types
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import psutil  # noqa: E402
from pymongo import monitoring  # noqa: E402

from bench.scaling import server_processes as embedded_servers  # noqa: E402
from yuqing_spiders.replay import sitegen  # noqa: E402

HOST = sitegen.HOST
# Replay server in its own process (its CPU is the "site", not the crawler's); with a
# delay every article waits that long before its answer.
REPLAY = """
import sys
from pathlib import Path
from yuqing_spiders.replay.server import ReplayServer
server = ReplayServer(Path(sys.argv[1]), port=0).start()
if float(sys.argv[2]) > 0:
    server.add_fault(r"^/n2/", delay=float(sys.argv[2]))
print(server.url, flush=True)
sys.stdin.read()
"""
# Commands of the client's own bookkeeping, not of storing items.
NOT_COUNTED = frozenset({"hello", "ismaster", "isMaster", "ping", "endSessions", "buildInfo"})


class CommandCounter(monitoring.CommandListener):
    """Every MongoDB command this process sends, by name (pymongo's event API)."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.enabled = False

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if self.enabled and event.command_name not in NOT_COUNTED:
            self.counts[f"{event.command_name}:{_collection(event)}"] += 1

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


def _collection(event: monitoring.CommandStartedEvent) -> str:
    value = event.command.get(event.command_name)
    return value if isinstance(value, str) else event.database_name


COMMANDS = CommandCounter()
monitoring.register(COMMANDS)  # before any client exists: every client reports


class RedisTraffic:
    """Round trips (packets sent) and replies read by this process's Redis clients."""

    def __init__(self) -> None:
        self.sent = 0
        self.replies = 0

    def install(self) -> None:
        from redis.connection import AbstractConnection

        send, read = AbstractConnection.send_packed_command, AbstractConnection.read_response
        traffic = self

        def counted_send(self: Any, *args: Any, **kwargs: Any) -> Any:
            traffic.sent += 1
            return send(self, *args, **kwargs)

        def counted_read(self: Any, *args: Any, **kwargs: Any) -> Any:
            traffic.replies += 1
            return read(self, *args, **kwargs)

        AbstractConnection.send_packed_command = counted_send  # type: ignore[method-assign]
        AbstractConnection.read_response = counted_read  # type: ignore[method-assign]


REDIS = RedisTraffic()


# --- per-stage CPU on the reactor thread ------------------------------------------------


class StageClock:
    """CPU seconds (thread time) each pipeline stage spends in its own process_item.

    A coroutine stage is driven step by step, so the time other callbacks take while
    it waits (for MongoDB, a thread) is not charged to it."""

    def __init__(self) -> None:
        self.cpu: dict[str, float] = defaultdict(float)
        # Wall time of each step on the reactor thread: beyond its CPU, the stage held
        # the reactor waiting (a blocking call to Redis or MongoDB).
        self.wall: dict[str, float] = defaultdict(float)
        self.calls: Counter[str] = Counter()

    def wrap(self, cls: Any) -> None:
        original = cls.process_item
        name = cls.__name__.removesuffix("Pipeline")
        clock = self

        if asyncio.iscoroutinefunction(original):

            async def timed_async(self: Any, item: Any, *args: Any) -> Any:
                clock.calls[name] += 1
                return await _driven(original(self, item, *args), clock, name)

            cls.process_item = timed_async
        else:

            def timed(self: Any, item: Any, *args: Any) -> Any:
                start, wall = time.thread_time(), time.perf_counter()
                try:
                    return original(self, item, *args)
                finally:
                    clock.cpu[name] += time.thread_time() - start
                    clock.wall[name] += time.perf_counter() - wall
                    clock.calls[name] += 1

            cls.process_item = timed


@types.coroutine
def _driven(coro: Any, clock: StageClock, name: str) -> Any:
    """`yield from coro`, timing each step it runs on this thread."""
    value: Any = None
    error: BaseException | None = None
    while True:
        start, wall = time.thread_time(), time.perf_counter()
        try:
            yielded = coro.throw(error) if error is not None else coro.send(value)
        except StopIteration as stop:
            return stop.value
        finally:
            clock.cpu[name] += time.thread_time() - start
            clock.wall[name] += time.perf_counter() - wall
        try:
            value, error = (yield yielded), None
        except BaseException as exc:  # handed back into the stage, as `await` would
            value, error = None, exc


# --- freshness: fetch -> stored ---------------------------------------------------------


class Freshness:
    def __init__(self) -> None:
        self.fetched: dict[str, float] = {}
        self.stored: dict[str, float] = {}

    def response(self, response: Any, request: Any, spider: Any) -> None:
        self.fetched.setdefault(response.url, time.monotonic())

    def install(self) -> None:
        from yuqing_spiders.store.writer import Writer

        original = Writer.write
        fresh = self

        def write(self: Any, docs: list[dict[str, Any]], collection: str = "opinions") -> Any:
            counts = original(self, docs, collection)
            now = time.monotonic()
            for doc in docs:
                fresh.stored.setdefault(doc.get("url", ""), now)
            return counts

        Writer.write = write  # type: ignore[method-assign]

    def percentiles(self) -> tuple[float, float, int]:
        lags = sorted(
            self.stored[url] - at for url, at in self.fetched.items() if url in self.stored
        )
        if not lags:
            return 0.0, 0.0, 0
        p99 = lags[min(len(lags) - 1, int(len(lags) * 0.99))]
        return statistics.median(lags), p99, len(lags)


# --- the crawls -------------------------------------------------------------------------


def start_replay(root: Path, delay: float) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", REPLAY, str(root), str(delay)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert proc.stdout is not None
    return proc, proc.stdout.readline().strip()


def sources_file(work: Path, name: str) -> Path:
    path = work / f"sources-{name}.yaml"
    path.write_text(
        f"sources:\n  people:\n    name: 人民网\n    platform: news\n"
        f"    start_urls: [http://{HOST}/GB/{name}/]\n"
    )
    return path


def server_processes(pids: list[int] | None = None) -> list[psutil.Process]:
    """The embedded Redis and MongoDB servers: by pid, or the children of this process."""
    if pids is not None:
        return [psutil.Process(pid) for pid in pids]
    return [proc for proc, _ in embedded_servers()]


def cpu_seconds(proc: psutil.Process) -> float:
    times = proc.cpu_times()
    return times.user + times.system


class Meter:
    """CPU of the crawl process and each server, MongoDB commands, over one crawl."""

    def __init__(self, servers: list[psutil.Process]) -> None:
        self.servers = servers
        self.before: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self.redis_before: Counter[str] = Counter()
        self.traffic = (0, 0)
        self.redis_commands: Counter[str] = Counter()

    def _read(self) -> dict[str, float]:
        read = {"crawl": cpu_seconds(psutil.Process())}
        for proc in self.servers:
            name = "redis" if "redis" in " ".join(proc.cmdline()) else "mongodb"
            read[name] = read.get(name, 0.0) + cpu_seconds(proc)
        return read

    def start(self) -> None:
        COMMANDS.counts.clear()
        COMMANDS.enabled = True
        self.traffic = (REDIS.sent, REDIS.replies)
        self.redis_before = redis_calls()
        self.before = self._read()

    def stop(self) -> None:
        COMMANDS.enabled = False
        after = self._read()
        self.cpu = {name: after[name] - self.before.get(name, 0.0) for name in after}
        self.redis_commands = redis_calls() - self.redis_before
        self.traffic = (REDIS.sent - self.traffic[0], REDIS.replies - self.traffic[1])


class Steady:
    """CPU per item over the middle 60 % of the full crawl's responses (as the rates):
    what a long-running worker pays per item, without the one-off start-up (jieba's
    dictionary, the models, index creation) and the close (last flushes); and the
    crawl process's garbage collections in that window (gc.callbacks)."""

    def __init__(self, meter: Meter, crawler: Any, expected: int) -> None:
        self.meter, self.crawler = meter, crawler
        self.marks = (int(expected * 0.2), int(expected * 0.8))
        self.seen = 0
        self.reads: list[tuple[dict[str, float], int]] = []
        self.walls: list[float] = []
        self.gc_cpu = 0.0
        self.gc_runs: Counter[int] = Counter()
        self._gc_started = 0.0

    def response(self, response: Any, request: Any, spider: Any) -> None:
        self.seen += 1
        if self.seen in self.marks:
            items = self.crawler.stats.get_value("item_scraped_count", 0)
            self.reads.append((self.meter._read(), items))
            self.walls.append(time.monotonic())
            if len(self.reads) == 1:
                gc.callbacks.append(self._gc)
            else:
                gc.callbacks.remove(self._gc)

    def _gc(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._gc_started = time.thread_time()
        else:
            self.gc_cpu += time.thread_time() - self._gc_started
            self.gc_runs[info["generation"]] += 1

    def result(self) -> dict[str, Any]:
        if len(self.reads) < 2 or self.reads[1][1] <= self.reads[0][1]:
            return {}
        (before, items0), (after, items1) = self.reads
        items = items1 - items0
        wall = self.walls[1] - self.walls[0]
        return {
            "items": items,
            "cpu": {name: (after[name] - before.get(name, 0.0)) / items for name in after},
            # Share of one core the crawl process got: on a loaded machine a crawl that
            # needs more than it gets is slowed by the machine, not by its own design.
            "busy": (after["crawl"] - before["crawl"]) / wall if wall > 0 else 0.0,
            "load": os.getloadavg()[0],
            "gc_ms": self.gc_cpu * 1000 / items,
            "gc_runs": {str(k): v for k, v in sorted(self.gc_runs.items())},
        }


def redis_calls() -> Counter[str]:
    """Commands the Redis server has run, by name (INFO commandstats; scripts count as
    one EVALSHA, whatever they do inside)."""
    from yuqing_spiders.store.connections import redis_from_url

    client = redis_from_url(os.environ["REDIS_URL"])
    stats = client.info("commandstats")
    client.close()
    return Counter({k.removeprefix("cmdstat_"): int(v["calls"]) for k, v in stats.items()})


def phase(name: str, work: Path, replay: str, args: argparse.Namespace) -> dict[str, Any]:
    """One phase (`cpu` or `latency`) in this process: a bare crawl, then the full one."""
    import scrapy
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.misc import load_object

    from spiders.people.spider import PeopleSpider
    from yuqing_spiders.ops.runtime import project_settings

    class BareSpider(scrapy.Spider):
        name = "bare"
        # Nothing of the full crawl: no pipelines, middlewares or analysis data.
        custom_settings = {
            "ITEM_PIPELINES": {},
            "DOWNLOADER_MIDDLEWARES": {},
            "ANALYSIS_WARMUP": False,
        }

        async def start(self):
            yield scrapy.Request(f"http://{HOST}/GB/{name}-bare/")

        def parse(self, response):
            for href in response.css("div.ej_list_box a::attr(href)").getall():
                yield response.follow(href, self.fetched)

        def fetched(self, response: Any) -> None:
            return None

    sources = work / f"sources-{name}.yaml"
    sources.write_text(
        f"sources:\n  people:\n    name: 人民网\n    platform: news\n"
        f"    start_urls: [http://{HOST}/GB/{name}-full/]\n"
    )
    settings = project_settings("local", replay_url=replay)
    settings.setdict(
        {
            "YUQING_SOURCES_FILE": str(sources),
            "LOG_LEVEL": os.environ.get("BENCH_LOG", "WARNING"),
            "AUTOTHROTTLE_ENABLED": False,
            "DOWNLOAD_DELAY": 0,
            "CONCURRENT_REQUESTS": args.concurrency,
            "CONCURRENT_REQUESTS_PER_DOMAIN": args.concurrency,
            "EVENTS_REDIS_PREFIX": f"bench:{name}",
        },
        priority="cmdline",
    )
    # Experiments: BENCH_SETTINGS='{"MONGO_JOURNAL": false}' (JSON) on top of the above;
    # a dict is merged into the setting's dict (null removes a component).
    for key, value in json.loads(os.environ.get("BENCH_SETTINGS") or "{}").items():
        if isinstance(value, dict):
            value = {**settings.getdict(key), **value}
        settings.set(key, value, priority="cmdline")
    clock = StageClock()
    for path in settings.getdict("ITEM_PIPELINES"):
        clock.wrap(load_object(path))
    fresh = Freshness()
    fresh.install()
    REDIS.install()
    pids = [int(p) for p in os.environ.get("BENCH_SERVER_PIDS", "").split(",") if p]
    meter = Meter(server_processes(pids))

    process = CrawlerProcess(settings)
    bare, full = process.create_crawler(BareSpider), process.create_crawler(PeopleSpider)
    bare_cpu: list[float] = []  # the crawl process's CPU at the bare crawl's open and close
    for signal in (signals.spider_opened, signals.spider_closed):
        bare.signals.connect(
            lambda: bare_cpu.append(cpu_seconds(psutil.Process())), signal=signal, weak=False
        )
    arrivals = {"bare": Arrivals(), "full": Arrivals()}
    bare.signals.connect(arrivals["bare"].response, signal=signals.response_received)
    full.signals.connect(arrivals["full"].response, signal=signals.response_received)
    full.signals.connect(meter.start, signal=signals.spider_opened)
    full.signals.connect(meter.stop, signal=signals.spider_closed)
    profile_to = os.environ.get("BENCH_PROFILE") if name == "cpu" else None
    if profile_to:  # cProfile of the CPU-bound full crawl, for pstats
        import cProfile

        profiler = cProfile.Profile()
        opened, closed = signals.spider_opened, signals.spider_closed
        full.signals.connect(lambda: profiler.enable(), signal=opened, weak=False)
        full.signals.connect(lambda: profiler.dump_stats(profile_to), signal=closed, weak=False)
    full.signals.connect(fresh.response, signal=signals.response_received)
    steady = Steady(meter, full, args.articles + 1)
    full.signals.connect(steady.response, signal=signals.response_received)
    done = process.crawl(bare)
    done.addCallback(lambda _: process.crawl(full))
    process.start()

    stats = full.stats.get_stats()
    stored = stats.get("mongo/inserted", 0) + stats.get("mongo/updated", 0)
    p50, p99, seen = fresh.percentiles()
    return {
        "bare": arrivals["bare"].middle_rate(),
        "full": arrivals["full"].middle_rate(),
        "bare_whole": pages_per_second(bare),
        "bare_cpu": (bare_cpu[1] - bare_cpu[0])
        / max(1, bare.stats.get_value("response_received_count", 0)),
        "full_whole": pages_per_second(full),
        "stored": stored,
        "sizes": stored_sizes(os.environ["MONGO_DATABASE"]),
        "stages": {k: v * 1000 / max(1, clock.calls[k]) for k, v in clock.cpu.items()},
        "held": {k: v * 1000 / max(1, clock.calls[k]) for k, v in clock.wall.items()},
        "commands": dict(COMMANDS.counts),
        "redis_commands": dict(meter.redis_commands),
        "redis_traffic": list(meter.traffic),
        "cpu": meter.cpu,
        "freshness": [p50, p99, seen],
        "steady": steady.result(),
    }


def stored_sizes(database: str) -> tuple[float, float]:
    """Mean content characters and mean BSON bytes of the stored opinions."""
    import bson

    from yuqing_spiders.store.connections import mongo_client

    client = mongo_client(os.environ["MONGO_URI"], appname="yuqing-bench")
    found = list(client[database].opinions.find({}))
    client.close()
    if not found:
        return 0.0, 0.0
    chars = statistics.mean(len(d.get("content") or "") for d in found)
    return chars, statistics.mean(len(bson.encode(d)) for d in found)


def pages_per_second(crawler: Any) -> float:
    """Over the whole crawl, start-up and close included."""
    stats = crawler.stats.get_stats()
    seconds = (stats["finish_time"] - stats["start_time"]).total_seconds()
    return stats.get("response_received_count", 0) / seconds


class Arrivals:
    """When each response arrived: the steady rate over the middle 60 % of them (as
    bench/scaling.py), so the one-off start-up (jieba's dictionary, the models, index
    creation) and the close (last flushes) do not decide the ratio."""

    def __init__(self) -> None:
        self.times: list[float] = []

    def response(self, response: Any, request: Any, spider: Any) -> None:
        self.times.append(time.monotonic())

    def middle_rate(self) -> float:
        times = sorted(self.times)
        low, high = int(len(times) * 0.2), int(len(times) * 0.8)
        if high <= low or times[high] <= times[low]:
            return 0.0
        return (high - low) / (times[high] - times[low])


def run_phase(name: str, work: Path, replay: str, args: argparse.Namespace) -> dict[str, Any]:
    """A phase in a process of its own (one Scrapy reactor per process)."""
    pids = ",".join(str(p.pid) for p in server_processes())
    env = {**os.environ, "BENCH_SERVER_PIDS": pids, "MONGO_DATABASE": f"yuqing_bench_{name}"}
    command = [sys.executable, __file__, "--phase", name, "--work", str(work)]
    command += ["--replay", replay, "--concurrency", str(args.concurrency)]
    command += ["--articles", str(args.articles)]
    out = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"phase {name} failed:\n{out.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    if not result["stored"]:  # e.g. a BENCH_SETTINGS a component refuses: say why
        errors = [line for line in out.stderr.splitlines() if "ERROR" in line or "Error" in line]
        raise SystemExit(f"phase {name} stored nothing:\n" + "\n".join(errors[-20:]))
    return result


def report(cpu: dict[str, Any], latency: dict[str, Any], args: argparse.Namespace) -> None:
    items = max(1, cpu["stored"])
    print(f"articles: {args.articles} (+1 list page each run), concurrency {args.concurrency}")
    chars, size = cpu["sizes"]
    print(
        f"stored items (CPU-bound full crawl): {cpu['stored']}, {chars:.0f} chars each "
        f"({size:.0f} bytes of BSON)"
    )
    print("per-stage ms per item on the reactor thread: CPU, and wall time holding it")
    for name, ms in sorted(cpu["stages"].items(), key=lambda kv: -kv[1]):
        print(f"  {name:<22} {ms:6.2f} {cpu['held'].get(name, 0.0):6.2f}")
    print(
        f"  {'all stages':<22} {sum(cpu['stages'].values()):6.2f} {sum(cpu['held'].values()):6.2f}"
    )
    commands = Counter(cpu["commands"])
    top = ", ".join(f"{k} {v / items:.2f}" for k, v in commands.most_common(6))
    print(f"mongodb commands per item: {sum(commands.values()) / items:.2f} ({top})")
    sent, replies = cpu["redis_traffic"]
    print(f"redis round trips per item: {sent / items:.1f}, replies read {replies / items:.1f}")
    redis_commands = Counter(cpu["redis_commands"])
    top = ", ".join(f"{k} {v / items:.1f}" for k, v in redis_commands.most_common(6))
    print(
        f"redis commands run per item, inside scripts too: "
        f"{sum(redis_commands.values()) / items:.1f} ({top})"
    )
    for name in ("crawl", "redis", "mongodb"):
        print(f"  {name} process: {cpu['cpu'].get(name, 0.0) * 1000 / items:.1f} ms per item")
    steady = cpu.get("steady") or {}
    if steady:
        parts = ", ".join(f"{k} {v * 1000:.1f}" for k, v in steady["cpu"].items())
        print(
            f"steady state (middle 60 %, {steady['items']} items), CPU ms per item: "
            f"{sum(steady['cpu'].values()) * 1000:.1f} ({parts}); of the crawl process, "
            f"garbage collection {steady['gc_ms']:.2f} ms (runs by generation {steady['gc_runs']})"
        )
    print(
        f"bare crawl (fetch only, no pipelines or middlewares): crawl process "
        f"{cpu['bare_cpu'] * 1000:.1f} ms CPU per page"
    )
    if cpu["bare_cpu"] > 0:
        # This VM's speed drifts by 15-25 % within minutes, and the bare crawl moves
        # with it: the ratio of the two crawls of one run compares across runs.
        whole = sum(cpu["cpu"].values()) / items
        print(f"cpu per item / bare crawl's cpu per page: {whole / cpu['bare_cpu']:.2f}")
    print(f"cpu per item: {sum(cpu['cpu'].values()) * 1000 / items:.1f} ms")
    p50, p99, seen = latency["freshness"]
    print(
        f"freshness fetch -> stored with its judgments (latency-bound crawl): "
        f"p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms ({seen} items)"
    )
    for label, run in (("CPU-bound", cpu), ("latency-bound", latency)):
        print(
            f"{label}, whole crawl with start-up and close: bare {run['bare_whole']:.1f}, "
            f"full {run['full_whole']:.1f} pages/s ({run['full_whole'] / run['bare_whole']:.2f})"
        )
    print(f"CPU-bound, middle 60 %: bare {cpu['bare']:.1f} pages/s, full {cpu['full']:.1f} pages/s")
    print(f"CPU-bound ratio: {cpu['full'] / cpu['bare']:.2f}")
    print(
        f"latency-bound ({args.delay * 1000:.0f} ms per article, {args.concurrency} in flight), "
        "middle 60 %: "
        f"bare {latency['bare']:.1f} pages/s, full {latency['full']:.1f} pages/s"
    )
    held = latency.get("steady") or {}
    if held:
        print(
            f"latency-bound full crawl, middle 60 %: crawl process "
            f"{held['cpu']['crawl'] * 1000:.1f} ms CPU per item, busy {held['busy']:.0%} of "
            f"one core; machine load average {held['load']:.1f} on {os.cpu_count()} cores"
        )
    print(f"ratio: {latency['full'] / latency['bare']:.2f}")


# --- storage cost as the collection grows -----------------------------------------------


def storage(sizes: list[int], batch: int = 100, probe: int = 300) -> None:
    """Per stored document: CPU of the MongoDB server and wall ms of the writer, for
    `probe` new documents written (with their metrics points, events snapshots and the
    membership corrections of late first publishers) into collections already holding
    each size (filled by the same writer)."""
    from yuqing_spiders.analysis.event_store import write_events
    from yuqing_spiders.ops.services import EmbeddedMongo
    from yuqing_spiders.store.connections import mongo_client
    from yuqing_spiders.store.documents import FIRST_MOVED
    from yuqing_spiders.store.spool import Spool
    from yuqing_spiders.store.writer import Writer

    def doc(i: int) -> dict[str, Any]:
        event = f"ev:{i // 3:016x}"  # three members per event
        return {
            "_id": f"bench:{i}",
            "url": f"http://{HOST}/n2/{i}.html",
            "source": "people",
            "platform": "news",
            "title": f"南昌第{i}条",
            "content": "南昌" * 500,
            "crawled_at": datetime(2026, 12, 5, tzinfo=UTC),
            "published_at": datetime(2026, 12, 5, tzinfo=UTC),
            "event_id": event,
            "is_first_publisher": i % 3 == 0,
            "repost_of": None if i % 3 == 0 else f"bench:{i - i % 3}",
            "metrics": {"comments": None},
            "schema_version": 1,
            # one item in thirty turns out to be its event's first publisher late: the
            # writer corrects the other members in the same flush
            "extra": {FIRST_MOVED: True} if i % 30 == 0 else {},
        }

    def event(i: int, version: int) -> dict[str, Any]:
        return {
            "_id": f"ev:{i // 3:016x}",
            "version": version,
            "first": {"id": f"bench:{i}"},
            "updated_at": datetime(2026, 12, 5, tzinfo=UTC),
        }

    with (
        tempfile.TemporaryDirectory(prefix="yuqing-storage-") as tmp,
        EmbeddedMongo(Path(tmp) / "mongo") as server,
    ):
        if True:
            client = mongo_client(server.url, appname="yuqing-bench")
            writer = Writer(client, "storage", Spool(Path(tmp) / "spool"), retry_interval=5)
            writer.open()
            proc = next(p for p in server_processes() if "secantus" in " ".join(p.cmdline()))
            filled = 0
            for size in sizes:
                while filled < size:
                    chunk = list(range(filled, min(size, filled + 1000)))
                    writer.write([doc(i) for i in chunk])
                    write_events(writer.db, [event(i, 1) for i in chunk if i % 3 == 0])
                    filled = chunk[-1] + 1
                COMMANDS.counts.clear()
                COMMANDS.enabled = True
                cpu, wall = cpu_seconds(proc), time.perf_counter()
                for start in range(filled, filled + probe, batch):
                    chunk = list(range(start, start + batch))
                    writer.write([doc(i) for i in chunk])
                    write_events(writer.db, [event(i, 2) for i in chunk if i % 3 == 0])
                cpu, wall = cpu_seconds(proc) - cpu, time.perf_counter() - wall
                COMMANDS.enabled = False
                filled += probe
                commands = sum(COMMANDS.counts.values())
                print(
                    f"storage at {size:>6} documents: {wall * 1000 / probe:.2f} ms wall, "
                    f"{cpu * 1000 / probe:.2f} ms mongodb CPU, "
                    f"{commands / probe:.2f} commands per stored item"
                )
            writer.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--delay", type=float, default=0.2, help="seconds per article (latency)")
    # 6 of the generator's paragraphs: ~1,100 characters, the issue's ~1,000-character
    # article (the generator's own default, 3, makes ~540).
    parser.add_argument("--paragraphs", type=int, default=6)
    parser.add_argument("--storage", help="sizes, e.g. 300,3000,30000: storage cost only")
    parser.add_argument("--phase", help=argparse.SUPPRESS)  # internal: one phase's crawls
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--replay", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(phase(args.phase, args.work, args.replay, args)))
        return
    if args.storage:
        storage([int(s) for s in args.storage.split(",")])
        return
    from yuqing_spiders.ops.services import EmbeddedServices

    # Article length: the generator's paragraphs per article.
    sitegen.PARAGRAPHS_PER_ARTICLE = args.paragraphs
    with tempfile.TemporaryDirectory(prefix="yuqing-bench-") as tmp:
        work = Path(tmp)
        lists = ("cpu-bare", "cpu-full", "latency-bare", "latency-full")
        sitegen.build_site(work / "web", args.articles, lists=lists)
        with EmbeddedServices(work / "services"):
            fast, fast_url = start_replay(work / "web", 0.0)
            slow, slow_url = start_replay(work / "web", args.delay)
            try:
                cpu = run_phase("cpu", work, fast_url, args)
                latency = run_phase("latency", work, slow_url, args)
            finally:
                for proc in (fast, slow):
                    proc.terminate()
                    proc.wait()
    report(cpu, latency, args)


if __name__ == "__main__":
    main()
