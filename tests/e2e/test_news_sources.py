"""The offline main command crawls every central, Jiangxi, government and industry news
source from the replay site into MongoDB, and each source yields the fields it must.

One `yuqing run --replay` over all of them (code spiders and YAML entries alike), on the
session's Redis and MongoDB wire server. The fixtures (tests/fixtures/web/README.md,
"News sites") model the public facts of the site and the expected values are in
tests/helpers/news_expected.py; 今视网's channel list is rendered in Debian's chromium.
The per-source field coverage this crawl reaches is printed (`pytest -s`).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from tests.helpers.cli import run_yuqing, yuqing_env
from tests.helpers.news_expected import ARTICLES, SOURCES, by_source

pytestmark = pytest.mark.slow

FIELDS = ("title", "content", "published_at", "media.name", "media.tier", "author.name", "editor")
# Every stored item of these sources has these; author and editor only where pages print them.
REQUIRED = ("title", "content", "published_at", "media.name", "media.tier")
# Withdrawn after it was listed: the API answers an error object (stored, incomplete).
GONE = "cctv:ARTIq1Wm7Zc4Xs8Ed2Rf5Tg6261124"
# Its detail carries no time: the list row's "3小时前" is read against the crawl time.
RELATIVE = "jxxw:2245087"


def _value(doc: dict, dotted: str) -> object:
    value: object = doc
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _stat(log: str, key: str) -> int:
    """Sum of a counter over the crawlers' stats dumps (one dump per spider)."""
    return sum(int(n) for n in re.findall(rf"'{re.escape(key)}': (\d+)", log))


@pytest.fixture(scope="module")
def crawl(tmp_path_factory, mongo_uri, redis_url):
    import pymongo

    name = "yqtest_news_sources"
    env = yuqing_env(
        MONGO_URI=mongo_uri,
        REDIS_URL=redis_url,
        MONGO_DATABASE=name,
        YUQING_DATA_DIR=str(tmp_path_factory.mktemp("data")),
    )
    started = datetime.now(UTC)
    args = [arg for source in SOURCES for arg in ("--spider", source)]
    result = run_yuqing("run", "--replay", *args, "--no-progress", env=env, timeout=600)
    finished = datetime.now(UTC)
    client: pymongo.MongoClient = pymongo.MongoClient(mongo_uri, tz_aware=True)
    docs = {d["_id"]: d for d in client[name].opinions.find()}
    yield result, docs, (started, finished)
    client.drop_database(name)
    client.close()


def test_every_article_of_every_source_is_stored_once(crawl) -> None:
    result, docs, _ = crawl
    assert result.returncode == 0, result.stderr[-3000:]
    expected = {f"{a.source}:{a.native_id}" for a in ARTICLES}
    assert set(docs) == expected
    assert {d["source"] for d in docs.values()} == set(SOURCES)
    assert "replay/misses" not in result.stderr  # every request had its fixture
    assert _stat(result.stderr, "yuqing/request_failed/") == 0


@pytest.mark.parametrize("source", SOURCES)
def test_source_yields_its_fields(crawl, source) -> None:
    _, docs, (started, finished) = crawl
    for article in by_source(source):
        doc = docs[f"{source}:{article.native_id}"]
        assert doc["url"] == article.page
        assert doc["platform"] == "news"
        if doc["_id"] == GONE:
            assert doc["complete"] is False
            assert doc["missing"] == ["content"]
            assert doc["title"] == article.title  # from the list row
            assert doc["published_at"] == article.published_at
            continue
        assert doc["complete"], doc["missing"]
        assert doc["title"] == article.title
        assert doc["content"] == article.content
        assert doc["media"]["name"] == article.media
        assert doc["media"]["tier"] == article.tier
        assert doc["media"]["site_tier"] is not None
        assert doc["author"]["name"] == article.author
        assert doc["editor"] == article.editor
        if doc["_id"] == RELATIVE:
            low, high = started - timedelta(hours=3), finished - timedelta(hours=3)
            assert low <= doc["published_at"] <= high
        else:
            assert doc["published_at"] == article.published_at


def test_field_coverage_per_source(crawl) -> None:
    _, docs, _ = crawl
    print(f"\n{'source':12} {'items':>5} " + " ".join(f"{f:>12}" for f in FIELDS))
    for source in SOURCES:
        items = [d for d in docs.values() if d["source"] == source and d["_id"] != GONE]
        coverage = {f: sum(1 for d in items if _value(d, f)) / len(items) for f in FIELDS}
        print(f"{source:12} {len(items):>5} " + " ".join(f"{coverage[f]:>12.0%}" for f in FIELDS))
        for field in REQUIRED:
            assert coverage[field] == 1.0, (source, field)


def test_media_tiers_name_the_original_publisher(crawl) -> None:
    _, docs, _ = crawl
    # 中国青年网 carrying a 江西日报 story: the publisher is provincial, the site central.
    reprint = docs["youth:15710021"]["media"]
    assert (reprint["tier"], reprint["site_tier"], reprint["province"]) == (
        "provincial_key",
        "central_key",
        "江西",
    )
    # A notice by a city bureau on nc.gov.cn: government either way, placed in 江西.
    notice = docs["nc_gov:6129876"]["media"]
    assert (notice["tier"], notice["site_tier"], notice["province"]) == (
        "government",
        "government",
        "江西",
    )
    tiers = {d["media"]["tier"] for d in docs.values()}
    assert {"central_key", "provincial_key", "local", "government"} <= tiers


def test_each_decision_is_counted(crawl) -> None:
    log = crawl[0].stderr
    assert _stat(log, "xinhua/list_rows_skipped/link_off_site") == 1
    assert _stat(log, "cctv/list_rows_skipped/vide") == 1
    assert _stat(log, "cctv/api_without_text") == 1
    assert _stat(log, "thepaper/list_rows_skipped/external_link") == 1
    assert _stat(log, "jxxw/bad_list") == 1  # page 2: "系统繁忙" instead of a list
    assert _stat(log, "jxxw/list_rows_skipped/topic") == 1
    assert _stat(log, "jxrb/issues") == 2
    assert _stat(log, "news_config/gmw/list_pages") == 2
    assert _stat(log, "news_config/ncnews/list_pages") == 2
    # UTF-8 bytes under a stale GBK header (中新网) were decoded as UTF-8.
    assert _stat(log, "encoding/repaired/gb18030->utf-8") == 1
    # Only 今视网's channel list needed the browser.
    assert _stat(log, "browser/pages") == 1
    assert _stat(log, "browser/launched") == 1
