"""A Douyin video about a Nanchang incident, a Weibo repost of it and a news report of
the same story become one event, with the video as its first publisher.

As ops run it: `yuqing seed` + `yuqing worker` per source into one MongoDB and one
Redis, the news site first, then Weibo, then Douyin, so the first publisher is found
last (the events stage and the writer must move it). The replay site is a copy of
tests/fixtures/web plus one Weibo search page for the story; the Weibo source
searches that story's term (a sources.yaml copy, `--set YUQING_SOURCES_FILE`).

Fixtures: 网易's car-park article (`www.163.com/dy/article/JH3C1V7F05346KF7.html`,
2026-11-25 12:16 Beijing), Douyin video 7443100000000000005 (2026-11-25 06:00 Beijing,
tests/scripts/make_platform_fixtures.py), and the Weibo post written below, which
reposts the video's words (Weibo's container-API search shape, README "新浪微博").
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import redis
import yaml

from spiders.weibo.search import Slice, mobile_url
from tests.helpers.cli import run_yuqing, yuqing_env
from tests.helpers.paths import FIXTURES_WEB, REPO
from yuqing_spiders.replay.record import fixture_path, sidecar_path
from yuqing_spiders.replay.server import ReplayServer

pytestmark = pytest.mark.slow

TERM = "九龙湖车库"
VIDEO = "douyin:7443100000000000005"
NEWS_URL = "https://www.163.com/dy/article/JH3C1V7F05346KF7.html"
POST_MID = "5103300000000000001"
POST_TEXT = (
    "转发抖音@南昌生活圈：连日降雨，红谷滩区九龙湖片区一小区地下车库出现积水，最深处没过车轮，"
    "十余辆车不同程度受损。业主表示，车库排水沟设计偏窄，雨水倒灌时排水泵未能及时启动。"
    "交房才两年，这已经是第二次进水了。"
)


def weibo_search_page() -> dict:
    mblog = {
        "created_at": "Wed Nov 25 09:05:00 +0800 2026",
        "id": POST_MID,
        "mid": POST_MID,
        "bid": "Pc0ChekuA",
        "text": POST_TEXT,
        "source": "iPhone客户端",
        "user": {
            "id": 7790099001,
            "screen_name": "红谷滩业主之家",
            "verified": False,
            "verified_type": -1,
            "followers_count": 4210,
        },
        "reposts_count": 56,
        "comments_count": 0,
        "attitudes_count": 230,
        "isLongText": False,
        "region_name": "发布于 江西",
    }
    return {
        "ok": 1,
        "data": {
            "cardlistInfo": {"total": 1, "page": None},
            "cards": [{"card_type": 9, "mblog": mblog}],
        },
    }


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("web")
    shutil.copytree(FIXTURES_WEB, root, dirs_exist_ok=True)
    body = fixture_path(root, mobile_url(Slice(TERM), 1, "61"))
    body.write_text(json.dumps(weibo_search_page(), ensure_ascii=False), encoding="utf-8")
    sidecar_path(body).write_text('{"headers": {"Content-Type": "application/json"}}')
    with ReplayServer(root) as server:
        yield server


def sources_file(tmp: Path) -> Path:
    data = yaml.safe_load((REPO / "settings" / "sources.yaml").read_text(encoding="utf-8"))
    data["sources"]["weibo"]["keywords"] = [TERM]
    path = tmp / "sources.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_video_repost_and_report_are_one_event_first_published_by_the_video(
    site: ReplayServer, tmp_path: Path, redis_url: str, mongo_uri: str, mongo_db, mongo_db_name: str
) -> None:
    db_url = redis_url.rsplit("/", 1)[0] + "/11"
    redis.Redis.from_url(db_url).flushdb()
    env = yuqing_env(
        REDIS_URL=db_url,
        MONGO_URI=mongo_uri,
        MONGO_DATABASE=mongo_db_name,
        YUQING_DATA_DIR=str(tmp_path / "data"),
    )
    override = f"YUQING_SOURCES_FILE={sources_file(tmp_path)}"
    for spider in ("netease", "weibo", "douyin"):
        seeded = run_yuqing("seed", "--spider", spider, env=env)
        assert seeded.returncode == 0, seeded.stderr
        worker = run_yuqing(
            *("worker", "--spider", spider, "--replay-url", site.url, "--set", override),
            *("--idle-exit", "3", "--no-progress"),
            env=env,
        )
        assert worker.returncode == 0, worker.stderr[-3000:]

    news = mongo_db.opinions.find_one({"url": NEWS_URL})
    post = mongo_db.opinions.find_one({"_id": f"weibo:{POST_MID}"})
    video = mongo_db.opinions.find_one({"_id": VIDEO})
    assert news is not None
    assert post is not None
    assert video is not None
    assert news["event_id"] == post["event_id"] == video["event_id"]
    assert video["is_first_publisher"] is True
    assert video["repost_of"] is None
    # Stored before the video was crawled; moved to it when it came (the writer's fix).
    assert (post["is_first_publisher"], post["repost_of"]) == (False, VIDEO)
    assert (news["is_first_publisher"], news["repost_of"]) == (False, VIDEO)
