"""`yuqing run` over WeChat (搜狗微信), Toutiao, Tieba, Discuz and the 问政 boards.

One replay crawl of every source of issue 4 part B, through the real CLI, into the
MongoDB wire server and Redis of the session (fixtures: tests/fixtures/web/README.md,
modelled on the sites' public pages). The replay site runs in this
process so that its request log shows what the spiders asked for. Then a second
问政江西 tick walks on from the last id the first one saw.
"""

from __future__ import annotations

import re

import pytest

from tests.helpers.cli import run_yuqing, yuqing_env
from tests.helpers.paths import FIXTURES_WEB
from yuqing_spiders.replay.server import ReplayServer

pytestmark = pytest.mark.slow

SPIDERS = ("weixin", "toutiao", "tieba", "discuz", "liuyan", "wenz", "gov_board")
FIELDS = (
    "title",
    "content",
    "published_at",
    "author.name",
    "media.name",
    "metrics.comments",
    "status",
)
EXPECTED = {
    "weixin": {
        "weixin:MzA5NzQ1NjY0MQ==:2651234567:1",
        "weixin:MzI4NjE2MzQ1Mg==:2247501234:2",
        "weixin:MjM5MDU1NzgwMA==:2653456789:1",
    },
    "toutiao": {
        "toutiao:7441102233445566778",
        "toutiao:7441205566778899001",  # JS challenge: from its search card, incomplete
        "toutiao:7441088776655443322",
        "toutiao:7440998877665544332",  # page 1 of the search, by search_id
    },
    "tieba": {f"tieba:92314567{n:02d}" for n in (1, 2, 3, 5, 6)},
    "dajiang_bbs": {f"dajiang_bbs:412340{n}" for n in (1, 2, 4, 5)},
    "liuyan": {f"liuyan:2187654{n}" for n in (3, 4, 5, 6)},
    "wenz_jx": {f"wenz_jx:4817{n:02d}" for n in (0, 1, 3)} | {"wenz_jx:481699"},
    "nc12345": {f"nc12345:613100{n}" for n in (1, 2, 3)},
}
INCOMPLETE = {"toutiao:7441205566778899001", "tieba:9231456706"}


def value(doc, dotted):
    for part in dotted.split("."):
        doc = (doc or {}).get(part)
    return doc


def coverage(docs):
    """Per source: documents, and how many have each field."""
    table = {}
    for doc in docs:
        row = table.setdefault(doc["source"], {"docs": 0, **dict.fromkeys(FIELDS, 0)})
        row["docs"] += 1
        for field in FIELDS:
            row[field] += value(doc, field) is not None
    return table


def stat(log: str, key: str) -> int:
    """A counter summed over the stats every crawler (one per spider) dumps at its end."""
    return sum(int(n) for n in re.findall(rf"'{re.escape(key)}': (\d+)", log))


