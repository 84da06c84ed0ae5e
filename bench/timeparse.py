"""Cost of reading the common timestamp shapes: the fast path against dateparser.

The shapes most pages and APIs print ("2026-11-25 09:41", "2026年11月25日 09:41:07",
ISO 8601 with an offset) are read directly by yuqing_spiders/model/timeparse.py; the
same strings through dateparser are what they cost before (issue 13). Prints µs per
call for both (process time) and `ratio: R` (dateparser / fast path).

    python bench/timeparse.py [--repeat 2000]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from yuqing_spiders.model import timeparse  # noqa: E402

SHAPES = [
    "2026-11-25 09:41",
    "2026-11-25 09:41:07",
    "2026年11月25日 09:41",
    "2026/11/25 9:05",
    "2026-11-25T09:41:00+08:00",
    "2026-11-25",
]


def per_call(repeat: int) -> float:
    start = time.process_time()
    for _ in range(repeat):
        for text in SHAPES:
            timeparse.parse_datetime(text)
    return (time.process_time() - start) / (repeat * len(SHAPES)) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=2000)
    args = parser.parse_args()
    timeparse.parse_datetime(SHAPES[0])  # dateparser's first call loads its data
    fast = per_call(args.repeat)
    timeparse._FAST_RE = re.compile(r"(?!)")  # every shape through dateparser
    slow = per_call(max(1, args.repeat // 20))
    print(f"fast path: {fast:.1f} µs per call")
    print(f"dateparser: {slow:.1f} µs per call")
    print(f"ratio: {slow / fast:.1f}")


if __name__ == "__main__":
    main()
