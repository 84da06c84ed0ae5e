"""Start-up time of the quick `yuqing` commands against `scrapy version`.

    python bench/startup.py [RUNS]

Runs each command and `scrapy version` in turn (A B A B ..., so a machine that
speeds up or slows down during the run affects both alike), RUNS times each after one
warm-up, and prints the median wall seconds of each and the median of the pairwise
ratios (`ratio: R`, command / scrapy version). `scrapy version` is the yardstick: a
Python process that imports Scrapy and prints one line, which every `yuqing` command
also does. Targets: `--help` within 1.5x; `tag TEXT` and `extract` under 1.5 s on an
idle machine (they load the analysis rules or a parser, and only those).

On a loaded machine wall time mostly measures the other processes, so the CPU seconds
(user + sys of the child) are printed too: on an idle machine wall is about CPU plus a
few hundredths. The quick commands read built data from the user's cache
(~/.cache/yuqing or $YUQING_CACHE_DIR: the gazetteer, jieba's dictionary); the line
`first run` times `tag` once with an empty cache, what the first command after an
install or a data change pays.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PAGE = "tests/fixtures/web/jx.people.com.cn/n2/2026/1125/c186330-41401779.html"
URL = "http://jx.people.com.cn/n2/2026/1125/c186330-41401779.html"
YARDSTICK = [PYTHON, "-m", "scrapy.cmdline", "version"]
COMMANDS = {
    "yuqing --help": ["--help"],
    "yuqing tag TEXT": ["tag", "南昌市青山湖区京东大道下穿通道暴雨后积水，多部门连夜排险"],
    "yuqing extract": ["extract", URL, "--html", PAGE],
}


def timed(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run of `argv`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    done = subprocess.run(argv, cwd=REPO, capture_output=True, check=False, env=env)
    seconds = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        tail = done.stderr.decode(errors="replace")[-500:]
        raise SystemExit(f"{' '.join(argv)} exited {done.returncode}:\n{tail}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, cpu


def first_run(args: list[str]) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as empty:
        env = {**os.environ, "YUQING_CACHE_DIR": empty}
        return timed([PYTHON, "-m", "yuqing_spiders.cli", *args], env)


def main(runs: int) -> None:
    print(f"{runs} runs each, medians; ratio = command / `scrapy version` (wall)")
    for label, args in COMMANDS.items():
        argv = [PYTHON, "-m", "yuqing_spiders.cli", *args]
        timed(argv), timed(YARDSTICK)  # warm-up: file cache, compiled bytecode, caches
        pairs = [(timed(argv), timed(YARDSTICK)) for _ in range(runs)]
        mine = statistics.median(a[0] for a, _ in pairs)
        mine_cpu = statistics.median(a[1] for a, _ in pairs)
        base = statistics.median(b[0] for _, b in pairs)
        base_cpu = statistics.median(b[1] for _, b in pairs)
        ratio = statistics.median(a[0] / b[0] for a, b in pairs)
        print(
            f"{label}: {mine:.2f} s (CPU {mine_cpu:.2f} s), scrapy version {base:.2f} s "
            f"(CPU {base_cpu:.2f} s), ratio: {ratio:.2f}"
        )
    cold, cold_cpu = first_run(COMMANDS["yuqing tag TEXT"])
    print(f"yuqing tag TEXT, first run (empty cache): {cold:.2f} s (CPU {cold_cpu:.2f} s)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
