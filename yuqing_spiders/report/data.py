"""What the reports show, read from MongoDB as plain dicts (no rendering here).

Windows are calendar days in Asia/Shanghai. An item belongs to a window when it was
published or first found in it (`published_at` / `first_seen_at`), so a report made
the morning after still lists what was published late the day before.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pymongo.database import Database

TZ = ZoneInfo("Asia/Shanghai")
LEVEL_RANK = {"urgent": 2, "important": 1, "general": 0}
IMPORTANT = ("urgent", "important")
NO_PROVINCE = "全国性/未知"
NO_PLACE = "南昌市（未定区县）"
OUTSIDE = "其他地区/未识别"
TOP_EVENTS = 5
ITEM_FIELDS = {
    "title": 1, "url": 1, "source": 1, "platform": 1, "media": 1, "author": 1,
    "published_at": 1, "first_seen_at": 1, "level": 1, "level_reasons": 1,
    "routed_to": 1, "front_page": 1, "jurisdiction": 1, "departments": 1,
    "sentiment": 1, "heat": 1, "event_id": 1, "repost_of": 1, "is_first_publisher": 1,
}  # fmt: skip


@dataclass(frozen=True)
class Window:
    """A half-open UTC interval named by its Shanghai dates."""

    start: datetime
    end: datetime
    kind: str  # daily | weekly | event

    @property
    def label(self) -> str:
        first = self.start.astimezone(TZ).date()
        last = (self.end - timedelta(microseconds=1)).astimezone(TZ).date()
        return first.isoformat() if first == last else f"{first} — {last}"


def day_window(day: date) -> Window:
    start = datetime.combine(day, time(0), TZ).astimezone(UTC)
    return Window(start, start + timedelta(days=1), "daily")


def week_window(last_day: date) -> Window:
    """The seven days that end with `last_day`."""
    end = datetime.combine(last_day + timedelta(days=1), time(0), TZ).astimezone(UTC)
    return Window(end - timedelta(days=7), end, "weekly")


def local(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(TZ)


def window_query(window: Window) -> dict[str, Any]:
    span = {"$gte": window.start, "$lt": window.end}
    return {"$or": [{"published_at": span}, {"first_seen_at": span}]}


def load_items(db: Database, window: Window) -> list[dict[str, Any]]:
    return list(db.opinions.find(window_query(window), ITEM_FIELDS))


def level_of(item: dict[str, Any]) -> str:
    return item.get("level") or "general"


def sentiment_of(item: dict[str, Any]) -> str:
    return (item.get("sentiment") or {}).get("label") or "unknown"


def is_important(item: dict[str, Any]) -> bool:
    return item.get("level") in IMPORTANT


def overview(items: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "total": len(items),
        "important": sum(1 for i in items if is_important(i)),
        "events": len({i["event_id"] for i in items if i.get("event_id")}),
        "by_platform": dict(Counter(i.get("platform") or "unknown" for i in items).most_common()),
        "by_level": {lv: n for lv in LEVEL_RANK if (n := sum(level_of(i) == lv for i in items))},
        "by_sentiment": dict(Counter(sentiment_of(i) for i in items).most_common()),
    }


def importance_key(item: dict[str, Any]) -> tuple[int, float]:
    return (-LEVEL_RANK.get(level_of(item), 0), -(item.get("heat") or 0.0))


def first_publishers(db: Database, items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    ids = {i["repost_of"] for i in items if i.get("repost_of")}
    if not ids:
        return {}
    docs = db.opinions.find(
        {"_id": {"$in": sorted(ids)}}, {"title": 1, "url": 1, "media": 1, "source": 1}
    )
    return {d["_id"]: publisher_of(d) for d in docs}


def publisher_of(doc: dict[str, Any]) -> dict[str, Any]:
    media = doc.get("media") or {}
    return {"id": doc["_id"], "name": media.get("name") or doc.get("source"), "url": doc.get("url")}


def event_sizes(db: Database, items: list[dict[str, Any]]) -> dict[str, int]:
    ids = sorted({i["event_id"] for i in items if i.get("event_id")})
    if not ids:
        return {}
    docs = db.events.find({"_id": {"$in": ids}}, {"member_count": 1, "members": 1})
    return {d["_id"]: int(d.get("member_count") or len(d.get("members") or [])) for d in docs}


def important_items(db: Database, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    chosen = sorted((i for i in items if is_important(i)), key=importance_key)
    originals = first_publishers(db, chosen)
    sizes = event_sizes(db, chosen)
    return [important_row(i, originals, sizes) for i in chosen]


def first_note(item: dict[str, Any], first: dict[str, Any], sizes: dict[str, int]) -> str:
    """首发 only for the first publisher of a story others carried; a repost names its
    first publisher; an item nobody else carried has no first publisher to name."""
    if item.get("repost_of"):
        return str(first.get("name") or first.get("id") or "—")
    if item.get("is_first_publisher") and sizes.get(item.get("event_id") or "", 0) > 1:
        return "首发"
    return "—"


def important_row(
    item: dict[str, Any],
    originals: dict[str, dict[str, Any]],
    sizes: dict[str, int] | None = None,
) -> dict[str, Any]:
    media, author = item.get("media") or {}, item.get("author") or {}
    first = originals.get(item.get("repost_of") or "") or (
        {"id": item["_id"], "name": media.get("name") or item.get("source"), "url": item.get("url")}
        if item.get("is_first_publisher") or not item.get("repost_of")
        else {"id": item["repost_of"], "name": None, "url": None}
    )
    return {
        "id": item["_id"],
        "title": item.get("title") or "(无标题)",
        "url": item.get("url"),
        "source": item.get("source"),
        "platform": item.get("platform"),
        "media": media.get("name"),
        "tier": media.get("tier"),
        "published_at": local(item.get("published_at")),
        "level": level_of(item),
        "reasons": list(item.get("level_reasons") or []),
        "routed_to": list(item.get("routed_to") or []),
        "front_page": [
            f"{p.get('site')}·{p.get('block')}#{p.get('position')}"
            for p in item.get("front_page") or []
        ],
        "big_v": author.get("name") if author.get("is_big_v") else None,
        "is_first_publisher": bool(item.get("is_first_publisher")),
        "first_publisher": first,
        "first_note": first_note(item, first, sizes or {}),
        "event_members": (sizes or {}).get(item.get("event_id") or "", 0),
        "heat": item.get("heat"),
        "event_id": item.get("event_id"),
    }


def place_of(item: dict[str, Any]) -> str:
    place = item.get("jurisdiction") or {}
    if place.get("zone") or place.get("district"):
        return place.get("zone") or place["district"]
    return NO_PLACE if place.get("city") == "南昌市" else OUTSIDE


def grouped(items: list[dict[str, Any]], keys_of: Any) -> list[dict[str, Any]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        for key in keys_of(item):
            groups[key].append(item)
    rows = [group_row(name, members) for name, members in groups.items()]
    return sorted(rows, key=lambda r: (-r["important"], -r["count"], r["name"]))


def group_row(name: str, members: list[dict[str, Any]]) -> dict[str, Any]:
    top = sorted(members, key=importance_key)[:5]
    return {
        "name": name,
        "count": len(members),
        "important": sum(1 for m in members if is_important(m)),
        "negative": sum(1 for m in members if sentiment_of(m) == "negative"),
        "top": [
            {"title": m.get("title") or "(无标题)", "url": m.get("url"), "level": level_of(m)}
            for m in top
        ],
    }


def by_jurisdiction(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return grouped(items, lambda i: [place_of(i)])


def by_department(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return grouped(items, lambda i: list(dict.fromkeys(i.get("departments") or [])))


def by_province(items: list[dict[str, Any]]) -> dict[str, int]:
    """Important items per province of their medium (分省域统计)."""
    counts = Counter(
        (i.get("media") or {}).get("province") or NO_PROVINCE for i in items if is_important(i)
    )
    return dict(counts.most_common())


def top_events(
    db: Database, items: list[dict[str, Any]], limit: int = TOP_EVENTS
) -> list[dict[str, Any]]:
    ids = sorted({i["event_id"] for i in items if i.get("event_id")})
    if not ids:
        return []
    events = list(db.events.find({"_id": {"$in": ids}}))
    events.sort(
        key=lambda e: (
            -LEVEL_RANK.get(e.get("level") or "general", 0),
            -(e.get("heat") or 0.0),
            e["_id"],
        )
    )
    return [event_detail(db, e) for e in events if members_of(e) > 1][:limit]


def members_of(event: dict[str, Any]) -> int:
    return int(event.get("member_count") or len(event.get("members") or []))


def single_events(
    db: Database, items: list[dict[str, Any]], limit: int = 2 * TOP_EVENTS
) -> list[dict[str, Any]]:
    """The hottest "events" of one item: listed in a line each, never charted (a
    one-point trend over ten days says nothing)."""
    ids = sorted({i["event_id"] for i in items if i.get("event_id")})
    if not ids:
        return []
    events = [e for e in db.events.find({"_id": {"$in": ids}}) if members_of(e) <= 1]
    events.sort(
        key=lambda e: (
            -LEVEL_RANK.get(e.get("level") or "general", 0),
            -(e.get("heat") or 0.0),
            e["_id"],
        )
    )
    by_event = {i.get("event_id"): i for i in items if i.get("event_id")}
    rows = []
    for event in events[:limit]:
        item = by_event.get(event["_id"]) or {}
        media = item.get("media") or {}
        rows.append(
            {
                "id": event["_id"],
                "title": item.get("title") or "(无标题)",
                "url": item.get("url"),
                "media": media.get("name") or item.get("source"),
                "level": event.get("level") or "general",
                "heat": event.get("heat"),
                "published_at": local(item.get("published_at")),
            }
        )
    return rows


def event_detail(db: Database, event: dict[str, Any]) -> dict[str, Any]:
    spread = spread_path(db, event)
    first = event.get("first") or {}
    return {
        "id": event["_id"],
        "title": spread[0]["title"] if spread else None,
        "level": event.get("level") or "general",
        "level_reasons": list(event.get("level_reasons") or []),
        "heat": event.get("heat"),
        "trend": (event.get("trend") or {}).get("label"),
        "member_count": event.get("member_count") or len(spread),
        "sites": list(event.get("sites") or []),
        "tiers": list(event.get("tiers") or []),
        "platforms": list(event.get("platforms") or []),
        "central_first": bool(event.get("central_first")),
        "metrics": dict(event.get("metrics") or {}),
        "first": {**first, "published_at": local(first.get("published_at"))},
        "spread": spread,
        "sites_count": dict(Counter(s["site"] for s in spread).most_common()),
        "series": metrics_series(db, [s["id"] for s in spread]),
    }


def spread_path(db: Database, event: dict[str, Any]) -> list[dict[str, Any]]:
    """The members in time order: the first publisher, then the reposts."""
    fields = {"title": 1, "url": 1, "media": 1, "source": 1, "platform": 1, "published_at": 1,
              "first_seen_at": 1, "is_first_publisher": 1, "level": 1}  # fmt: skip
    docs = list(db.opinions.find({"event_id": event["_id"]}, fields))
    rows = [spread_row(d) for d in docs]
    return sorted(rows, key=lambda r: (not r["is_first_publisher"], r["at"], r["id"]))


def spread_row(doc: dict[str, Any]) -> dict[str, Any]:
    media = doc.get("media") or {}
    return {
        "id": doc["_id"],
        "title": doc.get("title") or "(无标题)",
        "url": doc.get("url"),
        "site": media.get("domain") or doc.get("source") or "?",
        "media": media.get("name") or doc.get("source"),
        "tier": media.get("tier"),
        "platform": doc.get("platform"),
        "at": local(doc.get("published_at") or doc.get("first_seen_at")),
        "is_first_publisher": bool(doc.get("is_first_publisher")),
    }


def interactions(point: dict[str, Any]) -> float:
    return sum(point.get(k) or 0 for k in ("comments", "reposts", "likes")) + 0.05 * (
        point.get("reads") or 0
    )


def metrics_series(db: Database, opinion_ids: list[str]) -> list[dict[str, Any]]:
    """Summed interactions (latest per member) and members seen, at each crawl."""
    if not opinion_ids:
        return []
    points = db.opinion_metrics.find({"opinion_id": {"$in": opinion_ids}}).sort("at", 1)
    latest: dict[str, float] = {}
    series = []
    for point in points:
        latest[point["opinion_id"]] = interactions(point)
        series.append(
            {
                "at": local(point["at"]),
                "interactions": round(sum(latest.values()), 2),
                "members": len(latest),
            }
        )
    return series


def source_health(
    db: Database, window: Window, configured: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    """What each source crawled, stored and lost, from `crawl_stats` periods in the
    window; `configured` maps every source key (as `yuqing sources` lists them) to its
    spider, so a source that never ran is listed too."""
    docs = db.crawl_stats.find({"period.end": {"$gte": window.start, "$lt": window.end}})
    rows: dict[str, dict[str, Any]] = {}
    served: dict[str, list[str]] = defaultdict(list)
    for source, spider in (configured or {}).items():
        served[spider].append(source)
    for doc in docs:
        for source, counts in period_by_source(doc, served).items():
            row = rows.setdefault(source, empty_health(source, str(doc.get("spider") or "")))
            add_period(row, doc, source, counts)
    for source, spider in (configured or {}).items():
        rows.setdefault(source, empty_health(source, spider))
    order = {"errors": 0, "no pages": 1, "ok": 2, "not crawled": 3}
    rows_out = [finish_health(r) for r in rows.values()]
    return sorted(rows_out, key=lambda r: (order[r["status"]], r["source"]))


HEALTH_COUNTS = (
    "pages",
    "items",
    "stored",
    "spooled",
    "refused",
    "requests_failed",
    "items_failed",
)
SOURCE_PREFIX = "yuqing/source/"  # per-source stats (yuqing_spiders/ops/source_counts.py)


def period_by_source(
    doc: dict[str, Any], served: Mapping[str, list[str]] | None = None
) -> dict[str, dict[str, Any]]:
    """One period's counts per source: its ``by_source`` (ops/crawl_stats.py), or, in a
    period with none (written before it, or in which nothing happened), the spider's
    counts under its only source (`served`: spider -> its configured sources), else
    under the spider's name."""
    if doc.get("by_source"):
        result = {}
        for source, entry in (doc.get("by_source") or {}).items():
            errors = dict(entry.get("errors") or {})
            lost = {r: n for r, n in errors.items() if r.startswith(("item_", "parse_"))}
            result[source] = {
                **{k: entry.get(k, 0) for k in ("pages", "items", "stored", "spooled", "refused")},
                "requests_failed": sum(errors.values()) - sum(lost.values()),
                "items_failed": sum(lost.values()),
                "errors": errors,
            }
        return result
    spider = str(doc.get("spider"))
    sources = list((served or {}).get(spider) or doc.get("sources") or [])
    source = sources[0] if len(sources) == 1 else spider
    counts = doc.get("counts") or {}
    return {
        source: {
            **{k: counts.get(k) or 0 for k in HEALTH_COUNTS},
            "errors": dict(doc.get("errors") or {}),
        }
    }


