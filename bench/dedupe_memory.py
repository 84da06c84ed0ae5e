"""Redis memory per URL: the Bloom dupefilter against scrapy-redis's set dupefilter.

Takes N (default 1 M) request fingerprints from Scrapy's own fingerprinter, writes them
into one fresh embedded Redis twice, in pipelines of 10 000: as the set dupefilter
stores them (SADD of the hex fingerprint, `FingerprintRedisDupeFilter`) and through the
Bloom dupefilter's own Lua check-and-set (one bucket, capacity N at the configured
error rate). Measures each with `MEMORY USAGE` and the `used_memory` delta, then checks
100 000 fingerprints never written to count the Bloom filter's false positives. Prints
bytes per URL for each and, last, `ratio: R` (set / Bloom).

    python bench/dedupe_memory.py [--urls 1000000] [--error-rate 0.0001]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import redis  # noqa: E402
from scrapy import Request  # noqa: E402
from scrapy.utils.request import RequestFingerprinter  # noqa: E402

from yuqing_spiders.ops.services import EmbeddedRedis  # noqa: E402
from yuqing_spiders.queue.bloom import CHECK_SCRIPT, BloomSpec, BucketPolicy  # noqa: E402
from yuqing_spiders.store.connections import RedisOptions, redis_from_url  # noqa: E402

BATCH = 10_000
URL = "http://jx.people.com.cn/n2/2026/1126/c186330-{}.html"


def fingerprints(start: int, count: int) -> list[bytes]:
    fingerprinter = RequestFingerprinter()
    return [fingerprinter.fingerprint(Request(URL.format(n))) for n in range(start, start + count)]


def used_memory(client: redis.Redis) -> int:
    return int(client.info("memory")["used_memory"])


def fill_set(client: redis.Redis, key: str, prints: list[bytes]) -> None:
    for i in range(0, len(prints), BATCH):
        pipe = client.pipeline(transaction=False)
        for fp in prints[i : i + BATCH]:
            pipe.sadd(key, fp.hex())
        pipe.execute()


def fill_bloom(client: redis.Redis, prefix: str, spec: BloomSpec, prints: list[bytes]) -> int:
    """Through the dupefilter's own script; returns how many it called new."""
    policy = BucketPolicy(10**9, 1)  # one bucket for the whole run
    script = client.register_script(CHECK_SCRIPT)
    new = 0
    for i in range(0, len(prints), BATCH):
        pipe = client.pipeline(transaction=False)
        for fp in prints[i : i + BATCH]:
            script(args=policy.args(prefix, spec.bits, spec.positions(fp)), client=pipe)
        new += sum(1 for result in pipe.execute() if int(result) == 1)
    return new


def false_positives(client: redis.Redis, key: str, spec: BloomSpec, prints: list[bytes]) -> int:
    pipe = client.pipeline(transaction=False)
    for fp in prints:
        for position in spec.positions(fp):
            pipe.getbit(key, position)
    bits = pipe.execute()
    k = spec.hashes
    return sum(all(bits[i : i + k]) for i in range(0, len(bits), k))


def measure(client: redis.Redis, key_pattern: str, fill) -> tuple[int, int]:
    """(MEMORY USAGE of the keys, used_memory delta) around `fill()`."""
    before = used_memory(client)
    fill()
    after = used_memory(client)
    usage = sum(int(client.memory_usage(k, samples=0) or 0) for k in client.scan_iter(key_pattern))
    return usage, after - before


def run(prints: list[bytes], unseen: list[bytes], spec: BloomSpec) -> dict[str, int]:
    """Both dupefilters in one fresh Redis; their sizes and the Bloom filter's errors."""
    with tempfile.TemporaryDirectory(prefix="yuqing-dedupe-") as tmp, EmbeddedRedis(tmp) as server:
        # Pipelines of BATCH commands (and one of every probe) answer slowly.
        client = redis_from_url(server.url, RedisOptions(socket_timeout=300))
        client.config_set("save", "")  # no snapshot forks during the measurement
        result: dict[str, int] = {}
        result["set"], result["set_delta"] = measure(
            client, "bench:set", lambda: fill_set(client, "bench:set", prints)
        )
        result["bloom"], result["bloom_delta"] = measure(
            client,
            "bench:bloom:*",
            lambda: result.setdefault("new", fill_bloom(client, "bench:bloom", spec, prints)),
        )
        bucket = next(client.scan_iter("bench:bloom:*"))
        result["false_positives"] = false_positives(client, bucket, spec, unseen)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=1_000_000)
    parser.add_argument("--error-rate", type=float, default=0.0001)
    args = parser.parse_args()
    started = time.monotonic()
    n = args.urls
    spec = BloomSpec.for_capacity(n, args.error_rate)
    unseen = fingerprints(10**9, 100_000)
    result = run(fingerprints(0, n), unseen, spec)
    print(f"fingerprints: {n} (Scrapy's fingerprinter), {time.monotonic() - started:.0f}s")
    print(
        f"Bloom: capacity {n}, error rate {args.error_rate:g}, {spec.hashes} hashes, "
        f"{spec.bytes} bytes; {n - result['new']} false duplicates while filling, "
        f"{result['false_positives']} of {len(unseen)} unseen reported seen"
    )
    for name, label in (("set", "set dupefilter:  "), ("bloom", "Bloom dupefilter:")):
        print(
            f"{label} {result[name] / n:.2f} bytes/URL "
            f"(used_memory delta {result[name + '_delta'] / n:.2f})"
        )
    print(f"ratio: {result['set'] / result['bloom']:.1f}")


if __name__ == "__main__":
    main()
