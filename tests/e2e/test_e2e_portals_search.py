"""`yuqing run --replay` over the portals, the keyword searches and the front pages.

One replay crawl of every source of issue 3 part B into the real MongoDB wire server
(fixtures: tests/fixtures/web/README.md, modelled on the sites' public pages,
§1.9, §4, §5.2). First the portals and searches store their articles; then the
front-page and hot-list polls flag the stored articles they list.
"""

from __future__ import annotations

import pytest

from tests.helpers.cli import run_yuqing, yuqing_env

pytestmark = pytest.mark.slow

PORTALS = ("sina", "netease", "tencent", "sohu", "ifeng", "baijiahao")
SEARCHES = (
    "search_people",
    "search_thepaper",
    "search_hubpd",
    "search_baidu",
    "search_sogou",
    "search_so360",
)
FIELDS = ("title", "content", "published_at", "media.name", "author.name", "editor")
# Each portal's articles (by `_id`) and what its parser must yield for each.
PORTAL_DOCS = {
    "sina": {"sina:inhcvqxa8123456", "sina:inhcrkzm5098765"},
    "netease": {"netease:JH3A8K2L000189FH", "netease:JH3C1V7F05346KF7"},
    "tencent": {"tencent:20261125A03XYZ00", "tencent:20261124A07MNO00"},
    "sohu": {"sohu:812345678", "sohu:812349901"},
    "ifeng": {"ifeng:8ePq2Xk7Ab1", "ifeng:8ePr9Lm3Cd4"},
    "baijiahao": {"baijiahao:1818234567890123456", "baijiahao:1818245678901234567"},
}
# Articles reached only through the searches (site parser, or the generic extractor).
SEARCH_DOCS = {"people:41402015", "people:41401779", "people:41395540", "thepaper:32187654"}
GENERIC_PAGES = {
    "http://www.ncqsh.gov.cn/art/2026/11/25/art_1234_5678901.html",
    "http://www.jinxian.gov.cn/art/2026/11/24/art_3321_889912.html",
}
# Search results whose articles do not match the watch-list: never stored.
FALSE_POSITIVES = {"people:40612345", "thepaper:32190321"}


def value(doc, dotted):
    for part in dotted.split("."):
        doc = (doc or {}).get(part)
    return doc


def coverage(docs):
    """Share of documents with each field, per source."""
    by_source = {}
    for doc in docs:
        by_source.setdefault(doc["source"], []).append(doc)
    return {
        source: {f: sum(1 for d in group if value(d, f)) / len(group) for f in FIELDS}
        for source, group in by_source.items()
    }


def crawl(env, spiders, key_prefix):
    args = [arg for name in spiders for arg in ("-s", name)]
    result = run_yuqing(
        "run",
        "--replay",
        "--no-progress",
        *args,
        "--set",
        f"SEARCH_COOLDOWN_KEY={key_prefix}:cooldown:%(engine)s",
        "--set",
        f"FRONTPAGE_REDIS_PREFIX={key_prefix}:frontpage",
        env=env,
        timeout=400,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stderr


def test_replay_crawl_of_portals_searches_and_front_pages(
    tmp_path, mongo_uri, redis_url, mongo_db, mongo_db_name, redis_client, key_prefix
):
    env = yuqing_env(
        MONGO_URI=mongo_uri,
        REDIS_URL=redis_url,
        MONGO_DATABASE=mongo_db_name,
        YUQING_DATA_DIR=str(tmp_path / "data"),
    )
    log = crawl(env, PORTALS + SEARCHES, key_prefix)
    docs = {d["_id"]: d for d in mongo_db.opinions.find()}
    expected = set().union(*PORTAL_DOCS.values()) | SEARCH_DOCS
    assert expected <= set(docs)
    assert not FALSE_POSITIVES & set(docs)
    generic = {d["canonical_url"]: d for d in docs.values() if d["_id"].startswith("url:")}
    assert set(generic) == GENERIC_PAGES
    assert {d["source"] for d in generic.values()} <= set(SEARCHES)

    # Every portal yields the fields of a complete news item, on every article.
    for source, ids in PORTAL_DOCS.items():
        for _id in ids:
            doc = docs[_id]
            assert doc["source"] == source
            assert doc["complete"], (_id, doc["missing"])
            for field in ("title", "content", "published_at", "media.name"):
                assert value(doc, field), (_id, field)
    # The list's comment count (跟贴) is in the metrics series; a later crawl of the same
    # article through a search, which shows no count, writes a point without one.
    point = {"opinion_id": "netease:JH3A8K2L000189FH", "comments": 356}
    assert mongo_db.opinion_metrics.count_documents(point) == 1
    assert docs["sina:inhcvqxa8123456"]["editor"] == "刘思琪"
    cov = coverage(docs.values())
    for source in PORTAL_DOCS:
        assert cov[source]["title"] == cov[source]["content"] == cov[source]["published_at"] == 1

    # Search finds: matched rules and terms, on site-parser and generic pages alike.
    rules = {_id: {w["rule"] for w in docs[_id]["watch"]} for _id in docs}
    assert {"nanchang", "qingshanhu"} <= rules["people:41402015"]
    assert "qingshanhu" in rules["thepaper:32187654"]
    county = generic["http://www.ncqsh.gov.cn/art/2026/11/25/art_1234_5678901.html"]
    assert {w["unit"] for w in county["watch"]} == {"青山湖区"}
    assert "湖坊镇" in county["keywords"]
    assert rules["sina:inhcrkzm5098765"] == set()  # 上海南昌路: the portal stores it, unmatched
    # Captchas were counted and backed off, never parsed as results.
    assert "'search/captcha/baidu': 1" in log
    assert "'search/captcha/sogou': 1" in log
    assert "'search/false_positive': 1" in log
    for engine in ("baidu", "sogou"):
        assert redis_client.ttl(f"{key_prefix}:cooldown:{engine}") > 0
    assert redis_client.ttl(f"{key_prefix}:cooldown:so360") == -2  # never blocked

    # The front pages and hot lists, polled after the articles were stored.
    crawl(env, ("frontpage", "hotlists"), key_prefix)
    snapshots = list(mongo_db.frontpage_snapshots.find())
    assert {s["site"] for s in snapshots} == {
        "people", "netease", "sina", "tencent", "sohu", "ifeng", "thepaper",
        "weibo_hot", "baidu_hot", "toutiao_hot",
    }  # fmt: skip
    placed = {
        d["_id"]: {(p["site"], p["block"], p["position"]) for p in d.get("front_page") or ()}
        for d in mongo_db.opinions.find()
    }
    assert ("netease", "要闻", 2) in placed["netease:JH3A8K2L000189FH"]
    assert ("sina", "滚动", 2) in placed["sina:inhcvqxa8123456"]
    assert ("tencent", "要闻", 1) in placed["tencent:20261125A03XYZ00"]
    assert ("sohu", "要闻", 2) in placed["sohu:812349901"]
    assert ("ifeng", "头条", 1) in placed["ifeng:8ePq2Xk7Ab1"]
    assert ("thepaper", "头条", 1) in placed["thepaper:32187654"]
    assert ("people", "rmw_yaowen", 3) in placed["people:41402015"]
    assert placed["netease:JH3C1V7F05346KF7"] == set()  # never on a front page
    assert redis_client.hlen(f"{key_prefix}:frontpage:current:weibo_hot") == 3
