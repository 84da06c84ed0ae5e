"""Analysis off the crawl's reactor: inline vs a process pool vs an analysis role on a
Redis stream, measured on this machine (issue 13).

The work is what an item costs the CPU-bound stages: the judgements of
`text_analysis.analyse_text` (属地, departments, risk, sentiment, big-V) plus the event
fingerprints (MinHash + SimHash, story facts). The Redis-bound event index stays in
the crawl process in every mode. For N generated articles (the people.com.cn bench
texts) it prints, per item: CPU of the crawl process, CPU of the helpers (pool
workers, or the analysis role and Redis), their sum, throughput, and the latency from
hand-off to result at p50 / p99.

    python bench/offload.py [--items 300] [--workers 2] [--paragraphs 3]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import psutil  # noqa: E402

STREAM_IN, STREAM_OUT, GROUP = "bench:analysis:in", "bench:analysis:out", "analysis"
IN_FLIGHT = 16  # items handed over at once, as the crawl's concurrent requests


def texts(count: int, paragraphs: int) -> list[tuple[str, str]]:
    from yuqing_spiders.replay import sitegen

    pool = sitegen._texts()
    out = []
    for i in range(count):
        body = "".join(pool[(i * paragraphs + k) % len(pool)] for k in range(paragraphs))
        out.append((f"南昌市民反映第{i}件事", body))
    return out


def analyse(pair: tuple[str, str]) -> dict[str, Any]:
    """The CPU-bound analysis of one item, as a JSON-able result."""
    from yuqing_spiders.analysis.neardup import signature
    from yuqing_spiders.analysis.storyfacts import story_key
    from yuqing_spiders.analysis.text_analysis import analyse_text

    title, body = pair
    result = analyse_text(title, body)
    sig = signature(body, num_perm=144, shingle=3, min_chars=40)
    key = story_key(title, body)
    result["simhash"] = sig.simhash_hex if sig else None
    result["facts"] = list(key.facts)
    return result


def warm() -> None:
    analyse(("南昌", "南昌市红谷滩区一小区停水。" * 5))


def cpu(proc: psutil.Process) -> float:
    t = proc.cpu_times()
    return t.user + t.system


def children_cpu() -> float:
    total = 0.0
    for child in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            total += cpu(child)
    return total


def inline(items: list[tuple[str, str]]) -> dict[str, Any]:
    warm()
    start, wall = time.process_time(), time.perf_counter()
    lags = []
    for pair in items:
        began = time.perf_counter()
        analyse(pair)
        lags.append(time.perf_counter() - began)
    return {
        "crawl": time.process_time() - start,
        "helpers": 0.0,
        "wall": time.perf_counter() - wall,
        "lags": lags,
    }


def pool(items: list[tuple[str, str]], workers: int) -> dict[str, Any]:
    with ProcessPoolExecutor(max_workers=workers, initializer=warm) as executor:
        list(executor.map(abs, range(workers * 4)))  # workers started and warm
        time.sleep(0.5)
        before_children = children_cpu()
        start, wall = time.process_time(), time.perf_counter()
        lags = []
        for i in range(0, len(items), IN_FLIGHT):
            batch = items[i : i + IN_FLIGHT]
            began = time.perf_counter()
            futures = [executor.submit(analyse, pair) for pair in batch]
            for future in futures:
                future.result()
                lags.append(time.perf_counter() - began)
        crawl_cpu, elapsed = time.process_time() - start, time.perf_counter() - wall
        helpers = children_cpu() - before_children
    return {"crawl": crawl_cpu, "helpers": helpers, "wall": elapsed, "lags": lags}


def role(url: str) -> None:
    """The analysis role: read items from the stream, answer results, acknowledge."""
    from yuqing_spiders.store.connections import redis_from_url

    client = redis_from_url(url)
    warm()
    print("ready", flush=True)
    while True:
        found: Any = client.xreadgroup(GROUP, "role", {STREAM_IN: ">"}, count=IN_FLIGHT, block=1000)
        for _stream, entries in found or ():
            pipe = client.pipeline(transaction=False)
            for entry_id, fields in entries:
                if fields.get(b"stop"):
                    return
                pair = json.loads(fields[b"item"])
                result = analyse((pair[0], pair[1]))
                pipe.xadd(STREAM_OUT, {"id": entry_id, "result": json.dumps(result)})
                pipe.xack(STREAM_IN, GROUP, entry_id)
            pipe.execute()


def stream(items: list[tuple[str, str]], url: str) -> dict[str, Any]:
    from yuqing_spiders.store.connections import redis_from_url

    client = redis_from_url(url)
    client.delete(STREAM_IN, STREAM_OUT)
    client.xgroup_create(STREAM_IN, GROUP, id="0", mkstream=True)
    proc = subprocess.Popen(
        [sys.executable, __file__, "--role", url],
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert proc.stdout is not None
    proc.stdout.readline()  # warm
    helper = psutil.Process(proc.pid)
    redis_proc = next(
        p for p in psutil.Process().children(recursive=True) if "redis" in " ".join(p.cmdline())
    )
    role_before, redis_before = cpu(helper), cpu(redis_proc)
    start, wall = time.process_time(), time.perf_counter()
    last, lags = "0", []
    for i in range(0, len(items), IN_FLIGHT):
        batch = items[i : i + IN_FLIGHT]
        began = time.perf_counter()
        pipe = client.pipeline(transaction=False)
        for pair in batch:
            pipe.xadd(STREAM_IN, {"item": json.dumps(pair, ensure_ascii=False)})
        pipe.execute()
        got = 0
        while got < len(batch):
            answered: Any = client.xread({STREAM_OUT: last}, block=5000)
            for _stream, entries in answered or ():
                for entry_id, fields in entries:
                    json.loads(fields[b"result"])
                    last = entry_id
                    got += 1
                    lags.append(time.perf_counter() - began)
    crawl_cpu, elapsed = time.process_time() - start, time.perf_counter() - wall
    helpers = (cpu(helper) - role_before) + (cpu(redis_proc) - redis_before)
    client.xadd(STREAM_IN, {"stop": 1})
    proc.wait(timeout=30)
    return {"crawl": crawl_cpu, "helpers": helpers, "wall": elapsed, "lags": lags}


def line(name: str, run: dict[str, Any], count: int) -> str:
    lags = sorted(run["lags"])
    p99 = lags[min(len(lags) - 1, int(len(lags) * 0.99))]
    return (
        f"{name:<22} crawl {run['crawl'] * 1000 / count:6.2f} ms, helpers "
        f"{run['helpers'] * 1000 / count:6.2f} ms, total "
        f"{(run['crawl'] + run['helpers']) * 1000 / count:6.2f} ms CPU per item; "
        f"{count / run['wall']:6.1f} items/s; hand-off to result p50 "
        f"{statistics.median(lags) * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--paragraphs", type=int, default=3)
    parser.add_argument("--role", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.role:
        role(args.role)
        return
    from yuqing_spiders.ops.services import EmbeddedRedis

    items = texts(args.items, args.paragraphs)
    chars = statistics.mean(len(b) for _, b in items)
    print(f"{args.items} items of {chars:.0f} characters, {IN_FLIGHT} handed over at once")
    print(line("inline (reactor)", inline(items), args.items))
    print(line(f"process pool ({args.workers})", pool(items, args.workers), args.items))
    with tempfile.TemporaryDirectory() as tmp, EmbeddedRedis(Path(tmp)) as server:
        print(line("analysis role (stream)", stream(items, server.url), args.items))


if __name__ == "__main__":
    main()
