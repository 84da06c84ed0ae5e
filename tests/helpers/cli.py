"""Helpers for tests that run the `yuqing` command as users do, in subprocesses."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.helpers.paths import FIXTURES_WEB, REPO

YUQING = [sys.executable, "-m", "yuqing_spiders.cli"]
PEOPLE_ARTICLE = re.compile(r"/n[12]/\d{4}/\d{4}/c\d+-(\d+)\.html$")


def people_article_ids(root: Path = FIXTURES_WEB) -> set[str]:
    """Native ids of every people.com.cn article fixture (the crawl must store each)."""
    ids = set()
    for path in root.glob("*.people.com.cn/n*/**/*.html"):
        match = PEOPLE_ARTICLE.search(path.as_posix())
        if match:
            ids.add(match.group(1))
    return ids


def yuqing_env(**values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("YUQING_", "SCRAPY_"))}
    env.update(values)
    env["PYTHONPATH"] = str(REPO)
    return env


def run_yuqing(
    *args: str, env: dict[str, str], timeout: float = 180, cwd: Path = REPO
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*YUQING, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout
    )


def start_yuqing(*args: str, env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("w") as out:
        return subprocess.Popen(
            [*YUQING, *args], env=env, cwd=REPO, stdout=out, stderr=subprocess.STDOUT, text=True
        )


def scraped_count(log_text: str) -> int:
    """item_scraped_count from the stats Scrapy dumps when a crawl closes."""
    match = re.search(r"'item_scraped_count': (\d+)", log_text)
    return int(match.group(1)) if match else 0
