"""A crawl whose sources never render a page starts no browser (issue 13's memory
point: a Playwright driver and ~3 chromium processes cost a worker ~750 MB).

Models: people.com.cn article and list pages are plain HTML (the fixtures under
tests/fixtures/web), so the people spider never asks for `playwright`. The real
`yuqing run --replay` runs in a subprocess; its process tree is watched the whole
time for chromium or the Playwright driver, and its stats must not count a launch.
"""

from __future__ import annotations

import time

import psutil
import pytest

from tests.helpers.cli import start_yuqing, yuqing_env

pytestmark = pytest.mark.slow

BROWSER_NAMES = ("chrom", "headless_shell", "playwright", "node")


def _browsers(proc: psutil.Process) -> list[str]:
    found = []
    for child in proc.children(recursive=True):
        try:
            name = " ".join([child.name(), *child.cmdline()[:1]]).lower()
        except psutil.Error:
            continue  # ended between the listing and the look
        if any(word in name for word in BROWSER_NAMES):
            found.append(name)
    return found


def test_a_crawl_that_never_renders_starts_no_browser(
    tmp_path, mongo_uri, redis_url, mongo_db_name
):
    env = yuqing_env(
        MONGO_URI=mongo_uri,
        REDIS_URL=redis_url,
        MONGO_DATABASE=mongo_db_name,
        YUQING_DATA_DIR=str(tmp_path / "data"),
    )
    log = tmp_path / "run.log"
    proc = start_yuqing("run", "--replay", "--spider", "people", "--no-progress", env=env, log=log)
    watched = psutil.Process(proc.pid)
    seen: list[str] = []
    looks = 0
    deadline = time.monotonic() + 180
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            seen += _browsers(watched)
        except psutil.NoSuchProcess:
            break
        looks += 1
        time.sleep(0.1)
    proc.wait(10)
    text = log.read_text(encoding="utf-8", errors="replace")
    assert proc.returncode == 0, text[-3000:]
    assert looks > 5  # the crawl was watched while it ran
    assert seen == []
    assert "'downloader/response_count'" in text  # the stats were dumped ...
    assert "browser/launched" not in text  # ... without a browser launch
