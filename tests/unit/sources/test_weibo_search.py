"""Splitting a Weibo query that reaches the page cap (spiders/weibo/search.py).

Models: Weibo serves about 50 pages per query; dataabc/weibo-search splits by day, then
hour, then province, then city; timescope `custom:YYYY-MM-DD-H:...`
and region `custom:<prov>:<city>` (Jiangxi 36, Nanchang 1, 1000 = whole province).
"""

from __future__ import annotations

from datetime import UTC, datetime

from spiders.weibo.search import (
    PROVINCES,
    Slice,
    days_back,
    mobile_url,
    pages_of,
    pc_url,
    split,
)

NEWEST = datetime(2026, 11, 21, 7, 48, tzinfo=UTC)  # 15:48 in Nanchang


def test_levels_and_meta_round_trip() -> None:
    queries = [
        Slice("南昌地铁"),
        Slice("南昌地铁", "2026-11-21-0", "2026-11-22-0"),
        Slice("南昌地铁", "2026-11-21-15", "2026-11-21-16"),
        Slice("南昌地铁", "2026-11-21-15", "2026-11-21-16", "36:1000"),
        Slice("南昌地铁", "2026-11-21-15", "2026-11-21-16", "36:1"),
    ]
    assert [q.level for q in queries] == ["all", "day", "hour", "province", "city"]
    assert all(Slice.from_meta(q.to_meta()) == q for q in queries)


def test_whole_window_splits_into_days_ending_with_the_newest_post() -> None:
    days = split(Slice("南昌地铁"), newest=NEWEST, lookback_days=3)
    assert [(d.start, d.end) for d in days] == [
        ("2026-11-19-0", "2026-11-20-0"),
        ("2026-11-20-0", "2026-11-21-0"),
        ("2026-11-21-0", "2026-11-22-0"),
    ]
    # 23:30 UTC is already the next day in Nanchang.
    late = datetime(2026, 11, 20, 23, 30, tzinfo=UTC)
    assert [d.isoformat() for d in days_back(late, 1)] == ["2026-11-21"]
    assert split(Slice("南昌地铁"), newest=None, lookback_days=3) == []


def test_day_splits_into_hours_up_to_the_newest() -> None:
    day = Slice("南昌地铁", "2026-11-21-0", "2026-11-22-0")
    hours = split(day, newest=NEWEST, lookback_days=2)
    assert len(hours) == 16  # 0:00 .. 15:00; later hours have no posts yet
    assert (hours[0].start, hours[0].end) == ("2026-11-21-0", "2026-11-21-1")
    assert (hours[-1].start, hours[-1].end) == ("2026-11-21-15", "2026-11-21-16")
    earlier = Slice("南昌地铁", "2026-11-20-0", "2026-11-21-0")
    assert len(split(earlier, newest=NEWEST, lookback_days=2)) == 24
    assert split(earlier, newest=None, lookback_days=2)[-1].end == "2026-11-21-0"


def test_hour_splits_into_provinces_then_home_cities() -> None:
    hour = Slice("南昌地铁", "2026-11-21-15", "2026-11-21-16")
    provinces = split(hour, newest=NEWEST, lookback_days=2)
    assert [p.region for p in provinces] == [f"{code}:1000" for code in PROVINCES]
    assert "36:1000" in {p.region for p in provinces}
    jiangxi = Slice("南昌地铁", "2026-11-21-15", "2026-11-21-16", "36:1000")
    cities = split(jiangxi, newest=NEWEST, lookback_days=2)
    assert [c.region for c in cities] == [f"36:{n}" for n in range(1, 12)]
    assert all((c.start, c.end) == (jiangxi.start, jiangxi.end) for c in cities)
    # Narrowest reached: another province's hour, or a city, cannot be split.
    guangdong = Slice("南昌地铁", "2026-11-21-15", "2026-11-21-16", "44:1000")
    assert split(guangdong, newest=NEWEST, lookback_days=2) == []
    nanchang = Slice("南昌地铁", "2026-11-21-15", "2026-11-21-16", "36:1")
    assert split(nanchang, newest=NEWEST, lookback_days=2) == []


def test_urls_of_both_sites() -> None:
    # MC weibo/client.py: containerid=100103type%3D61%26q%3D<kw>&page_type=searchall&page=n.
    query = Slice("南昌地铁", "2026-11-21-15", "2026-11-21-16", "36:1")
    assert mobile_url(Slice("南昌地铁"), 2) == (
        "https://m.weibo.cn/api/container/getIndex?containerid=100103type%3D61%26q%3D"
        "%E5%8D%97%E6%98%8C%E5%9C%B0%E9%93%81&page_type=searchall&page=2"
    )
    assert "%26timescope%3Dcustom%3A2026-11-21-15%3A2026-11-21-16%26region%3Dcustom%3A36%3A1&" in (
        mobile_url(query)
    )
    # WS util.py: s.weibo.com/weibo?q=...&typeall=1&suball=1&timescope=custom:...&region=...
    assert pc_url(query, 3) == (
        "https://s.weibo.com/weibo?q=%E5%8D%97%E6%98%8C%E5%9C%B0%E9%93%81&typeall=1&suball=1"
        "&timescope=custom:2026-11-21-15:2026-11-21-16&region=custom:36:1&page=3"
    )


def test_pages_from_total_and_first_page_size() -> None:
    assert pages_of(500, 10) == 50
    assert pages_of(501, 10) == 51
    assert pages_of(20, 5) == 4
    assert pages_of(None, 10) == 1
    assert pages_of(7, 0) == 1