def crawl(env, site, spiders, key_prefix):
    args = [arg for name in spiders for arg in ("-s", name)]
    result = run_yuqing(
        "run",
        "--replay-url",
        site.url,
        "--no-progress",
        *args,
        "--set",
        f"BLOCK_BACKOFF_KEY={key_prefix}:backoff:%(engine)s",
        "--set",
        f"WENZ_LAST_ID_KEY={key_prefix}:wenz:last_id",
        "--set",
        f"WENZ_LAST_MONTH_KEY={key_prefix}:wenz:last_month",
        env=env,
        timeout=500,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stderr


def test_replay_crawl_of_social_forum_and_wenzheng_sources(
    tmp_path, mongo_uri, redis_url, mongo_db, mongo_db_name, redis_client, key_prefix
):
    env = yuqing_env(
        MONGO_URI=mongo_uri,
        REDIS_URL=redis_url,
        MONGO_DATABASE=mongo_db_name,
        YUQING_DATA_DIR=str(tmp_path / "data"),
    )
    with ReplayServer(FIXTURES_WEB) as site:
        log = crawl(env, site, SPIDERS, key_prefix)
        assert site.misses == []
        served = [(r.host, r.path) for r in site.requests]
        docs = {d["_id"]: d for d in mongo_db.opinions.find()}
        by_source = {s: {i for i, d in docs.items() if d["source"] == s} for s in EXPECTED}
        assert by_source == EXPECTED
        assert {i for i, d in docs.items() if not d["complete"]} == INCOMPLETE

        table = coverage(docs.values())
        print("\nfield coverage of the replay crawl (documents with the field / documents):")
        for source, row in sorted(table.items()):
            counts = "  ".join(f"{f}={row[f]}" for f in FIELDS)
            print(f"  {source:12} {row['docs']:2} docs  {counts}")
        for source, row in table.items():
            complete = sum(1 for i in EXPECTED[source] if i not in INCOMPLETE)
            assert row["title"] == row["published_at"] == row["docs"], source
            assert row["content"] == complete, source

        _check_weixin(docs, log, served)
        _check_toutiao(docs, log)
        _check_tieba(docs, mongo_db, log)
        _check_discuz(docs, mongo_db)
        _check_wenzheng(docs, mongo_db)

        # 问政江西: the walk went 481699 → 481700 (next month's folder) → 481701 → a gone
        # page → 481703, then three misses; the last id seen is kept in Redis.
        assert redis_client.hget(f"{key_prefix}:wenz:last_id", "wenz_jx") == b"481703"
        assert redis_client.hget(f"{key_prefix}:wenz:last_month", "wenz_jx") == b"202611"
        assert stat(log, "wenz_jx/walk_end/misses") == 1
        site.clear_requests()
        log = crawl(env, site, ("wenz",), key_prefix)
        walked = [r.path for r in site.requests if r.host == "wenz.jxnews.com.cn"]
    # The second tick starts after 481703 and finds nothing new: no page fetched twice.
    assert walked == [
        "/",
        "/ms/viewpage/202611/view_481704.html",
        "/ms/viewpage/202612/view_481704.html",
        "/ms/viewpage/202611/view_481705.html",
        "/ms/viewpage/202612/view_481705.html",
        "/ms/viewpage/202611/view_481706.html",
        "/ms/viewpage/202612/view_481706.html",
    ]
    assert stat(log, "wenz_jx/messages") == 0
    assert redis_client.hget(f"{key_prefix}:wenz:last_id", "wenz_jx") == b"481703"


def _check_weixin(docs, log, served):
    # Every link went through Sogou's cookie steps before its decode.
    for host, path in (
        ("www.sogou.com", "/sug/css/m3.min.v.7.css"),
        ("weixin.sogou.com", "/websearch/wexinurlenc_sogou_profile.jsp"),
    ):
        assert (host, path) in served
    assert stat(log, "weixin/links_decoded") == 5
    assert stat(log, "weixin/articles_unavailable/deleted") == 1
    # Page 2 of the first term hit the captcha: counted, backed off, nothing parsed.
    assert stat(log, "yuqing/blocked/weixin/antispider") == 1
    doc = docs["weixin:MzI4NjE2MzQ1Mg==:2247501234:2"]
    assert doc["author"] == {**doc["author"], "name": "南昌身边事", "id": "gh_9e8d7c6b5a41"}
    assert doc["found_on"] == "weixin.sogou.com search: 南昌停水"


def _check_toutiao(docs, log):
    assert stat(log, "toutiao/empty_shell_retried") == 1
    assert stat(log, "toutiao/challenge_to_browser") == 1
    assert stat(log, "browser/pages") >= 2  # the challenge page and the Tieba captcha
    assert stat(log, "yuqing/blocked/toutiao/js_challenge") == 1
    card_only = docs["toutiao:7441205566778899001"]
    assert card_only["missing"] == ["content"]
    assert card_only["metrics"]["comments"] == 1204
    assert docs["toutiao:7441102233445566778"]["metrics"]["comments"] == 38


def _check_tieba(docs, db, log):
    thread = docs["tieba:9231456701"]  # through the signed JSON API
    assert thread["metrics"]["comments"] == 4
    floors = sorted(db.comments.find({"opinion_id": "tieba:9231456701"}), key=lambda c: c["floor"])
    assert [c["floor"] for c in floors] == [2, 3, 4, 5]
    assert floors[1]["ip_location"] == "广东"
    assert floors[1]["likes"] == 25
    # The second bar came from the legacy page; its captcha'd thread is list-only.
    assert db.comments.count_documents({"opinion_id": "tieba:9231456705"}) == 2
    assert stat(log, "tieba/api_mismatch/frs") == 1
    assert stat(log, "yuqing/blocked/tieba/captcha") == 1
    assert docs["tieba:9231456706"]["metrics"]["comments"] == 8


def _check_discuz(docs, db):
    ktv = docs["dajiang_bbs:4123401"]
    assert (ktv["metrics"]["comments"], ktv["metrics"]["reads"]) == (4, 1568)
    assert ktv["encoding"] in ("gbk", "gb18030")
    floors = db.comments.find({"opinion_id": "dajiang_bbs:4123401"})
    assert sorted(c["floor"] for c in floors) == [2, 3, 4, 5]  # across both thread pages
    assert "dajiang_bbs:4100001" not in docs  # the sticky board notice
    assert "dajiang_bbs:4123403" not in docs  # 阅读权限: refused, counted


def _check_wenzheng(docs, db):
    done = docs["liuyan:21876543"]
    assert done["status"] == "已办理"
    assert len(done["extra"]["official_replies"]) == 2
    assert docs["liuyan:21876545"]["status"] == "待回复"
    assert "liuyan:21876547" not in docs  # a 长沙 board: outside the area
    point = db.opinion_metrics.find_one({"opinion_id": "liuyan:21876543"})
    assert point["status"] == "已办理"  # the state is in the series
    assert docs["wenz_jx:481700"]["status"] == "办理中"
    assert docs["wenz_jx:481701"]["status"] == "待回复"
    assert docs["nc12345:6131001"]["extra"]["official_replies"][0]["organization"]
    assert docs["nc12345:6131001"]["media"]["name"] == "南昌12345市长热线"
