"""Tracked platform items refreshed through the platform's own detail call.

The scheduler turns a due `yuqing:track` member into a `refresh` seed carrying the
item's page URL (analysis/tracking.py). The public fact modelled: a platform's page
URL answers HTML for a browser, the counters come from its detail API (Bilibili
`view/detail`, Douyin `aweme/detail` signed with a_bogus, Zhihu's answer object
signed with x-zse-96, Kuaishou's GraphQL `visionVideoDetail`, unsigned) — the fixtures
under tests/fixtures/web are those answers.
Two refresh crawls of one item through `yuqing worker` must add two metrics points
to `opinion_metrics`, and neither may fetch the page URL itself.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import redis
import yaml

from tests.helpers.cli import run_yuqing, yuqing_env
from tests.helpers.paths import FIXTURES_WEB
from yuqing_spiders.queue.seeds import Seed, push_seeds
from yuqing_spiders.replay.server import ReplayServer

pytestmark = pytest.mark.slow

CASES = [
    # spider, opinion id, stored page URL, the detail path the refresh must ask for
    (
        "bilibili",
        "bilibili:BV1Nc4y1A7aQ",
        "https://www.bilibili.com/video/BV1Nc4y1A7aQ",
        "/x/web-interface/view/detail",
    ),
    (
        "douyin",
        "douyin:7443100000000000001",
        "https://www.douyin.com/video/7443100000000000001",
        "/aweme/v1/web/aweme/detail/",
    ),
    (
        "zhihu",
        "zhihu:answer:3301000001",
        "https://www.zhihu.com/question/682150001/answer/3301000001",
        "/api/v4/answers/3301000001",
    ),
    (
        "kuaishou",
        "kuaishou:3xstandinphoto001",
        "https://www.kuaishou.com/short-video/3xstandinphoto001",
        "/graphql",  # every GraphQL operation's path: the body names visionVideoDetail
    ),
]


@pytest.mark.parametrize(("spider", "opinion", "page_url", "detail_path"), CASES)
def test_two_refreshes_add_two_metrics_points(
    spider: str,
    opinion: str,
    page_url: str,
    detail_path: str,
    tmp_path: Path,
    redis_url: str,
    mongo_uri: str,
    mongo_db,
    mongo_db_name: str,
) -> None:
    db_url = redis_url.rsplit("/", 1)[0] + "/10"  # a Redis database of its own
    client = redis.Redis.from_url(db_url)
    client.flushdb()
    env = yuqing_env(
        REDIS_URL=db_url,
        MONGO_URI=mongo_uri,
        MONGO_DATABASE=mongo_db_name,
        YUQING_DATA_DIR=str(tmp_path / "data"),
    )
    seed = Seed(url=page_url, source=spider, kind="refresh", meta={"opinion_id": opinion})
    with ReplayServer(FIXTURES_WEB) as site:
        for _ in range(2):
            push_seeds(client, spider, [seed])
            site.clear_requests()
            worker = run_yuqing(
                *("worker", "--spider", spider, "--replay-url", site.url),
                *("--idle-exit", "3", "--no-progress"),
                env=env,
            )
            assert worker.returncode == 0, worker.stderr[-3000:]
            assert site.misses == [], [m.path for m in site.misses]
            paths = [r.path for r in site.requests]
            assert any(p.startswith(detail_path) for p in paths), paths
            if spider == "kuaishou":
                assert any("visionVideoDetail" in r.body for r in site.requests), paths
            if spider == "bilibili":  # its comment pages, signed with nav's WBI keys
                assert any(p.startswith("/x/v2/reply/wbi/main?") for p in paths), paths
            # The page URL itself is never fetched, nor a search.
            pages = ("/video/", "/question/", "/short-video/")
            assert not any(p.startswith(pages) for p in paths), paths
            assert not any("search" in p for p in paths), paths
    points = list(mongo_db.opinion_metrics.find({"opinion_id": opinion}))
    assert len(points) == 2, points
    assert all(p["likes"] for p in points)
    stored = mongo_db.opinions.find_one({"_id": opinion})
    assert stored is not None
    assert stored["metrics"]["likes"]


def test_a_tracked_note_refreshes_with_the_token_its_card_gave(
    tmp_path: Path, redis_url: str, mongo_uri: str, mongo_db, mongo_db_name: str
) -> None:
    """Xiaohongshu: a note page opens with the `xsec_token` of the search card that
    listed it (README, note page fixtures); the stored URL has none, so the crawl
    keeps the token in Redis and the refresh asks for the page with it."""
    db_url = redis_url.rsplit("/", 1)[0] + "/10"
    client = redis.Redis.from_url(db_url)
    client.flushdb()
    env = yuqing_env(
        REDIS_URL=db_url,
        MONGO_URI=mongo_uri,
        MONGO_DATABASE=mongo_db_name,
        YUQING_DATA_DIR=str(tmp_path / "data"),
    )
    note = "6745a1b2c3d4e5f601234567"
    opinion = f"xiaohongshu:{note}"
    assert run_yuqing("seed", "--spider", "xiaohongshu", env=env).returncode == 0
    refresh = Seed(
        url=f"https://www.xiaohongshu.com/explore/{note}",
        source="xiaohongshu",
        kind="refresh",
        meta={"opinion_id": opinion},
    )
    with ReplayServer(FIXTURES_WEB) as site:
        for step in ("crawl", "refresh"):
            if step == "refresh":
                push_seeds(client, "xiaohongshu", [refresh])
            site.clear_requests()
            worker = run_yuqing(
                *("worker", "--spider", "xiaohongshu", "--replay-url", site.url),
                *("--idle-exit", "3", "--no-progress"),
                env=env,
            )
            assert worker.returncode == 0, worker.stderr[-3000:]
            assert site.misses == [], [m.path for m in site.misses]
        paths = [r.path for r in site.requests]
    # The refresh run: the note page with its token, and no search.
    assert any(p.startswith(f"/explore/{note}?xsec_token=") for p in paths), paths
    assert not any("/search/" in p for p in paths), paths
    points = list(mongo_db.opinion_metrics.find({"opinion_id": opinion}))
    assert len(points) == 2, points


def test_a_replayed_ban_page_shows_in_status(
    tmp_path: Path, redis_url: str, mongo_uri: str, mongo_db_name: str
) -> None:
    """Bilibili's search for 南昌地铁 answers the -352 risk-control envelope (the
    fixture README's ban page); the ban middleware counts it, retries and gives up,
    and `yuqing status` lists those counts under the source."""
    db_url = redis_url.rsplit("/", 1)[0] + "/10"
    redis.Redis.from_url(db_url).flushdb()
    sources = yaml.safe_load(Path("settings/sources.yaml").read_text(encoding="utf-8"))
    sources["sources"]["bilibili"]["keywords"] = ["南昌地铁"]
    sources_file = tmp_path / "sources.yaml"
    sources_file.write_text(yaml.safe_dump(sources, allow_unicode=True), encoding="utf-8")
    env = yuqing_env(
        REDIS_URL=db_url,
        MONGO_URI=mongo_uri,
        MONGO_DATABASE=mongo_db_name,
        YUQING_DATA_DIR=str(tmp_path / "data"),
    )
    settings = ("--set", f"YUQING_SOURCES_FILE={sources_file}")
    # `yuqing seed` reads the project's sources file: the start page is queued directly.
    nav = sources["sources"]["bilibili"]["start_urls"][0]
    push_seeds(redis.Redis.from_url(db_url), "bilibili", [Seed(url=nav, source="bilibili")])
    with ReplayServer(FIXTURES_WEB) as site:
        worker = run_yuqing(
            *("worker", "--spider", "bilibili", "--replay-url", site.url),
            *("--idle-exit", "3", "--no-progress", *settings),
            *("--set", "BAN_DETECTION_RETRY_DELAY=0.1"),
            env=env,
        )
    # Everything it asked for was a wall: the run says it failed (nothing stored).
    assert worker.returncode == 1, worker.stderr[-3000:]
    report = run_yuqing("status", "--json", *settings, env=env, timeout=60)
    bans = json.loads(report.stdout)["bans"]
    # The first answer and BAN_DETECTION_MAX_RETRIES (3) retries were walls; then given up.
    assert bans["bilibili"]["captcha"] == 4, bans
    assert (bans["bilibili"]["retried"], bans["bilibili"]["gave_up"]) == (3, 1), bans
    table = run_yuqing("status", *settings, env={**env, "COLUMNS": "80"}, timeout=60)
    lines = table.stdout.splitlines()
    title = next(i for i, line in enumerate(lines) if line.startswith("bans, last 24 hours"))
    row = next(line for line in lines[title:] if line.split()[:1] == ["bilibili"])
    assert row.split() == ["bilibili", "0", "4", "0", "3", "1"], table.stdout
    assert max(len(line) for line in lines) <= 80
