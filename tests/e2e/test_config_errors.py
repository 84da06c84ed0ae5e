"""Fatal start-up errors: exit code 2 and one line naming the file, source and key.

Issue 12 item 10: a non-integer `max_list_pages` stopped every source with an error
naming neither; a YAML syntax error named no file; an unknown key on a code spider's
entry was accepted; an `all: [[]]` watch-list rule loaded and never matched; an
invalid rule left the command exiting 0 after "Unhandled error in Deferred". Each
case edits a copy of the shipped YAML the way an operator's typo would.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.cli import run_yuqing, yuqing_env
from tests.helpers.paths import REPO
from yuqing_spiders.model.outcome import EXIT_CONFIG

SOURCES = (REPO / "settings" / "sources.yaml").read_text(encoding="utf-8")
WATCHLIST = (REPO / "settings" / "watchlist.yaml").read_text(encoding="utf-8")
PEOPLE_PAGES = "    max_list_pages: 3\n"


def crawl(tmp_path: Path, spider: str, *settings: str) -> tuple[int, list[str]]:
    env = yuqing_env(YUQING_DATA_DIR=str(tmp_path / "data"))
    args = [a for s in settings for a in ("--set", s)]
    result = run_yuqing("run", "--replay", "--no-progress", "-s", spider, *args, env=env)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    return result.returncode, lines


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("broken", "expected"),
    [
        (
            SOURCES.replace(PEOPLE_PAGES, '    max_list_pages: "three"\n', 1),
            ("people", "max_list_pages"),
        ),
        (
            SOURCES.replace(PEOPLE_PAGES, PEOPLE_PAGES + "    max_list_page: 2\n", 1),
            ("people", "max_list_page"),
        ),
        (SOURCES.replace("sources:\n", "sources:\n  people: [\n", 1), ("not valid YAML",)),
    ],
    ids=["non_integer", "unknown_key", "yaml_syntax"],
)
def test_a_bad_sources_file_stops_with_one_line(tmp_path, broken, expected):
    assert broken != SOURCES
    path = write(tmp_path, "sources.yaml", broken)
    code, lines = crawl(tmp_path, "people", f"YUQING_SOURCES_FILE={path}")
    assert code == EXIT_CONFIG, lines[-20:]
    named = [line for line in lines if str(path) in line]
    assert named, lines[-5:]
    assert all(word in named[-1] for word in expected), named[-1]
    assert not any("Traceback" in line for line in lines)


def test_an_empty_all_group_is_refused_at_load(tmp_path):
    bad = WATCHLIST + "\n  - id: never\n    unit: 南昌市\n    all: [[]]\n"
    path = write(tmp_path, "watchlist.yaml", bad)
    code, lines = crawl(tmp_path, "search_people", f"YUQING_WATCHLIST_FILE={path}")
    assert code == EXIT_CONFIG, lines[-20:]
    assert any(str(path) in line and "rules.never.all" in line for line in lines), lines[-5:]
    assert not any("Unhandled error in Deferred" in line for line in lines)


def test_a_worker_without_its_redis_stops_with_one_line(tmp_path):
    # Before: "RuntimeError: Engine slot not assigned" after Scrapy's engine failed.
    env = yuqing_env(
        REDIS_URL="redis://worker:s3cret@127.0.0.1:1/0",  # nothing listens on port 1
        MONGO_URI="mongodb://127.0.0.1:1/",
        YUQING_DATA_DIR=str(tmp_path / "data"),
    )
    result = run_yuqing("worker", "-s", "people", "--idle-exit", "1", "--no-progress", env=env)
    assert result.returncode == EXIT_CONFIG, result.stderr[-2000:]
    last = result.stderr.strip().splitlines()[-1]
    assert "REDIS_URL" in last
    assert "127.0.0.1:1" in last
    assert "s3cret" not in result.stderr + result.stdout