def empty_health(source: str, spider: str) -> dict[str, Any]:
    return {
        "source": source,
        "spider": spider,
        "runs": set(),
        "errors": Counter(),
        "where": {},
        "last": None,
        "unfinished": [],
        "fatal": None,
        **dict.fromkeys(HEALTH_COUNTS, 0),
    }


def add_period(
    row: dict[str, Any], doc: dict[str, Any], source: str, counts: dict[str, Any]
) -> None:
    for key in HEALTH_COUNTS:
        row[key] += counts.get(key) or 0
    row["errors"].update(counts.get("errors") or {})
    row["runs"].add(doc.get("run_id"))
    end = local((doc.get("period") or {}).get("end"))
    row["last"] = max(filter(None, (row["last"], end)), default=None)
    # A run's ending and fatal stop concern every source it served.
    if doc.get("final") and doc.get("finish_reason") not in (None, "finished"):
        row["unfinished"].append(doc.get("finish_reason"))
    stats = doc.get("stats") or {}
    row["fatal"] = stats.get("yuqing/fatal") or row["fatal"]
    # yuqing/source/<source>/failed_host/<reason> = the host that failed last
    prefix = f"{SOURCE_PREFIX}{source}/failed_host/"
    for key, value in stats.items():
        if key.startswith(prefix) and isinstance(value, str):
            row["where"][key[len(prefix) :]] = value


