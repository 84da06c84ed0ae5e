"""The download handler's chromium lives only while pages are asked for (issue 13's
memory point): started by the first request that needs rendering, closed after
BROWSER_IDLE_CLOSE seconds without one, started again by the next.

A crawl in its own process (tests/scripts/browser_idle.py) against the replay site:
a page rendered, a plain request answered 3 s late (a replay fault, longer than the
1 s idle close), then a page rendered again.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.helpers.cli import yuqing_env
from tests.helpers.paths import REPO
from yuqing_spiders.replay.server import ReplayServer

pytestmark = pytest.mark.slow

PAGE = "<!DOCTYPE html><html><head><meta charset='utf-8'><title>列表</title></head></html>"


def test_browser_closes_when_idle_and_starts_again(tmp_path):
    root = tmp_path / "web" / "news.js-example.cn"
    (root / "list").mkdir(parents=True)
    (root / "list" / "index.html").write_text(PAGE, encoding="utf-8")
    (root / "slow.html").write_text(PAGE, encoding="utf-8")
    out = tmp_path / "out.json"
    with ReplayServer(tmp_path / "web") as site:
        site.add_fault(r"^/slow\.html$", delay=3)
        proc = subprocess.run(
            [sys.executable, "tests/scripts/browser_idle.py", site.url, str(out)],
            cwd=REPO,
            env=yuqing_env(),
            capture_output=True,
            text=True,
            timeout=180,
        )
    assert proc.returncode == 0, proc.stderr[-3000:]
    data = json.loads(out.read_text(encoding="utf-8"))
    assert [s["launched"] for s in data["seen"]] == [True, False, True]
    stats = data["stats"]
    assert stats["browser/launched"] == 2
    assert stats["browser/idle_closed"] == 1
    assert stats["browser/pages"] == 2
