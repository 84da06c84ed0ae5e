"""Weibo crawls against the replay site into the real MongoDB, sessions in the real Redis.

Fixtures: tests/fixtures/web/{m.weibo.cn,s.weibo.com,passport.weibo.com} (README.md,
新浪微博): 20 invented posts about the Nanchang metro, the container-API search pages
of every slice, detail pages, comment pages, a profile, the visitor handshake.
Each crawl runs in its own process (tests/scripts/weibo_crawl.py).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pymongo
import pytest
import redis
from bson import json_util

from spiders.weibo import parse as weibo
from spiders.weibo.search import Slice, mobile_url, pc_url
from tests.helpers.cli import run_yuqing, yuqing_env
from tests.helpers.paths import FIXTURES_WEB, REPO
from yuqing_spiders.replay.record import fixture_path
from yuqing_spiders.replay.server import ReplayServer

pytestmark = pytest.mark.slow

KEYWORD = "南昌地铁"
ALL_MIDS = {p.name for p in (FIXTURES_WEB / "m.weibo.cn" / "detail").iterdir()}
LOGIN_COOKIES = [
    "SUB=_2A25SECRETloginONE; SUBP=0033SECRETsubpONE; SCF=SECRETscfONE",
    "SUB=_2A25SECRETloginTWO; SUBP=0033SECRETsubpTWO; SCF=SECRETscfTWO",
    "SUB=_2A25SECRETloginTHREE; SUBP=0033SECRETsubpTHREE; SCF=SECRETscfTHREE",
]


def visitor_secrets() -> list[str]:
    """The SUB and SUBP values the visitor handshake fixture hands out."""
    body = (FIXTURES_WEB / "passport.weibo.com" / "visitor" / "genvisitor2").read_text()
    cookie = weibo.parse_genvisitor2(body)
    return [part.split("=", 1)[1] for part in cookie.split("; ")]


def crawl(
    server: ReplayServer,
    tmp_path: Path,
    *,
    mongo_uri: str,
    redis_url: str,
    database: str,
    prefix: str,
    env: dict[str, str] | None = None,
    **settings: Any,
) -> tuple[dict[str, Any], str]:
    log = tmp_path / "crawl.log"
    out = tmp_path / "stats.json"
    overrides = {
        "LOG_FILE": str(log),
        "LOG_LEVEL": "DEBUG",  # secrets must not show even in debug logs
        "YUQING_OPS_PREFIX": prefix,
        "COOKIE_POOL_WAIT": 10,
        "BAN_DETECTION_RETRY_DELAY": 0,
        **settings,
    }
    proc = subprocess.run(
        [
            sys.executable,
            "tests/scripts/weibo_crawl.py",
            server.url,
            str(out),
            json.dumps(overrides),
        ],
        cwd=REPO,
        env=yuqing_env(
            REDIS_URL=redis_url,
            MONGO_URI=mongo_uri,
            MONGO_DATABASE=database,
            YUQING_DATA_DIR=str(tmp_path / "data"),
            **(env or {}),
        ),
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(out.read_text()), log.read_text(encoding="utf-8")


def stored(db: pymongo.database.Database) -> dict[str, dict[str, Any]]:
    return {d["_id"]: d for d in db.opinions.find()}


def assert_no_secret(
    secrets: list[str], log: str, stats: dict, db: pymongo.database.Database
) -> None:
    documents = "".join(
        json_util.dumps(list(db[name].find()))
        for name in ("opinions", "comments", "opinion_metrics")
    )
    for secret in secrets:
        assert secret not in log
        assert secret not in json.dumps(stats, ensure_ascii=False)
        assert secret not in documents


def search_mids(url: str) -> list[str]:
    return [
        m["mid"]
        for m in weibo.parse_search(json.loads(fixture_path(FIXTURES_WEB, url).read_text())).mblogs
    ]


# --- a busy keyword: cap reached, split, merged without duplicates -----------------------------


def test_capped_keyword_is_sliced_and_every_post_stored_once(
    tmp_path: Path,
    mongo_uri: str,
    redis_url: str,
    mongo_db: Any,
    mongo_db_name: str,
    key_prefix: str,
) -> None:
    # Models: the ~50-page cap per query (here 3 pages of 5) and the day -> hour -> region
    # split of dataabc/weibo-search; posts appear in several overlapping slices.
    with ReplayServer(FIXTURES_WEB) as server:
        stats, log = crawl(
            server,
            tmp_path,
            mongo_uri=mongo_uri,
            redis_url=redis_url,
            database=mongo_db_name,
            prefix=key_prefix,
            WEIBO_PAGE_CAP=3,
            WEIBO_LOOKBACK_DAYS=2,
            WEIBO_SLICE_PROVINCES=["36", "44", "11"],
            WEIBO_COMMENT_PAGES=2,
        )
        served = [r for r in server.requests if r.host == "m.weibo.cn"]
        assert server.misses == []
    searches = [f"https://m.weibo.cn{r.path}" for r in served if "containerid=100103" in r.path]
    day20 = Slice(KEYWORD, "2026-11-20-0", "2026-11-21-0")
    hour15 = Slice(KEYWORD, "2026-11-21-15", "2026-11-21-16")
    expected = {
        mobile_url(Slice(KEYWORD)),  # capped: 20 posts = 4 pages >= 3
        mobile_url(day20),
        mobile_url(day20, 2),  # 7 posts: 2 pages, read to the end
        mobile_url(Slice(KEYWORD, "2026-11-21-0", "2026-11-22-0")),  # capped: 13 posts
        *(mobile_url(Slice(KEYWORD, f"2026-11-21-{h}", f"2026-11-21-{h + 1}")) for h in range(16)),
        *(
            mobile_url(Slice(KEYWORD, hour15.start, hour15.end, f"{p}:1000"))
            for p in ("36", "44", "11")
        ),
        mobile_url(Slice(KEYWORD, hour15.start, hour15.end, "36:1000"), 2),
    }
    assert set(searches) == expected  # capped queries are split, not paged
    assert len(searches) == len(expected)  # each asked once
    assert mobile_url(Slice(KEYWORD), 2) not in searches
    assert (stats["weibo/slice/split/all"], stats["weibo/slice/split/day"]) == (1, 1)
    assert stats["weibo/slice/split/hour"] == 1
    assert stats["weibo/slice/queries"] == 2 + 16 + 3

    docs = stored(mongo_db)
    assert set(docs) == {f"weibo:{mid}" for mid in ALL_MIDS}  # every post ...
    assert stats["mongo/items_received"] == len(ALL_MIDS)  # ... yielded and stored once
    seen = sum(len(search_mids(url)) for url in expected)
    assert stats["weibo/search/duplicate_posts"] == seen - len(ALL_MIDS)
    assert all(d["complete"] for d in docs.values())

    # Long posts come whole from their detail pages.
    for mid in ("5102938475610003", "5102938475610008", "5102938475610010"):
        whole = weibo.post_item(
            weibo.parse_detail(
                fixture_path(FIXTURES_WEB, weibo.DETAIL_URL.format(mid=mid)).read_text()
            )
        )
        assert docs[f"weibo:{mid}"]["content"] == whole.content
    assert stats["weibo/long_text"] == 3
    # The author whose posts show no follower count: looked up, cached, applied.
    for mid in ("5102938475610017", "5102938475610018"):
        assert docs[f"weibo:{mid}"]["author"]["followers"] == 2048
    assert stats["weibo/profile/fetched"] >= 1
    cached = redis.Redis.from_url(redis_url).get(f"{key_prefix}:weibo:user:7790012345")
    assert json.loads(cached)["followers"] == 2048
    assert all(d["author"]["ip_location"] for d in docs.values())
    assert docs["weibo:5102938475610001"]["metrics"] == {
        "comments": 4,
        "reposts": 6,
        "likes": 57,
        "reads": None,
    }

    # Comments: the first two hotflow pages (max_id paging), nested replies included.
    comments = list(mongo_db.comments.find())
    by_post: dict[str, int] = {}
    for comment in comments:
        by_post[comment["opinion_id"]] = by_post.get(comment["opinion_id"], 0) + 1
    assert by_post == {
        "weibo:5102938475610001": 4,  # 3 comments and a reply
        "weibo:5102938475610002": 5,  # 3 on page 1, 2 on page 2
        "weibo:5102938475610008": 2,
        "weibo:5102938475610009": 2,
    }
    assert all(c["_id"].startswith(c["opinion_id"] + "#") for c in comments)
    assert mongo_db.opinions.count_documents({"_id": {"$regex": "#"}}) == 0
    assert "Traceback" not in log


# --- bans: 432 from the WAF, cooldown, rotation, recovery --------------------------------------


def test_visitor_ban_cools_down_rotates_and_recovers(
    tmp_path: Path,
    mongo_uri: str,
    redis_url: str,
    mongo_db: Any,
    mongo_db_name: str,
    key_prefix: str,
) -> None:
    # Models: m.weibo.cn answers HTTP 432 to a refused session; a new visitor cookie comes
    # from genvisitor -> genvisitor2. The first search page is refused twice.
    first_page = mobile_url(Slice(KEYWORD)).removeprefix("https://m.weibo.cn")
    with ReplayServer(FIXTURES_WEB) as server:
        server.add_fault(re.escape(first_page) + "$", status=432, times=2, host="m.weibo.cn")
        stats, log = crawl(
            server, tmp_path, mongo_uri=mongo_uri, redis_url=redis_url,
            database=mongo_db_name, prefix=key_prefix,
        )  # fmt: skip
        answers = [r.status for r in server.requests if r.path == first_page]
        handshakes = [r for r in server.requests if r.path == "/visitor/genvisitor2"]
        assert server.misses == []
    assert answers == [432, 432, 200]
    assert all(r.method == "POST" for r in handshakes)
    assert "tid=4oC3DKmyd0gr1KWx0NsQYHMMaqGSXxrR8UpmiAJZ2Sk%3D" in handshakes[0].body
    assert len(handshakes) == stats["cookie_pool/weibo/handshakes"] == 3  # one per ban
    assert (stats["ban/weibo/ban"], stats["ban/weibo/retried"]) == (2, 2)
    assert stats["cookie_pool/weibo/banned"] == 2
    assert "ban/weibo/gave_up" not in stats
    client = redis.Redis.from_url(redis_url)
    cooling = list(client.scan_iter(f"{key_prefix}:cookies:weibo:cooldown:*"))
    assert len(cooling) == 2
    assert all(0 < client.ttl(key) <= 1800 for key in cooling)
    # Recovered: the whole keyword is stored.
    assert set(stored(mongo_db)) == {f"weibo:{mid}" for mid in ALL_MIDS}
    assert mongo_db.comments.count_documents({}) == 11  # first comment page of 4 posts
    assert_no_secret(visitor_secrets(), log, stats, mongo_db)
    assert "cooling down (ban)" in log


def test_login_sessions_search_pc_and_rotate_on_ban(
    tmp_path: Path,
    mongo_uri: str,
    redis_url: str,
    mongo_db: Any,
    mongo_db_name: str,
    key_prefix: str,
) -> None:
    # Models: with a logged-in cookie, s.weibo.com is searched (WS refuses to run without
    # one); cards are read from their detail pages. Three accounts; the search page is
    # refused (432) twice, so two accounts cool down and the third finishes the job.
    pc_first = pc_url(Slice(KEYWORD)).removeprefix("https://s.weibo.com")
    with ReplayServer(FIXTURES_WEB) as server:
        server.add_fault(re.escape(pc_first) + "$", status=432, times=2, host="s.weibo.com")
        stats, log = crawl(
            server, tmp_path, mongo_uri=mongo_uri, redis_url=redis_url,
            database=mongo_db_name, prefix=key_prefix,
            env={"YUQING_COOKIES_WEIBO": "\n".join(LOGIN_COOKIES)},
        )  # fmt: skip
        answers = [r.status for r in server.requests if r.path == pc_first]
        visitor = [r for r in server.requests if r.host == "passport.weibo.com"]
        assert server.misses == []
    assert stats["weibo/search_site"] == "s.weibo.com"
    assert stats["cookie_pool/weibo/configured"] == 3
    assert answers == [432, 432, 200]
    assert (stats["ban/weibo/ban"], stats["cookie_pool/weibo/banned"]) == (2, 2)
    assert visitor == []  # login sessions served every request
    assert "cookie_pool/weibo/assigned/visitor" not in stats
    cards = [
        card.mid
        for page in (1, 2)
        for card in weibo.parse_pc_search(
            fixture_path(FIXTURES_WEB, pc_url(Slice(KEYWORD), page)).read_text()
        ).cards
    ]
    docs = stored(mongo_db)
    assert set(docs) == {f"weibo:{mid}" for mid in cards}
    assert docs["weibo:5102938475610018"]["author"]["followers"] == 2048  # profile lookup
    assert docs["weibo:5102938475610010"]["content"].endswith("[怒]")  # whole long text
    client = redis.Redis.from_url(redis_url)
    assert len(list(client.scan_iter(f"{key_prefix}:cookies:weibo:cooldown:*"))) == 2
    secrets = [part.split("=", 1)[1] for cookie in LOGIN_COOKIES for part in cookie.split("; ")]
    assert_no_secret(secrets, log, stats, mongo_db)
    assert "SECRET" not in log


# --- the main command, offline -------------------------------------------------------------------


def test_yuqing_run_replay_crawls_weibo_into_mongodb(
    tmp_path: Path,
    mongo_uri: str,
    redis_url: str,
    mongo_db: Any,
    mongo_db_name: str,
    key_prefix: str,
) -> None:
    env = yuqing_env(
        MONGO_URI=mongo_uri,
        REDIS_URL=redis_url,
        MONGO_DATABASE=mongo_db_name,
        YUQING_DATA_DIR=str(tmp_path / "data"),
    )
    done = run_yuqing(
        "run", "--replay", "--spider", "weibo", "--no-progress",
        "--set", f"YUQING_OPS_PREFIX={key_prefix}",
        # The demo as users run it, without the politeness pauses (nothing to be polite to).
        "--set", "DOWNLOAD_DELAY=0", "--set", "AUTOTHROTTLE_ENABLED=False", env=env,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    docs = stored(mongo_db)
    assert set(docs) == {f"weibo:{mid}" for mid in ALL_MIDS}
    assert mongo_db.comments.count_documents({}) == 11
    assert f"{len(ALL_MIDS)} documents ({len(ALL_MIDS)} complete)" in done.stderr
    coverage = field_coverage(list(docs.values()))
    print("weibo field coverage:", json.dumps(coverage, ensure_ascii=False))
    for field in ("title", "content", "published_at", "author.name", "author.id", "metrics.likes"):
        assert coverage[field] == 1.0, field
    assert coverage["author.followers"] == 1.0
    assert coverage["author.ip_location"] == 1.0

    listed = run_yuqing("sources", env=env)
    assert listed.returncode == 0
    # One row per source: key, platform, spider (blank when named like the source),
    # schedule, pages and the Chinese name.
    assert re.search(r"^\s*weibo\s+weibo\s+\*/30 \* \* \* \*\s+\d+\s+新浪微博", listed.stdout, re.M)
    scrapy_list = subprocess.run(
        [sys.executable, "-m", "scrapy", "list"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "weibo" in scrapy_list.stdout.split()


FIELDS = (
    "title", "content", "published_at", "author.name", "author.id", "author.followers",
    "author.verified", "author.verified_type", "author.ip_location", "metrics.comments",
    "metrics.reposts", "metrics.likes", "repost_of", "extra.retweet_of",
)  # fmt: skip


def field_coverage(docs: list[dict[str, Any]]) -> dict[str, float]:
    def value(doc: dict[str, Any], dotted: str) -> Any:
        for part in dotted.split("."):
            doc = doc.get(part) if isinstance(doc, dict) else None
        return doc

    return {f: round(sum(value(d, f) is not None for d in docs) / len(docs), 3) for f in FIELDS}


def test_fixture_keyword_is_the_configured_one() -> None:
    # The offline demo searches what sources.yaml lists; the fixtures are for that keyword.
    from yuqing_spiders.model.sources import load_sources

    source = load_sources(REPO / "settings" / "sources.yaml")["weibo"]
    assert source.options["keywords"] == [KEYWORD]
    assert unquote(mobile_url(Slice(KEYWORD))).count(KEYWORD) == 1