def finish_health(row: dict[str, Any]) -> dict[str, Any]:
    runs = len(row.pop("runs"))
    errors = dict(row.pop("errors").most_common())
    where = row.pop("where")
    unfinished = row.pop("unfinished")
    failed = row["requests_failed"] or row["items_failed"] or row["refused"]
    if not runs:
        status = "not crawled"
    elif failed or unfinished or row["fatal"]:
        status = "errors"
    elif not row["pages"]:
        status = "no pages"
    else:
        status = "ok"
    problems = health_problems(errors, where, unfinished, row["fatal"], row["refused"])
    return {**row, "runs": runs, "errors": errors, "status": status, "problems": problems}


def health_problems(
    errors: dict[str, int],
    where: dict[str, str],
    unfinished: list[str | None],
    fatal: str | None,
    refused: int = 0,
) -> list[str]:
    """What went wrong for one source, in sentences: "www.people.com.cn 域名解析失败 2 次"."""
    from yuqing_spiders.report.words import failure_in_words

    sentences = []
    for reason, count in errors.items():
        place = where.get(reason)
        sentences.append((f"{place} " if place else "") + f"{failure_in_words(reason)} {count} 次")
    if refused:
        sentences.append(f"数据库拒收 {refused} 条")
    if fatal:
        sentences.append(f"采集中止：{fatal}")
    for ending in unfinished:
        sentences.append(f"一次运行未正常结束（{ending}）")
    return sentences


