"""Weibo keyword search queries, and how a query that hits the page cap is split.

Weibo serves at most about 50 result pages for one query, so a busy keyword is only
covered completely when the query is narrowed until every piece fits (
dataabc/weibo-search does the same): the whole window into days, a day into hours,
an hour into provinces, the home province (Jiangxi, 36) into its cities. Pieces
overlap only at their edges; posts are merged by mid downstream.

Two sites take the same slices:

- s.weibo.com (with a login cookie): `timescope=custom:YYYY-MM-DD-H:YYYY-MM-DD-H` and
  `region=custom:<province>:<city>` (`1000` = the whole province) as URL parameters.
- m.weibo.cn (visitor or login): the same two filters inside the container id,
  `100103type=61&q=<kw>&timescope=...&region=...`. This is modelled on the PC
  parameters and is not in the public crawler code: verify on the first live run
  (an unsupported filter would show as the split queries all returning the full
  result, i.e. many duplicates in the `weibo/search/duplicate_posts` stat).

Times are Asia/Shanghai hours (what both sites mean); the end hour is exclusive.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Asia/Shanghai")
MOBILE_SEARCH = "https://m.weibo.cn/api/container/getIndex"
PC_SEARCH = "https://s.weibo.com/weibo"
# Sina's province codes (GB/T 2260 prefixes; 400 abroad, 100 other). Jiangxi is 36 and
# its cities 1..11, 南昌 = 1 (region=custom:36:1).
PROVINCES = (
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36",
    "37", "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62",
    "63", "64", "65", "71", "81", "82", "400", "100",
)  # fmt: skip
WHOLE_PROVINCE = "1000"


@dataclass(frozen=True)
class Slice:
    """One search query: a keyword, optionally a time window and a region."""

    keyword: str
    start: str | None = None  # "2026-11-21-0": local date and hour
    end: str | None = None  # exclusive
    region: str | None = None  # "36:1000" (province) or "36:1" (city)

    @property
    def level(self) -> str:
        if self.region:
            return "city" if not self.region.endswith(":" + WHOLE_PROVINCE) else "province"
        if self.start is None:
            return "all"
        return "hour" if _parse(self.end) - _parse(self.start) <= timedelta(hours=1) else "day"

    def to_meta(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}

    @classmethod
    def from_meta(cls, data: dict[str, Any]) -> Slice:
        # to_meta always keeps the keyword; the other fields only when set.
        return cls(data["keyword"], data.get("start"), data.get("end"), data.get("region"))

    def filters(self) -> str:
        """`&timescope=...&region=...` as both sites spell them."""
        out = ""
        if self.start and self.end:
            out += f"&timescope=custom:{self.start}:{self.end}"
        if self.region:
            out += f"&region=custom:{self.region}"
        return out


def _stamp(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d}-{moment.hour}"


def _parse(stamp: str | None) -> datetime:
    assert stamp is not None
    day, hour = stamp.rsplit("-", 1)
    return datetime.fromisoformat(day).replace(hour=int(hour), tzinfo=LOCAL)


def mobile_url(query: Slice, page: int = 1, search_type: str = "61") -> str:
    """The container API URL (MC `weibo/client.py`): type 61 is 实时 (newest first)."""
    containerid = f"100103type={search_type}&q={query.keyword}{query.filters()}"
    return (
        f"{MOBILE_SEARCH}?containerid={quote(containerid, safe='')}&page_type=searchall&page={page}"
    )


def pc_url(query: Slice, page: int = 1) -> str:
    """The s.weibo.com URL (WS `search.py`): all types, all content."""
    keyword = quote(query.keyword, safe="")
    return f"{PC_SEARCH}?q={keyword}&typeall=1&suball=1{query.filters()}&page={page}"


def days_back(newest: datetime, days: int) -> list[date]:
    """The `days` local dates ending with the one of `newest`, oldest first."""
    last = newest.astimezone(LOCAL).date()
    return [last - timedelta(days=n) for n in range(days - 1, -1, -1)]


def split(
    query: Slice,
    *,
    newest: datetime | None,
    lookback_days: int,
    provinces: tuple[str, ...] | list[str] = PROVINCES,
    home: str = "36",
    home_cities: int = 11,
) -> list[Slice]:
    """The narrower queries that together cover `query`; [] when it cannot be split.

    `newest` is the newest post the query showed: windows end there rather than at
    this machine's clock, so a split never asks for hours that have not happened.
    """
    level = query.level
    if level == "all":
        if newest is None:
            return []
        return [_day(query.keyword, d) for d in days_back(newest, lookback_days)]
    if level == "day":
        return _hours(query, newest)
    if level == "hour":
        return [
            Slice(query.keyword, query.start, query.end, f"{p}:{WHOLE_PROVINCE}") for p in provinces
        ]
    if level == "province" and query.region == f"{home}:{WHOLE_PROVINCE}":
        cities = [f"{home}:{c}" for c in range(1, home_cities + 1)]
        return [Slice(query.keyword, query.start, query.end, r) for r in cities]
    return []


def _day(keyword: str, day: date) -> Slice:
    start = datetime(day.year, day.month, day.day, tzinfo=LOCAL)
    return Slice(keyword, _stamp(start), _stamp(start + timedelta(days=1)))


def _hours(query: Slice, newest: datetime | None) -> list[Slice]:
    start, end = _parse(query.start), _parse(query.end)
    if newest is not None:
        # Hours after the newest post shown are empty: not asked for.
        end = min(
            end,
            newest.astimezone(LOCAL).replace(minute=0, second=0, microsecond=0)
            + timedelta(hours=1),
        )
    out = []
    moment = start
    while moment < end:
        out.append(
            Slice(query.keyword, _stamp(moment), _stamp(moment + timedelta(hours=1)), query.region)
        )
        moment += timedelta(hours=1)
    return out


def pages_of(total: int | None, per_page: int) -> int:
    """Result pages a query needs, from the total the site reports and the number of
    posts its first page held (the site's own page size; sponsored cards excluded)."""
    if not total or per_page <= 0:
        return 1
    return -(-total // per_page)
