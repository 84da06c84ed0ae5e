"""`yuqing report` on the replayed crawl: the daily, weekly and event reports.

The data is the offline main command's (`yuqing run --replay`, three sources) in a
MongoDB wire server database, plus one repost chain across provinces with a metrics
series and a failed crawl period, written as the pipelines write them, so that every
section has something to show. The HTML report is opened in Debian's chromium.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pymongo
import pytest
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font

from tests.helpers.cli import run_yuqing, yuqing_env
from yuqing_spiders.report import charts
from yuqing_spiders.report.data import TZ, day_window, week_window

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
EVENT = "ev:0123456789abcdef"
ALONE = "ev:00000000000a1one"  # an important item no other site carried (yet)
HEADINGS = [
    "一、概览 Overview",
    "二、重要舆情 Important items",
    "三、属地分布 By jurisdiction",
    "四、部门分布 By department",
    "五、分省域统计 Important items by province",
    "六、热点事件 Top events",
    "七、采集健康 Sources' health",
]


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ).astimezone(UTC)


def opinion(_id: str, day: date, hour: int, **fields: Any) -> dict[str, Any]:
    doc = {
        "_id": _id,
        "url": f"https://example.cn/{_id}",
        "platform": "news",
        "published_at": at(day, hour),
        "first_seen_at": at(day, hour, 5),
        "crawled_at": at(day, hour, 5),
        "level": "important",
        "level_reasons": ["sites>=3"],
        "routed_to": ["青山湖区", "城管"],
        "front_page": [],
        "jurisdiction": {
            "province": "江西省",
            "city": "南昌市",
            "district": "青山湖区",
            "zone": None,
        },
        "departments": ["城管"],
        "sentiment": {"label": "negative", "score": -0.6},
        "event_id": EVENT,
        "author": {"name": None, "is_big_v": None},
        "schema_version": 1,
    }
    return doc | fields


def repost_chain(day: date) -> list[dict[str, Any]]:
    """An abridged story: a Shanghai outlet first, a Guangdong portal, then a big V."""
    first = opinion(
        "url:report-first",
        day,
        8,
        source="thepaper",
        title="青山湖区某小区垃圾清运停摆三天 居民投诉",
        media={
            "name": "澎湃新闻",
            "tier": "provincial_key",
            "domain": "www.thepaper.cn",
            "province": "上海",
        },
        is_first_publisher=True,
        repost_of=None,
        heat=41.0,
    )
    portal = opinion(
        "url:report-portal",
        day,
        10,
        source="netease",
        title="南昌一小区垃圾三天没人收",
        media={
            "name": "南方都市报",
            "tier": "commercial",
            "domain": "www.163.com",
            "province": "广东",
        },
        is_first_publisher=False,
        repost_of="url:report-first",
        heat=35.0,
        front_page=[
            {"site": "netease", "block": "要闻", "position": 3, "seen_at": at(day, 10, 30)}
        ],
    )
    bigv = opinion(
        "weibo:5200000000000001",
        day,
        12,
        source="weibo",
        platform="weibo",
        title="小区垃圾堆成山",
        media={"name": "微博", "tier": "self_media", "domain": "weibo.com", "province": None},
        author={"name": "南昌生活大V", "is_big_v": True},
        is_first_publisher=False,
        repost_of="url:report-first",
        heat=52.0,
        level="urgent",
        level_reasons=["heat>=60"],
    )
    return [first, portal, bigv]


def alone_item(day: date) -> dict[str, Any]:
    return opinion(
        "url:report-alone",
        day,
        11,
        source="jxnews",
        title="西湖区某路段*夜间施工*扰民 [市民反映]",
        media={"name": "大江网", "tier": "provincial_key", "province": "江西"},
        is_first_publisher=True,
        repost_of=None,
        event_id=ALONE,
        level_reasons=["key_media:provincial_key", "risk:sensitive"],
    )


def metrics(day: date) -> list[dict[str, Any]]:
    points = [
        ("url:report-first", 9, 10),
        ("weibo:5200000000000001", 13, 300),
        ("weibo:5200000000000001", 15, 2400),
    ]
    return [
        {
            "_id": f"{oid}@{hour}",
            "opinion_id": oid,
            "at": at(day, hour),
            "source": "x",
            "comments": value,
            "reposts": value // 2,
            "likes": None,
            "reads": None,
        }
        for oid, hour, value in points
    ]


def event_doc(day: date) -> dict[str, Any]:
    return {
        "_id": EVENT,
        "version": 3,
        "first": {
            "id": "url:report-first",
            "published_at": at(day, 8),
            "site": "www.thepaper.cn",
            "platform": "news",
            "tier": "provincial_key",
        },
        "central_first": False,
        "last_at": at(day, 12),
        "member_count": 3,
        "members": ["url:report-first", "url:report-portal", "weibo:5200000000000001"],
        "sites": ["www.thepaper.cn", "www.163.com", "weibo.com"],
        "platforms": ["news", "weibo"],
        "tiers": ["provincial_key", "commercial", "self_media"],
        "front_pages": ["netease"],
        "big_v": 1,
        "metrics": {"comments": 2410, "reposts": 1205, "likes": None, "reads": None},
        "heat": 88.0,
        "trend": {"label": "rising", "slope": 300.0, "points": 3},
        "level": "urgent",
        "level_reasons": ["heat>=60"],
        "schema_version": 1,
    }


def failed_period(day: date) -> dict[str, Any]:
    return {
        "_id": "tieba@ci:1:1#00000",
        "run_id": "tieba@ci:1:1",
        "seq": 0,
        "spider": "tieba",
        "sources": ["tieba"],
        "worker": {"host": "ci", "pid": 1, "role": "worker"},
        "started_at": at(day, 6),
        "period": {"start": at(day, 6), "end": at(day, 6, 10)},
        "final": True,
        "finish_reason": "finished",
        "counts": {
            "pages": 4,
            "items": 0,
            "stored": 0,
            "dropped": 0,
            "requests_failed": 3,
            "log_errors": 0,
        },
        "errors": {"timeout": 2, "http_403": 1},
        "doc_version": 1,
    }


def board_period(day: date) -> dict[str, Any]:
    """A period of the discuz spider as ops/crawl_stats.py writes it now, with counts
    per source: one spider, source key dajiang_bbs (as `yuqing sources` names it),
    whose host did not resolve for three requests and one of whose items MongoDB
    refused. Models a board that failed while others were fine."""
    doc = failed_period(day)
    return {
        **doc,
        "_id": "discuz@ci:2:1#00000",
        "run_id": "discuz@ci:2:1",
        "spider": "discuz",
        "sources": ["dajiang_bbs"],
        "counts": {**doc["counts"], "pages": 6, "items": 4, "stored": 3, "requests_failed": 3},
        "errors": {"dns": 3},
        "by_source": {
            "dajiang_bbs": {
                "pages": 6,
                "items": 4,
                "stored": 3,
                "refused": 1,
                "failed": 3,
                "errors": {"dns": 3},
            }
        },
        "stats": {"yuqing/source/dajiang_bbs/failed_host/dns": "bbs.jxnews.com.cn"},
    }


@pytest.fixture(scope="module")
def replayed(
    tmp_path_factory: pytest.TempPathFactory, mongo_uri: str, redis_url: str
) -> Iterator[dict[str, Any]]:
    """The replayed crawl plus the extra documents; yields the env and the report day."""
    name = f"yqtest_{uuid.uuid4().hex[:12]}"
    env = yuqing_env(
        MONGO_URI=mongo_uri,
        REDIS_URL=redis_url,
        MONGO_DATABASE=name,
        YUQING_DATA_DIR=str(tmp_path_factory.mktemp("data")),
    )
    crawl = run_yuqing(
        "run",
        "--replay",
        "-s",
        "frontpage",
        "-s",
        "people",
        "-s",
        "weibo",
        "--no-progress",
        env=env,
    )
    assert crawl.returncode == 0, crawl.stderr[-3000:]
    client: pymongo.MongoClient = pymongo.MongoClient(mongo_uri, tz_aware=True)
    db = client[name]
    newest = db.opinions.find_one(sort=[("first_seen_at", -1)])
    assert newest is not None, crawl.stderr[-3000:]
    day = newest["first_seen_at"].astimezone(TZ).date()
    db.opinions.insert_many(repost_chain(day))
    db.opinions.insert_one(
        opinion(
            "url:report-older",
            day - timedelta(days=3),
            9,
            source="jxnews",
            title="三天前的旧闻",
            media={"name": "大江网", "tier": "provincial_key", "province": "江西"},
            event_id=None,
        )
    )
    db.opinion_metrics.insert_many(metrics(day))
    db.events.insert_one(event_doc(day))
    db.opinions.insert_one(alone_item(day))
    db.events.insert_one(
        {
            **event_doc(day),
            "_id": ALONE,
            "member_count": 1,
            "members": ["url:report-alone"],
            "level": "important",
        }
    )
    db.crawl_stats.insert_one(failed_period(day))
    db.crawl_stats.insert_one(board_period(day))
    yield {"env": env, "day": day, "db": db}
    client.drop_database(name)
    client.close()


def report(replayed: dict[str, Any], tmp_path: Path, *args: str) -> Path:
    fmt = args[args.index("--format") + 1] if "--format" in args else "html"
    out = tmp_path / f"report.{fmt}"  # chromium reads a file by its extension
    result = run_yuqing("report", *args, "--out", str(out), env=replayed["env"])
    assert result.returncode == 0, result.stderr[-3000:]
    assert "report " in result.stderr
    return out


def test_day_and_week_windows_are_beijing_calendar_days():
    window = day_window(date(2026, 11, 26))
    assert window.start == datetime(2026, 11, 25, 16, tzinfo=UTC)
    assert window.end == datetime(2026, 11, 26, 16, tzinfo=UTC)
    week = week_window(date(2026, 11, 26))
    assert week.start == datetime(2026, 11, 19, 16, tzinfo=UTC)
    assert week.label == "2026-11-20 — 2026-11-26"


def test_charts_use_a_font_that_has_chinese_glyphs():
    family = charts.cjk_family()
    assert family is not None, "install fonts-wqy-zenhei (scripts/install.sh)"
    path = font_manager.findfont(
        font_manager.FontProperties(family=family), fallback_to_default=False
    )
    font = FT2Font(path)
    assert all(font.get_char_index(ord(ch)) for ch in "南昌舆情分省域")


@pytest.mark.slow
def test_json_daily_report_has_every_section(replayed, tmp_path):
    db, day = replayed["db"], replayed["day"]
    data = json.loads(
        report(replayed, tmp_path, "--date", day.isoformat(), "--format", "json").read_text()
    )
    window = day_window(day)
    span = {"$gte": window.start, "$lt": window.end}
    expected = db.opinions.count_documents(
        {"$or": [{"published_at": span}, {"first_seen_at": span}]}
    )
    assert data["kind"] == "daily"
    assert data["overview"]["total"] == expected
    assert "url:report-older" not in {i["id"] for i in data["important"]}
    assert {"news", "weibo"} <= set(data["overview"]["by_platform"])
    levels = [i["level"] for i in data["important"]]
    assert levels[0] == "urgent"
    assert set(levels) <= {"urgent", "important"}
    assert levels == sorted(levels, key=lambda lv: lv != "urgent")
    bigv = next(i for i in data["important"] if i["id"] == "weibo:5200000000000001")
    assert bigv["big_v"] == "南昌生活大V"
    assert bigv["first_publisher"]["name"] == "澎湃新闻"
    # 首发 only for the first publisher of a story others carried; an item alone in its
    # event (the crawled ones) has no first publisher to name.
    notes = {i["id"]: i["first_note"] for i in data["important"]}
    assert notes["url:report-first"] == "首发"
    assert notes["weibo:5200000000000001"] == "澎湃新闻"
    assert notes["url:report-alone"] == "—"
    portal = next(i for i in data["important"] if i["id"] == "url:report-portal")
    assert portal["front_page"] == ["netease·要闻#3"]
    assert portal["routed_to"] == ["青山湖区", "城管"]
    # The crawled people.com.cn front page placed its articles; a neutral report on it is
    # general under the office's rule (issue 11: important = Nanchang AND negative AND ...).
    assert db.opinions.find_one({"source": "people", "front_page.0": {"$exists": True}})
    places = {g["name"]: g for g in data["jurisdictions"]}
    assert places["青山湖区"]["important"] >= 3
    assert "城管" in {g["name"] for g in data["departments"]}
    assert data["provinces"]["上海"] >= 1
    assert data["provinces"]["广东"] == 1
    event = data["events"][0]
    assert event["id"] == EVENT  # urgent before important
    assert [s["media"] for s in event["spread"]] == ["澎湃新闻", "南方都市报", "微博"]
    assert event["sites_count"] == {"www.thepaper.cn": 1, "www.163.com": 1, "weibo.com": 1}
    assert [p["interactions"] for p in event["series"]] == [15.0, 465.0, 3615.0]
    # Events of one item are listed, not charted as events.
    assert all(e["member_count"] > 1 for e in data["events"])
    singles = {e["id"] for e in data["single_events"]}
    assert EVENT not in singles
    assert ALONE in singles
    assert singles <= {i["event_id"] for i in db.opinions.find({"event_id": {"$ne": None}})}
    # One row per source key, as `yuqing sources` names them, not per spider.
    health = {h["source"]: h for h in data["health"]}
    assert health["tieba"]["status"] == "errors"
    assert health["tieba"]["errors"] == {"timeout": 2, "http_403": 1}
    assert health["tieba"]["problems"] == ["连接超时 2 次", "网站返回 HTTP 403 1 次"]
    board = health["dajiang_bbs"]
    assert (board["spider"], board["status"]) == ("discuz", "errors")
    assert (board["items"], board["stored"], board["refused"]) == (4, 3, 1)
    assert board["problems"] == ["bbs.jxnews.com.cn 域名解析失败 3 次", "数据库拒收 1 条"]
    assert "discuz" not in health
    assert "gov_board" not in health
    assert health["nc12345"]["status"] == "not crawled"
    people = db.opinions.count_documents({"source": "people", "crawled_at": {"$exists": True}})
    assert health["people"]["status"] == "ok"
    assert 0 < health["people"]["stored"] <= people  # what MongoDB acknowledged
    assert health["xinhua"]["status"] == "not crawled"


@pytest.mark.slow
def test_week_report_counts_each_day(replayed, tmp_path):
    day = replayed["day"]
    data = json.loads(
        report(
            replayed, tmp_path, "--date", day.isoformat(), "--week", "--format", "json"
        ).read_text()
    )
    assert data["kind"] == "weekly"
    days = {d["day"]: d for d in data["days"]}
    assert len(days) == 7
    assert max(days) == day.isoformat()
    assert days[(day - timedelta(days=3)).isoformat()]["total"] >= 1  # the older item
    assert sum(d["total"] for d in days.values()) == data["overview"]["total"]


@pytest.mark.slow
def test_event_report_shows_the_spread_path_in_time(replayed, tmp_path):
    text = report(replayed, tmp_path, "--event", EVENT, "--format", "md").read_text()
    assert "舆情专报" in text
    first, portal, bigv = (text.index(m) for m in ("澎湃新闻（首发）", "南方都市报", "微博"))
    assert first < portal < bigv
    missing = run_yuqing("report", "--event", "ev:nosuchevent", env=replayed["env"])
    assert missing.returncode != 0
    assert "no event" in missing.stderr


@pytest.mark.slow
def test_html_report_renders_in_chromium_with_every_chart(replayed, tmp_path):
    from playwright.sync_api import sync_playwright

    day, db = replayed["day"], replayed["db"]
    page_file = report(replayed, tmp_path, "--date", day.isoformat(), "--format", "html")
    crawled = db.opinions.find_one({"source": "people", "level": "important"})
    requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.on("request", lambda r: requests.append(r.url))
        page.goto(page_file.resolve().as_uri())
        page.wait_for_load_state("load")
        shot = tmp_path / "report.png"
        page.screenshot(path=str(shot), full_page=True)
        headings = page.locator("h2").all_inner_texts()
        text = page.inner_text("body")
        images = page.evaluate(
            "Array.from(document.images).map(i => [i.alt, i.complete, i.naturalWidth])"
        )
        browser.close()
    assert headings == HEADINGS
    assert crawled["title"] in text
    assert "青山湖区某小区垃圾清运停摆三天 居民投诉" in text
    assert "南昌生活大V" in text
    # Sources' health says in words which source failed and why.
    assert "连接超时×2" in text
    assert "2 个来源有失败" in text
    assert "dajiang_bbs：bbs.jxnews.com.cn 域名解析失败 3 次；数据库拒收 1 条" in text
    assert "tieba：连接超时 2 次；网站返回 HTTP 403 1 次" in text
    assert "timeout×2" not in text
    # Level reasons in words, not codes.
    assert "3个以上站点转载" in text
    assert "热度达60" in text
    assert "sites>=3" not in text
    assert "heat>=60" not in text
    assert "本期未采集" in text
    assert "built-in method" not in text
    assert "分省域统计" in text
    assert "广东" in text
    # overview 3, jurisdiction, department, province, health, 2 per event (at least ours)
    assert len(images) >= 9
    assert all(ok and width > 0 for _, ok, width in images), images
    # Trend charts only for events of several members (the top five at most).
    assert 1 <= [alt for alt, _, _ in images].count("事件趋势") <= 5
    assert {"事件趋势", "传播站点", "分省域统计", "平台分布"} <= {alt for alt, _, _ in images}
    assert {"采集入库", "采集失败"} <= {alt for alt, _, _ in images}  # both have data
    assert requests
    assert all(url.startswith(("file:", "data:")) for url in requests), requests
    assert shot.stat().st_size > 50_000


@pytest.mark.slow
def test_markdown_report_escapes_titles_and_says_reasons_in_words(replayed, tmp_path):
    day = replayed["day"]
    text = report(replayed, tmp_path, "--date", day.isoformat(), "--format", "md").read_text()
    row = next(line for line in text.splitlines() if "url:report-alone" in line)
    assert (
        "[西湖区某路段\\*夜间施工\\*扰民 \\[市民反映\\]](https://example.cn/url:report-alone)"
        in row
    )
    assert "省级重点媒体刊载；涉敏感" in row
    assert "key_media" not in text
    assert "| — |" in row  # alone in its event: no 首发
    assert "tieba**：连接超时 2 次；网站返回 HTTP 403 1 次" in text
