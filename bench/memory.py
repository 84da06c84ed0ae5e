"""Worker memory over a long run: RSS sampled as pages are stored, its slope, and
whether a browser was started.

A generated site (people.com.cn template, yuqing_spiders/replay/sitegen.py) of
--pages articles is served by the replay server; one `yuqing worker` (the
distributed overlay: leased Redis queue, Bloom dupefilter, every pipeline into
MongoDB) crawls it from one seeded list page. Every --every stored articles the
worker's resident memory is read (psutil, the worker process alone, and with its
children), and every sample looks for browser processes (chromium, the Playwright
driver) under the worker: the people source never renders a page, so there must be
none. Prints the samples, the least-squares slope of the worker's RSS over the
samples after the first (start-up: models, jieba's dictionary, first batches), in
MB per 10,000 pages, what that slope gives at 100,000 pages, and the slope over the
second half of the samples (once the bounded caches are full).

    python bench/memory.py [--pages 20000] [--every 2000] [--concurrency 16]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import psutil  # noqa: E402

from yuqing_spiders.ops.services import EmbeddedServices  # noqa: E402
from yuqing_spiders.queue.seeds import Seed, push_seeds  # noqa: E402
from yuqing_spiders.replay import sitegen  # noqa: E402
from yuqing_spiders.replay.server import ReplayServer  # noqa: E402
from yuqing_spiders.store.connections import mongo_client, redis_from_url  # noqa: E402

DATABASE = "yuqing_memory"
MB = 1024 * 1024
# Names of the processes a started browser brings (Playwright's node driver, chromium).
BROWSER_NAMES = ("chrom", "headless_shell", "playwright", "node")


@dataclass
class Sample:
    stored: int
    rss: float  # MB, the worker process
    tree: float  # MB, the worker and its children
    browsers: int  # browser processes under the worker


def worker_command(replay_url: str, concurrency: int) -> list[str]:
    settings = {
        "CONCURRENT_REQUESTS": concurrency,
        "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
        "AUTOTHROTTLE_ENABLED": False,
        "DOWNLOAD_DELAY": 0,
        "YUQING_RATE_ENABLED": False,
        "LOG_LEVEL": "WARNING",
    }
    sets = [arg for name, value in settings.items() for arg in ("--set", f"{name}={value}")]
    return [
        *(sys.executable, "-m", "yuqing_spiders.cli", "worker", "--spider", "people"),
        *("--replay-url", replay_url, "--idle-exit", "5", "--no-progress", *sets),
    ]


def browsers_under(proc: psutil.Process) -> int:
    found = 0
    for child in proc.children(recursive=True):
        try:
            name = " ".join([child.name(), *child.cmdline()[:1]]).lower()
        except psutil.Error:
            continue
        found += any(word in name for word in BROWSER_NAMES)
    return found


def sample(proc: psutil.Process, stored: int) -> Sample:
    rss = proc.memory_info().rss
    tree = rss
    for child in proc.children(recursive=True):
        try:
            tree += child.memory_info().rss
        except psutil.Error:
            continue
    return Sample(stored, rss / MB, tree / MB, browsers_under(proc))


def slope_per_10k(samples: list[Sample]) -> float:
    """Least-squares slope of the worker's RSS over stored pages, MB per 10,000."""
    points = [(s.stored, s.rss) for s in samples]
    if len(points) < 2:
        return 0.0
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    if spread == 0:
        return 0.0
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / spread * 10_000


def crawl(every: int, site: ReplayServer, args: argparse.Namespace, logs: Path) -> list[Sample]:
    client = redis_from_url(os.environ["REDIS_URL"])
    db = mongo_client(os.environ["MONGO_URI"], appname="yuqing-bench")[DATABASE]
    lists = sitegen.list_names("memory", args.pages)
    push_seeds(client, "people", [Seed(sitegen.list_url(name), "people") for name in lists])
    env = {**os.environ, "MONGO_DATABASE": DATABASE, "PYTHONPATH": str(REPO)}
    samples: list[Sample] = []
    with (logs / "worker.log").open("w") as out:
        worker = subprocess.Popen(
            worker_command(site.url, args.concurrency), env=env, cwd=REPO, stdout=out, stderr=out
        )
        proc = psutil.Process(worker.pid)
        next_mark = every
        while worker.poll() is None:
            time.sleep(0.5)
            stored = db.opinions.estimated_document_count()
            if stored >= next_mark:
                try:
                    samples.append(sample(proc, stored))
                except psutil.Error:
                    break
                print(
                    f"  {stored:>7} stored: worker {samples[-1].rss:6.1f} MB, "
                    f"with children {samples[-1].tree:6.1f} MB, browsers {samples[-1].browsers}",
                    file=sys.stderr,
                    flush=True,
                )
                next_mark = (stored // every + 1) * every
    if worker.returncode != 0:
        # The log goes with the temporary folder: its tail goes into the message.
        tail = (logs / "worker.log").read_text(errors="replace").splitlines()[-40:]
        raise SystemExit(
            f"the worker exited with {worker.returncode}; its log ends:\n" + "\n".join(tail)
        )
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20_000)
    parser.add_argument("--every", type=int, default=2_000, help="stored pages between samples")
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="yuqing-memory-") as tmp:
        work = Path(tmp)
        os.environ.pop("REDIS_URL", None)
        os.environ.pop("MONGO_URI", None)
        sitegen.build_site(work / "web", args.pages, lists=("memory",))
        with EmbeddedServices(work / "services"), ReplayServer(work / "web", port=0) as site:
            samples = crawl(args.every, site, args, work)
    if len(samples) < 3:
        raise SystemExit(f"only {len(samples)} samples: raise --pages or lower --every")
    steady = samples[1:]  # the first sample holds the start-up
    slope = slope_per_10k(steady)
    last = samples[-1]
    at_100k = last.rss + slope * (100_000 - last.stored) / 10_000
    print(f"{args.pages} pages, {len(samples)} samples every {args.every} stored pages")
    print(f"({time.monotonic() - started:.0f}s wall)")
    for s in samples:
        print(f"  {s.stored:>7}: worker RSS {s.rss:6.1f} MB, with children {s.tree:6.1f} MB")
    print(f"browser processes under the worker, most seen: {max(s.browsers for s in samples)}")
    print(
        f"worker RSS {samples[0].rss:.1f} MB at {samples[0].stored} pages, {last.rss:.1f} MB "
        f"at {last.stored}; slope after start-up {slope:+.2f} MB per 10,000 pages"
    )
    print(f"extrapolated to 100,000 pages: {at_100k:.1f} MB")
    # Bounded caches (words, roles, selectors) fill early and then stop: the slope of
    # the second half says whether memory still grows once they are full.
    late = samples[len(samples) // 2 :]
    print(
        f"slope over the second half ({late[0].stored}-{last.stored} pages): "
        f"{slope_per_10k(late):+.2f} MB per 10,000 pages"
    )


if __name__ == "__main__":
    main()
