"""yuqing_spiders.model.timeparse: site timestamps in Asia/Shanghai -> aware UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from yuqing_spiders.model.timeparse import (
    find_datetime_in_text,
    has_time_of_day,
    normalize,
    parse_datetime,
    same_local_day,
)

# 2026-11-25 10:00 in Beijing; every relative case below counts back from here.
NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # people.com.cn meta line: no space between date and time.
        ("2026年11月25日09:41", utc(2026, 11, 25, 1, 41)),
        ("2026年11月25日 09:41", utc(2026, 11, 25, 1, 41)),
        ("2026-11-25 09:41:00", utc(2026, 11, 25, 1, 41)),
        ("2026-11-25 9:41", utc(2026, 11, 25, 1, 41)),
        # A date alone is local midnight, which is the previous day in UTC.
        ("2026/11/25", utc(2026, 11, 24, 16, 0)),
        ("2026.11.25", utc(2026, 11, 24, 16, 0)),
        ("20261125", utc(2026, 11, 24, 16, 0)),
        ("2026年11月25日 09时41分", utc(2026, 11, 25, 1, 41)),
        ("2026-11-25 09时41分30秒", utc(2026, 11, 25, 1, 41, 30)),
        # Full-width digits, colon and ideographic space, as pasted from Word.
        ("２０２６年１１月２５日　０９：４１", utc(2026, 11, 25, 1, 41)),
        ("２０２６－１１－２５ ０９：４１", utc(2026, 11, 25, 1, 41)),
        # An explicit offset wins over the site zone.
        ("2026-11-25T09:41:00+08:00", utc(2026, 11, 25, 1, 41)),
        ("2026-11-25T01:41:00Z", utc(2026, 11, 25, 1, 41)),
        ("Tue, 25 Nov 2026 01:41:00 GMT", utc(2026, 11, 25, 1, 41)),
        ("发布时间：2026-11-20 10:30", utc(2026, 11, 20, 2, 30)),
    ],
)
def test_absolute_forms(text: str, expected: datetime) -> None:
    assert parse_datetime(text, now=NOW) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("刚刚", NOW),
        ("5分钟前", NOW - timedelta(minutes=5)),
        ("3小时前", NOW - timedelta(hours=3)),
        ("半小时前", NOW - timedelta(minutes=30)),
        ("2天前", NOW - timedelta(days=2)),
        # 昨天 12:30 Beijing = 24 Nov 04:30 UTC.
        ("昨天 12:30", utc(2026, 11, 24, 4, 30)),
        ("昨天12:30", utc(2026, 11, 24, 4, 30)),
        ("今天 08:00", utc(2026, 11, 25, 0, 0)),
        ("09:41", utc(2026, 11, 25, 1, 41)),
    ],
)
def test_relative_forms_count_from_now(text: str, expected: datetime) -> None:
    assert parse_datetime(text, now=NOW) == expected


def test_relative_forms_follow_the_site_day_not_the_utc_day() -> None:
    # 2026-11-24 17:00 UTC is already 25 Nov 01:00 in Beijing, so 昨天 is the 24th there.
    late_utc = utc(2026, 11, 24, 17, 0)
    assert parse_datetime("昨天 12:30", now=late_utc) == utc(2026, 11, 24, 4, 30)


def test_naive_now_is_taken_as_utc() -> None:
    naive = datetime(2026, 11, 25, 2, 0)
    assert parse_datetime("3小时前", now=naive) == parse_datetime("3小时前", now=NOW)


def test_aware_now_in_another_zone_is_the_same_instant() -> None:
    beijing = NOW.astimezone(timezone(timedelta(hours=8)))
    assert parse_datetime("昨天 12:30", now=beijing) == utc(2026, 11, 24, 4, 30)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("11月25日 09:41", utc(2026, 11, 25, 1, 41)),
        ("11月25日09:41", utc(2026, 11, 25, 1, 41)),
        ("11-25 09:41", utc(2026, 11, 25, 1, 41)),
        # A month-day after today cannot be this year's news: it is last December.
        ("12-25 09:41", utc(2025, 12, 25, 1, 41)),
        ("12/25", utc(2025, 12, 24, 16, 0)),
    ],
)
def test_month_day_without_year_takes_the_year_from_now(text: str, expected: datetime) -> None:
    assert parse_datetime(text, now=NOW) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1764034860, utc(2025, 11, 25, 1, 41)),
        (1764034860000, utc(2025, 11, 25, 1, 41)),
        ("1764034860", utc(2025, 11, 25, 1, 41)),
        ("1764034860000", utc(2025, 11, 25, 1, 41)),
        (1764034860.5, utc(2025, 11, 25, 1, 41, 0, 500000)),
    ],
)
def test_epoch_seconds_and_milliseconds(value: int | float | str, expected: datetime) -> None:
    assert parse_datetime(value) == expected


@pytest.mark.parametrize(
    "value",
    [None, "", "   ", "abc", "来源：人民网", "2026-13-45", "1", "2026", "12345", 12345, True],
)
def test_unreadable_values_give_none(value: object) -> None:
    assert parse_datetime(value, now=NOW) is None  # type: ignore[arg-type]


def test_results_are_aware_utc() -> None:
    parsed = parse_datetime("2026年11月25日09:41")
    assert parsed is not None
    assert parsed.utcoffset() == timedelta(0)


def test_tz_argument_sets_the_zone_of_naive_text() -> None:
    assert parse_datetime("2026-11-25 09:41", tz="UTC") == utc(2026, 11, 25, 9, 41)
    assert parse_datetime("2026-11-25 09:41", tz="Asia/Tokyo") == utc(2026, 11, 25, 0, 41)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # New people.com.cn meta line.
        ("2026年11月25日09:41 | 来源：人民网－江西频道", utc(2026, 11, 25, 1, 41)),
        # Old template: the time and 来源 separated by &nbsp;.
        ("2019年04月22日08:20\xa0\xa0来源：人民网-江西频道", utc(2019, 4, 22, 0, 20)),
        # ENORTH span#pubtime_baidu and a gov-portal label.
        ("2026-11-24 09:35:12", utc(2026, 11, 24, 1, 35, 12)),
        ("发布时间：2026-11-20 10:30 来源：南昌市教育局 浏览次数：1024", utc(2026, 11, 20, 2, 30)),
        ("日期：2026/11/20", utc(2026, 11, 19, 16, 0)),
        # The first timestamp wins, not the later one.
        ("2026-11-24 09:35 更新于 2026-11-25 10:00", utc(2026, 11, 24, 1, 35)),
    ],
)
def test_find_datetime_in_text(text: str, expected: datetime) -> None:
    assert find_datetime_in_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "来源：人民网",
        # Article URL parts and phone numbers are not dates.
        "/n2/2026/1125/c186330-41401779.html",
        "电话：0791-86661234",
        "2026年",
    ],
)
def test_find_datetime_in_text_without_a_timestamp(text: str | None) -> None:
    assert find_datetime_in_text(text) is None


def test_find_datetime_in_text_uses_tz() -> None:
    assert find_datetime_in_text("时间：2026-11-25 09:41", tz="UTC") == utc(2026, 11, 25, 9, 41)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-25 09:41", True),
        ("2026年11月25日09时41分", True),
        ("２０２６－１１－２５　０９：４１", True),
        ("2026-11-25", False),
        ("2026年11月25日", False),
    ],
)
def test_has_time_of_day(text: str, expected: bool) -> None:
    assert has_time_of_day(text) is expected


def test_same_local_day_is_judged_in_the_site_zone() -> None:
    # 16:30 UTC on the 24th and 01:00 UTC on the 25th are both 25 Nov in Beijing.
    assert same_local_day(utc(2026, 11, 24, 16, 30), utc(2026, 11, 25, 1, 0))
    assert not same_local_day(utc(2026, 11, 24, 15, 30), utc(2026, 11, 25, 1, 0))
    assert not same_local_day(utc(2026, 11, 24, 16, 30), utc(2026, 11, 25, 1, 0), "UTC")


def test_normalize_folds_chinese_shapes() -> None:
    assert normalize("２０２６年１１月２５日　０９时４１分") == "2026-11-25 09:41"


# The shapes the fast path reads without dateparser (issue 13), and near misses it must
# leave to dateparser or refuse the way dateparser does.
FAST_SHAPES = [
    "2026-11-25",
    "2026-11-25 09:41",
    "2026-11-25 9:41:07",
    "2026-1-5 7:05",
    "2026年11月25日 09:41",
    "2026年11月25日09:41",
    "２０２６年１１月２５日　０９：４１",
    "2026/11/25 09:41",
    "2026.11.25 09:41:30",
    "2026-11-25T09:41:00",
    "2026-11-25T09:41:00+08:00",
    "2026-11-25T01:41:00Z",
    "2026-11-25T09:41:00-05:00",
    "2026-11-25 09:41:00+0800",
    "2026-02-30 10:00",
    "2026-11-25 24:00",
    "2026-11-25 09:41:61",
]


@pytest.mark.parametrize("text", FAST_SHAPES)
def test_fast_path_gives_what_dateparser_gives(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from yuqing_spiders.model import timeparse

    fast = parse_datetime(text, now=NOW)
    # The same text through dateparser alone: the fast shapes switched off.
    monkeypatch.setattr(timeparse, "_FAST_RE", __import__("re").compile(r"(?!)"))
    assert parse_datetime(text, now=NOW) == fast


@pytest.mark.parametrize("text", ["2026-11-25 09:41", "2026年11月25日 09:41", "2026-11-25"])
def test_fast_shapes_never_reach_dateparser(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from yuqing_spiders.model import timeparse

    def refuse(*_: object) -> None:
        raise AssertionError("dateparser called for a fast shape")

    monkeypatch.setattr(timeparse, "_dateparse", refuse)
    assert parse_datetime(text) is not None


# "0001-01-01" is what .NET and Java templates print for a date never set; in Beijing
# time it falls before year 1 once converted to UTC. Seen on the fixture pages.
@pytest.mark.parametrize(
    "text", ["0001-01-01 00:00", "0001-1-1", "0001-01-01T00:00:00+08:00", "发布时间：0001-1-1"]
)
def test_a_placeholder_date_before_year_one_in_utc_is_unreadable_not_an_error(
    text: str,
) -> None:
    assert parse_datetime(text, now=NOW) is None
