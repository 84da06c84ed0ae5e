"""The video and Q&A platforms crawled as ops run them: `yuqing seed` + `yuqing worker`.

Each platform's answers come from tests/fixtures/web (README.md, "Video and Q&A
platforms"): hand-made JSON shaped like the public facts of docs/platforms.md
(search, detail, comments, replies, profile, visitor cookie). Real Redis (queue,
cookie pool, profile cache), real MongoDB, the replay site on 127.0.0.1; the
worker signs what the platform signs against the fixed replay clock, so every
signed URL must match a recorded one (a miss fails the test).
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

# The item fields the issue asks for; a platform's items fill >= 95 % of them.
FIELDS = (
    ("title",),
    ("content",),
    ("published_at",),
    ("author", "name"),
    ("author", "id"),
    ("author", "followers"),
    ("metrics", "likes"),
    ("metrics", "comments"),
    ("metrics", "reposts"),
    ("metrics", "reads"),
)


@pytest.fixture(scope="module")
def site():
    with ReplayServer(FIXTURES_WEB) as server:
        yield server


def crawl(
    spider: str, site: ReplayServer, tmp_path: Path, redis_url: str, mongo_uri: str, db_name: str
) -> None:
    db_url = redis_url.rsplit("/", 1)[0] + "/10"  # a Redis database of its own
    redis.Redis.from_url(db_url).flushdb()
    env = yuqing_env(
        REDIS_URL=db_url,
        MONGO_URI=mongo_uri,
        MONGO_DATABASE=db_name,
        YUQING_DATA_DIR=str(tmp_path / "data"),
    )
    seeded = run_yuqing("seed", "--spider", spider, env=env)
    assert seeded.returncode == 0, seeded.stderr
    site.clear_requests()
    worker = run_yuqing(
        *("worker", "--spider", spider, "--replay-url", site.url),
        *("--idle-exit", "3", "--no-progress"),
        env=env,
    )
    assert worker.returncode == 0, worker.stderr[-3000:]
    assert site.misses == [], [m.path for m in site.misses]


def filled(docs: list[dict[str, Any]], without: frozenset[tuple[str, ...]] = frozenset()) -> float:
    """The share of FIELDS (less those the platform never shows) the items fill."""
    values = []
    for doc in docs:
        for path in (p for p in FIELDS if p not in without):
            value: Any = doc
            for step in path:
                value = value.get(step) if isinstance(value, dict) else None
            values.append(value not in (None, ""))
    return sum(values) / len(values)


def test_bilibili_search_detail_comments_profiles(
    site: ReplayServer, tmp_path: Path, redis_url: str, mongo_uri: str, mongo_db, mongo_db_name: str
) -> None:
    crawl("bilibili", site, tmp_path, redis_url, mongo_uri, mongo_db_name)
    docs = {d["_id"]: d for d in mongo_db.opinions.find({"source": "bilibili"})}
    # Page 1 (one record unreadable) and page 2, which reaches past the 48 h window:
    # no page 3 was asked for.
    assert set(docs) == {
        "bilibili:BV1Nc4y1A7aQ",
        "bilibili:BV1Hx4y1T7kP",
        "bilibili:BV1Km4y1Q7zR",
        "bilibili:BV1Pq4y1E7wL",
    }
    paths = [r.path for r in site.requests]
    assert not any("page=3" in p for p in paths), paths
    flood = docs["bilibili:BV1Nc4y1A7aQ"]
    assert flood["published_at"].isoformat().startswith("2026-11-25T23:00:00")
    assert flood["metrics"] == {"comments": 236, "reposts": 97, "likes": 1520, "reads": 48213}
    assert flood["extra"]["collects"] == 311
    assert flood["jurisdiction"]["city"] == "南昌市"  # the analysis stages ran on it
    big = docs["bilibili:BV1Hx4y1T7kP"]["author"]
    assert (big["followers"], big["verified"], big["is_big_v"]) == (1250000, True, True)
    # The up主 missing from view/detail was looked up on x/web-interface/card.
    paper = docs["bilibili:BV1Km4y1Q7zR"]["author"]
    assert (paper["followers"], paper["verified_type"]) == (186000, 3)
    assert filled(list(docs.values())) >= 0.95

    comments = {c["_id"]: c for c in mongo_db.comments.find({"source": "bilibili"})}
    flood_comments = [c for c in comments.values() if c["opinion_id"] == "bilibili:BV1Nc4y1A7aQ"]
    # 1 pinned + 3 readable roots (one broken record skipped) + 2 replies of one root.
    assert len(flood_comments) == 6
    reply = comments["bilibili:BV1Nc4y1A7aQ#241100000021"]
    assert (reply["reply_to"], reply["ip_location"]) == ("241100000020", "北京")


def test_douyin_signed_search_detail_comments_profiles(
    site: ReplayServer, tmp_path: Path, redis_url: str, mongo_uri: str, mongo_db, mongo_db_name: str
) -> None:
    crawl("douyin", site, tmp_path, redis_url, mongo_uri, mongo_db_name)
    docs = {d["_id"]: d for d in mongo_db.opinions.find({"source": "douyin"})}
    # Page 1 (a user card and a broken record skipped), page 2 with a mix item; page 2
    # reaches past the 48 h window, so offset 20 was never asked for.
    assert set(docs) == {f"douyin:74431000000000000{n:02d}" for n in (1, 2, 3, 4, 5)}
    paths = [r.path for r in site.requests if r.host == "www.douyin.com"]
    assert not any("offset=20" in p for p in paths), paths
    # Every API call carried the stand-in script's signature: it ran in chromium.
    assert all("a_bogus=STANDIN" in p for p in paths if p.startswith("/aweme/")), paths
    flood = docs["douyin:7443100000000000001"]
    assert flood["title"].startswith("南昌青山湖区一小区地下车库暴雨后被淹")
    assert flood["metrics"] == {"comments": 1843, "reposts": 4120, "likes": 25310, "reads": None}
    assert flood["author"]["ip_location"] == "江西"
    assert flood["author"]["followers"] == 53100  # the profile's, not the post's copy
    news = docs["douyin:7443100000000000002"]["author"]
    assert (news["verified_type"], news["is_big_v"]) == (2, True)  # 蓝V, 1.83 M fans
    assert filled(list(docs.values())) >= 0.95

    comments = list(mongo_db.comments.find({"opinion_id": "douyin:7443100000000000001"}))
    # 3 readable roots (one broken record skipped) + 2 replies of one root.
    assert len(comments) == 5
    by_id = {c["native_id"]: c for c in comments}
    assert by_id["7443200000000000202"]["reply_to"] == "7443200000000000201"


def test_zhihu_signed_search_answers_articles_comments_members(
    site: ReplayServer, tmp_path: Path, redis_url: str, mongo_uri: str, mongo_db, mongo_db_name: str
) -> None:
    crawl("zhihu", site, tmp_path, redis_url, mongo_uri, mongo_db_name)
    docs = {d["_id"]: d for d in mongo_db.opinions.find({"source": "zhihu"})}
    # Page 1 (an ad and a broken record skipped) and page 2, past the window: no page 3.
    assert set(docs) == {
        "zhihu:answer:3301000001",
        "zhihu:article:1950000001",
        "zhihu:zvideo:1880000001",
        "zhihu:answer:3301000002",
    }
    paths = [r.path for r in site.requests if r.host == "www.zhihu.com"]
    assert not any("offset=40" in p for p in paths), paths
    answer = docs["zhihu:answer:3301000001"]
    assert answer["url"] == "https://www.zhihu.com/question/682150001/answer/3301000001"
    assert answer["title"] == "如何看待南昌红谷滩区一小区地下车库暴雨后被淹？"
    assert answer["content"].endswith("（以上为全文）")  # the answer API's whole text
    assert answer["metrics"]["likes"] == 1203
    assert (answer["author"]["ip_location"], answer["author"]["followers"]) == ("江西", 312)
    paper = docs["zhihu:zvideo:1880000001"]["author"]
    assert (paper["verified_type"], paper["followers"]) == (7, 560000)  # is_org
    # Zhihu shows no share or play counts: those two are not asked of it.
    assert (
        filled(
            list(docs.values()), without=frozenset({("metrics", "reposts"), ("metrics", "reads")})
        )
        >= 0.95
    )

    comments = {c["native_id"]: c for c in mongo_db.comments.find({"source": "zhihu"})}
    assert set(comments) == {"11001001", "11001002", "11001003", "11002001", "11002002", "11003001"}
    assert comments["11002002"]["reply_to"] == "11002001"
    assert comments["11001002"]["ip_location"] == "上海"


def test_xiaohongshu_signed_search_note_pages_comments_profiles(
    site: ReplayServer, tmp_path: Path, redis_url: str, mongo_uri: str, mongo_db, mongo_db_name: str
) -> None:
    crawl("xiaohongshu", site, tmp_path, redis_url, mongo_uri, mongo_db_name)
    docs = {d["_id"]: d for d in mongo_db.opinions.find({"source": "xiaohongshu"})}
    # A suggestion card and a broken record skipped.
    assert set(docs) == {
        "xiaohongshu:6745a1b2c3d4e5f601234567",
        "xiaohongshu:6745a1b2c3d4e5f601234568",
        "xiaohongshu:6745a1b2c3d4e5f601234569",
    }
    flood = docs["xiaohongshu:6745a1b2c3d4e5f601234567"]
    assert flood["url"] == "https://www.xiaohongshu.com/explore/6745a1b2c3d4e5f601234567"
    assert flood["metrics"] == {"comments": 45, "reposts": 12, "likes": 3456, "reads": None}
    assert flood["extra"]["collects"] == 210
    assert (flood["author"]["followers"], flood["author"]["ip_location"]) == (23000, "江西")
    metro = docs["xiaohongshu:6745a1b2c3d4e5f601234568"]
    assert metro["metrics"]["likes"] == 12001  # the card's exact count, not the page's 1.2万
    assert (metro["author"]["verified_type"], metro["author"]["followers"]) == (0, 156000)
    # Notes show no play count.
    assert filled(list(docs.values()), without=frozenset({("metrics", "reads")})) >= 0.95

    comments = {c["native_id"]: c for c in mongo_db.comments.find({"source": "xiaohongshu"})}
    # 2 roots (a broken record skipped), 1 embedded reply, 2 more from the reply page.
    flood_ids = {k for k, c in comments.items() if c["opinion_id"] == flood["_id"]}
    assert len(flood_ids) == 5
    assert comments["67460000000000000000a005"]["reply_to"] == "67460000000000000000a004"
    assert comments["67460000000000000000a002"]["reply_to"] == "67460000000000000000a001"


def test_kuaishou_signed_search_comments_profiles(
    site: ReplayServer, tmp_path: Path, redis_url: str, mongo_uri: str, mongo_db, mongo_db_name: str
) -> None:
    crawl("kuaishou", site, tmp_path, redis_url, mongo_uri, mongo_db_name)
    docs = {d["_id"]: d for d in mongo_db.opinions.find({"source": "kuaishou"})}
    # Page 1 (a broken record skipped) and page 2, past the window: no third search.
    assert set(docs) == {f"kuaishou:3xstandinphoto00{n}" for n in (1, 2, 3, 4)}
    searches = [r for r in site.requests if r.path.startswith("/rest/v/search/feed")]
    assert len(searches) == 2
    assert all("__NS_hxfalcon=STANDIN" in r.path for r in searches)  # signed in chromium
    flood = docs["kuaishou:3xstandinphoto001"]
    assert flood["metrics"] == {"comments": 318, "reposts": None, "likes": 23100, "reads": 560000}
    assert flood["author"]["followers"] == 312000
    # The one profile answer is about 南昌身边事: 赣鄱旅行家 keeps no follower count.
    assert docs["kuaishou:3xstandinphoto003"]["author"]["followers"] is None
    # Kuaishou shows no share count.
    assert filled(list(docs.values()), without=frozenset({("metrics", "reposts")})) >= 0.95

    comments = {c["native_id"]: c for c in mongo_db.comments.find({"source": "kuaishou"})}
    assert set(comments) == {"900100001", "900100002", "900100101"}
    assert comments["900100101"]["reply_to"] == "900100001"


def test_sources_lists_the_platforms_with_their_schedules() -> None:
    result = run_yuqing("sources", env=yuqing_env())
    assert result.returncode == 0, result.stderr
    rows = {line.split()[0]: line for line in result.stdout.splitlines() if line.strip()}
    for key, name, schedule in (
        ("bilibili", "哔哩哔哩", "40 */2 * * *"),
        ("douyin", "抖音", "10 */2 * * *"),
        ("zhihu", "知乎", "50 */2 * * *"),
        ("xiaohongshu", "小红书", "20 */2 * * *"),
        ("kuaishou", "快手", "30 */2 * * *"),
    ):
        assert name in rows[key]
        assert schedule in rows[key]