def daily_counts(items: list[dict[str, Any]], window: Window) -> list[dict[str, Any]]:
    """Items and important items per Shanghai day of the window (weekly trend)."""
    days = (window.end - window.start).days
    first = window.start.astimezone(TZ).date()
    rows = {first + timedelta(days=n): {"total": 0, "important": 0} for n in range(days)}
    for item in items:
        day = item_day(item, window)
        if day in rows:
            rows[day]["total"] += 1
            rows[day]["important"] += int(is_important(item))
    return [{"day": d.isoformat(), **v} for d, v in rows.items()]


def item_day(item: dict[str, Any], window: Window) -> date | None:
    for field in ("published_at", "first_seen_at"):
        value = local(item.get(field))
        if value and window.start <= value < window.end:
            return value.date()
    return None


def period_report(
    db: Database, window: Window, configured: Mapping[str, str] | None = None
) -> dict[str, Any]:
    items = load_items(db, window)
    report = {
        "kind": window.kind,
        "label": window.label,
        "start": local(window.start),
        "end": local(window.end),
        "generated_at": datetime.now(TZ),
        "overview": overview(items),
        "important": important_items(db, items),
        "jurisdictions": by_jurisdiction(items),
        "departments": by_department(items),
        "provinces": by_province(items),
        "events": top_events(db, items),
        "single_events": single_events(db, items),
        "health": source_health(db, window, configured),
    }
    if window.kind == "weekly":
        report["days"] = daily_counts(items, window)
    return report


def event_report(db: Database, event_id: str) -> dict[str, Any] | None:
    event = db.events.find_one({"_id": event_id})
    if event is None:
        return None
    detail = event_detail(db, event)
    times = [s["at"] for s in detail["spread"] if s["at"]]
    return {
        "kind": "event",
        "label": detail["title"] or event_id,
        "start": min(times, default=None),
        "end": max(times, default=None),
        "generated_at": datetime.now(TZ),
        "event": detail,
    }
