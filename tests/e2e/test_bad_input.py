"""Bad input from sites gets a clear, counted outcome; nothing partial is stored.

A copy of the people.com.cn fixtures is served with faults a real site shows: a 404,
a 500 that stays, a 500 that passes (retried), a page slower than the timeout, a
body cut short mid-transfer, GBK bytes labelled UTF-8, an empty 200 page. The crawl
must finish, store every good article and the repaired one, and count the rest.
"""

from __future__ import annotations

import re
import shutil

import pytest

from tests.helpers.cli import people_article_ids, run_yuqing, yuqing_env
from tests.helpers.paths import FIXTURES_WEB
from yuqing_spiders.replay.server import ReplayServer

pytestmark = pytest.mark.slow


def article_paths() -> dict[str, str]:
    """native id -> URL path of each article fixture, in a stable order."""
    paths = {}
    for path in sorted(FIXTURES_WEB.glob("*.people.com.cn/n*/**/*.html")):
        native = re.search(r"c\d+-(\d+)\.html$", path.name)
        if native:
            paths[native.group(1)] = (
                "/" + path.relative_to(FIXTURES_WEB).as_posix().split("/", 1)[1]
            )
    return paths


def stat(log: str, key: str) -> int:
    match = re.search(rf"'{re.escape(key)}': (\d+)", log)
    return int(match.group(1)) if match else 0


def test_faults_are_counted_and_good_pages_stored(
    tmp_path, mongo_uri, redis_url, mongo_db, mongo_db_name
):
    root = tmp_path / "web"
    shutil.copytree(FIXTURES_WEB, root)
    paths = article_paths()
    assert set(paths) == people_article_ids()
    ids = list(paths)
    gone, broken, flaky, slow, cut, mislabelled, empty = ids[:7]
    # The empty page: a 200 with a blank body, as a CMS does when rendering fails.
    empty_page = next(root.glob(f"*.people.com.cn{paths[empty]}"))
    empty_page.write_bytes(b"  \n")

    with ReplayServer(root) as site:
        site.add_fault(re.escape(paths[gone]), status=404)
        site.add_fault(re.escape(paths[broken]), status=500)
        site.add_fault(re.escape(paths[flaky]), status=500, times=1)
        site.add_fault(re.escape(paths[slow]), delay=3)
        site.add_fault(re.escape(paths[cut]), truncate=300)
        site.add_fault(re.escape(paths[mislabelled]), charset="utf-8")
        env = yuqing_env(
            MONGO_URI=mongo_uri,
            REDIS_URL=redis_url,
            MONGO_DATABASE=mongo_db_name,
            YUQING_DATA_DIR=str(tmp_path / "data"),
        )
        result = run_yuqing(
            "run",
            "--replay-url",
            site.url,
            "--spider",
            "people",
            "--no-progress",
            "--set",
            "DOWNLOAD_TIMEOUT=1",
            "--set",
            "RETRY_TIMES=1",
            env=env,
        )
    log = result.stderr
    assert result.returncode == 0, log[-3000:]

    stored = {d["_id"].split(":", 1)[1]: d for d in mongo_db.opinions.find()}
    assert set(stored) == set(ids) - {gone, broken, slow, cut, empty}
    assert all(d["complete"] for d in stored.values())
    assert "\ufffd" not in stored[mislabelled]["title"] + stored[mislabelled]["content"]

    assert stat(log, "yuqing/request_failed/http_404") == 1
    assert stat(log, "yuqing/request_failed/http_500") == 1
    assert stat(log, "yuqing/request_failed/timeout") == 1
    assert stat(log, "yuqing/request_failed/truncated") == 1
    assert stat(log, "bad_response/gave_up/empty") == 1
    # The relabelled page, plus fixtures that already carry a wrong header (each response).
    assert stat(log, "encoding/repaired/utf-8->gb18030") >= 1
    assert stat(log, "retry/reason_count/500 Internal Server Error") >= 2
    assert "Traceback" not in log
