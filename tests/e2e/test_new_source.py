"""A new JSON-API platform is one folder, one YAML entry and one media-tier line.

The project is copied to a temporary directory and given exactly what
docs/adding-a-source.md asks for a new platform (tests/helpers/new_source.py: a
made-up short-video search API); nothing else is edited. Then, as ops would run it:
`yuqing sources` lists it, `yuqing extract` reads its answer with its parser, and
`yuqing seed` + `yuqing worker` crawl both result pages from a replay site into
MongoDB, through every pipeline stage, with the tier from the new media line and
the page size from the folder's own settings.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import redis

from tests.helpers import new_source
from tests.helpers.cli import run_yuqing, yuqing_env
from yuqing_spiders.replay.server import ReplayServer

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return new_source.project_copy(tmp_path_factory.mktemp("project"))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("web")
    new_source.write_fixtures(root)
    with ReplayServer(root) as server:
        yield server


def env_for(project: Path, **values: str) -> dict[str, str]:
    env = yuqing_env(**values)
    env["PYTHONPATH"] = str(project)  # the copy, not this checkout
    return env


def test_sources_lists_the_new_platform(project: Path, tmp_path: Path) -> None:
    result = run_yuqing("sources", env=env_for(project), cwd=project)
    assert result.returncode == 0, result.stderr
    row = next(line for line in result.stdout.splitlines() if new_source.NAME in line)
    assert "示例短视频" in row
    assert "demovideo" in row


def test_extract_reads_a_saved_answer_with_the_new_parser(project: Path, tmp_path: Path) -> None:
    saved = tmp_path / "item.json"
    saved.write_text(json.dumps(new_source.DETAIL, ensure_ascii=False), encoding="utf-8")
    url = f"https://{new_source.HOST}/api/item?id=7001"
    result = run_yuqing("extract", url, "--html", str(saved), env=env_for(project), cwd=project)
    assert result.returncode == 0, result.stderr
    item = json.loads(result.stdout)
    assert (item["source"], item["native_id"], item["platform"]) == (
        new_source.NAME,
        "7001",
        "demovideo",
    )
    assert item["metrics"] == {"comments": 12000, "reposts": 3, "likes": 1520, "reads": None}


def test_seed_and_worker_store_the_new_platform(
    project: Path,
    site: ReplayServer,
    tmp_path: Path,
    redis_url: str,
    mongo_uri: str,
    mongo_db,
    mongo_db_name: str,
) -> None:
    db_url = redis_url.rsplit("/", 1)[0] + "/9"  # a Redis database of its own
    redis.Redis.from_url(db_url).flushdb()
    env = env_for(
        project,
        REDIS_URL=db_url,
        MONGO_URI=mongo_uri,
        MONGO_DATABASE=mongo_db_name,
        YUQING_DATA_DIR=str(tmp_path / "data"),
    )
    seeded = run_yuqing("seed", "--spider", new_source.NAME, env=env, cwd=project)
    assert seeded.returncode == 0, seeded.stderr
    worker = run_yuqing(
        *("worker", "--spider", new_source.NAME, "--replay-url", site.url),
        *("--idle-exit", "3", "--no-progress"),
        env=env,
        cwd=project,
    )
    assert worker.returncode == 0, worker.stderr[-3000:]

    docs = {d["_id"]: d for d in mongo_db.opinions.find()}
    assert set(docs) == new_source.IDS
    for doc in docs.values():
        assert doc["platform"] == "demovideo"
        assert doc["complete"] is True
        assert doc["media"]["tier"] == "commercial"  # the new media-tier line
        assert doc["jurisdiction"]["city"] == "南昌市"  # the analysis stages ran on it
    assert docs[f"{new_source.NAME}:7002"]["metrics"]["likes"] == 34000
    # Page 2 was asked for with the folder's DEMOPLAT_PAGE_SIZE; nothing was missing.
    served = [(entry.host, entry.path, entry.status) for entry in site.requests]
    page_2 = new_source.page_url(2).split(new_source.HOST, 1)[1]
    assert (new_source.HOST, page_2, 200) in served, served
    assert all(status == 200 for _, _, status in served), served

    # The day's report names the platform as the folder's settings.py says.
    report = run_yuqing("report", "--date", "2025-11-25", "--format", "md", env=env, cwd=project)
    assert report.returncode == 0, report.stderr[-2000:]
    assert "| 示例短视频 | 3 |" in report.stdout
