"""Kuaishou, Xiaohongshu and Zhihu sessions from the cookie pool.

The public facts modelled (tests/fixtures/web/README.md): each platform's home page
sets its device cookies on a first visit (Kuaishou `did`, Xiaohongshu `a1`/`webId`,
Zhihu `d_c0`/`_xsrf`), and a login cookie is a Cookie header exported from a
browser. With an empty pool every request goes with a visitor session made from the
first visit (one handshake), and the crawl stores what it did before; with a login
cookie configured (`YUQING_COOKIES_<PLATFORM>`) that session is used and no visitor
handshake is made. Real Redis (the pool), real MongoDB, the replay site.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import redis

from tests.helpers.cli import run_yuqing, yuqing_env
from tests.helpers.paths import FIXTURES_WEB
from yuqing_spiders.replay.server import ReplayServer

pytestmark = pytest.mark.slow

# A login cookie as a browser export gives it (values invented): Zhihu's carries its
# own d_c0, which the signed calls must then use.
LOGIN = {
    "kuaishou": "did=web_logindevice0001; userId=1000001; kuaishou.server.web_st=StandInLogin",
    "xiaohongshu": "a1=loginA1cookie0001; webId=loginwebid0001; web_session=StandInLogin",
    "zhihu": "d_c0=AJCLoginDevice0001=|1795658400; z_c0=StandInLogin; _xsrf=StandInXsrf",
}


def crawl(
    spider: str, tmp_path: Path, redis_url: str, mongo_uri: str, db_name: str, **extra: str
) -> None:
    db_url = redis_url.rsplit("/", 1)[0] + "/12"  # a Redis database of its own
    redis.Redis.from_url(db_url).flushdb()
    env = yuqing_env(
        REDIS_URL=db_url,
        MONGO_URI=mongo_uri,
        MONGO_DATABASE=db_name,
        YUQING_DATA_DIR=str(tmp_path / "data"),
        **extra,
    )
    assert run_yuqing("seed", "--spider", spider, env=env).returncode == 0
    with ReplayServer(FIXTURES_WEB) as site:
        worker = run_yuqing(
            *("worker", "--spider", spider, "--replay-url", site.url),
            *("--idle-exit", "3", "--no-progress"),
            env=env,
        )
        assert worker.returncode == 0, worker.stderr[-3000:]
        assert site.misses == [], [m.path for m in site.misses]


def run_stats(mongo_db: Any, spider: str) -> dict[str, Any]:
    doc = mongo_db.crawl_stats.find_one({"spider": spider}, sort=[("seq", -1)])
    assert doc is not None
    return doc["stats"]


@pytest.mark.parametrize("spider", sorted(LOGIN))
def test_an_empty_pool_falls_back_to_a_visitor_session(
    spider: str, tmp_path: Path, redis_url: str, mongo_uri: str, mongo_db, mongo_db_name: str
) -> None:
    crawl(spider, tmp_path, redis_url, mongo_uri, mongo_db_name)
    stats = run_stats(mongo_db, spider)
    assert stats.get(f"cookie_pool/{spider}/handshakes") == 1, stats
    assert stats.get(f"cookie_pool/{spider}/assigned/visitor", 0) > 0
    assert not stats.get(f"cookie_pool/{spider}/assigned/login")
    assert not stats.get(f"cookie_pool/{spider}/no_session")
    assert mongo_db.opinions.count_documents({"source": spider}) >= 3


@pytest.mark.parametrize("spider", sorted(LOGIN))
def test_a_configured_login_cookie_is_used(
    spider: str, tmp_path: Path, redis_url: str, mongo_uri: str, mongo_db, mongo_db_name: str
) -> None:
    variable = f"YUQING_COOKIES_{spider.upper()}"
    crawl(spider, tmp_path, redis_url, mongo_uri, mongo_db_name, **{variable: LOGIN[spider]})
    stats = run_stats(mongo_db, spider)
    assert stats.get(f"cookie_pool/{spider}/configured") == 1
    assert stats.get(f"cookie_pool/{spider}/assigned/login", 0) > 0, stats
    assert not stats.get(f"cookie_pool/{spider}/handshakes")
    assert not stats.get(f"cookie_pool/{spider}/assigned/visitor")
    assert mongo_db.opinions.count_documents({"source": spider}) >= 3
    if spider == "zhihu":
        # Signed with the login session's d_c0 (the session every signed call pinned).
        assert stats.get("zhihu/session_without_d_c0") is None
        assert stats.get("cookie_pool/zhihu/forced_unavailable") is None
