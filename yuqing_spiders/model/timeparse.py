"""Publish-time parsing for Chinese news pages.

Everything returns timezone-aware UTC datetimes (the schema stores UTC); page
text is read in the site's own zone, Asia/Shanghai unless told otherwise.
dateparser does the parsing; this module only evens out the Chinese shapes it
does not read on its own (full-width digits, 时/分, a month-day without year)
and handles epoch numbers, which dateparser would read as calendar digits.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

logger = logging.getLogger(__name__)

DEFAULT_TZ = "Asia/Shanghai"
_LANGUAGES = ["zh", "en"]

# Epoch values between 2000-01-01 and 2100-01-01; anything else is not a timestamp.
_EPOCH_MIN_S = 946_684_800
_EPOCH_MAX_S = 4_102_444_800
_EPOCH_RE = re.compile(r"^\d{10}(?:\d{3})?$")
_COMPACT_DATE_RE = re.compile(r"^(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])$")
# The API form of Weibo (and Twitter): "Sat Nov 21 15:48:00 +0800 2026", year last,
# which dateparser does not read.
_API_TIME_RE = re.compile(r"^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} [+-]\d{4} \d{4}$")

_YMD_CN_RE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_HMS_CN_RE = re.compile(r"(\d{1,2})\s*[时点]\s*(\d{1,2})\s*分(?:\s*(\d{1,2})\s*秒)?")
# A month-day with no year ("11月25日 09:41", "11-25 09:41"): dateparser reads the
# month as a two-digit year, so the year is filled in from `now` before parsing.
_MD_ONLY_RE = re.compile(r"^(\d{1,2})\s*(?:月|-|/)\s*(\d{1,2})(?:\s*日)?(?=\s|$|\d{1,2}:)")
# The shapes most pages and APIs print, read directly (after `normalize`, so 年月日 are
# dashes by then): dateparser costs ~1 ms a call and tries a dozen languages' rules; these
# give the same result in microseconds (tests/unit/model/test_timeparse.py compares both).
_FAST_RE = re.compile(
    r"^(?P<y>(?:19|20)\d{2})(?P<sep>[-/.])(?P<mo>\d{1,2})(?P=sep)(?P<d>\d{1,2})"
    r"(?:(?:\s+|T|\s*(?<=\d)(?=\d{1,2}:))(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?"
    r"(?P<tz>Z|[+-]\d{2}:?\d{2})?)?$"
)

# The shape of a news timestamp inside running text: a full date with 年月日 or
# - / . separators, optionally followed by a time.
DATETIME_IN_TEXT_RE = re.compile(
    r"(?<!\d)(?:19|20)\d{2}\s*(?:年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[-/.]\d{1,2}[-/.]\d{1,2}(?!\d))"
    r"(?:\s*(?:\d{1,2}\s*[:：]\s*\d{2}(?:\s*[:：]\s*\d{2})?"
    r"|\d{1,2}\s*[时点]\s*\d{1,2}\s*分(?:\s*\d{1,2}\s*秒)?))?"
)


def parse_datetime(
    text: str | int | float | None,
    *,
    tz: str = DEFAULT_TZ,
    now: datetime | None = None,
) -> datetime | None:
    """Parse a timestamp as a site shows it; return aware UTC, or None if unreadable.

    `now` anchors relative forms (3小时前, 昨天 12:30, 刚刚); a naive `now` is taken
    as UTC. Integers and 10/13-digit strings are epoch seconds/milliseconds.
    """
    if text is None or isinstance(text, bool):
        return None
    if isinstance(text, int | float):
        return _from_epoch(float(text))
    cleaned = normalize(text)
    if _EPOCH_RE.match(cleaned):
        return _from_epoch(float(cleaned))
    if _API_TIME_RE.match(cleaned):
        return datetime.strptime(cleaned, "%a %b %d %H:%M:%S %z %Y").astimezone(UTC)
    if (fast := _FAST_RE.match(cleaned)) is not None:
        return _fast_read(fast, tz)
    if _COMPACT_DATE_RE.match(cleaned):
        cleaned = f"{cleaned[:4]}-{cleaned[4:6]}-{cleaned[6:]}"
    elif not cleaned or cleaned.isdigit():
        # dateparser reads a lone "1" or "2026" as some day; a page never means that.
        return None
    local_now = _local_now(now, tz)
    parsed = _dateparse(_fill_missing_year(cleaned, local_now), tz, local_now)
    if parsed is None:
        # A labelled value such as "发布时间：2026-11-20 10:30" from a meta tag.
        match = DATETIME_IN_TEXT_RE.search(cleaned)
        if match and match.group(0) != cleaned:
            parsed = _dateparse(match.group(0), tz, local_now)
    if parsed is None:
        logger.debug("unparsed timestamp %r", text)
    return parsed


def _fast_read(match: re.Match[str], tz: str) -> datetime | None:
    """A full date (and clock time, and offset) read without dateparser; None for a
    date that does not exist (2026-02-30, 24:00), as dateparser answers."""
    try:
        moment = datetime(
            int(match["y"]),
            int(match["mo"]),
            int(match["d"]),
            int(match["h"] or 0),
            int(match["mi"] or 0),
            int(match["s"] or 0),
        )
    except ValueError:
        return None
    offset = match["tz"]
    try:
        if offset is None:
            return moment.replace(tzinfo=ZoneInfo(tz)).astimezone(UTC)
        if offset == "Z":
            return moment.replace(tzinfo=UTC)
        sign = 1 if offset[0] == "+" else -1
        digits = offset[1:].replace(":", "")
        delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        return (moment - sign * delta).replace(tzinfo=UTC)
    except OverflowError:
        # 0001-01-01 00:00 (a .NET or Java "no date" placeholder) is before year 1 in UTC.
        return None


def _dateparse(text: str, tz: str, local_now: datetime) -> datetime | None:
    settings = {
        "TIMEZONE": tz,
        "TO_TIMEZONE": "UTC",
        "RETURN_AS_TIMEZONE_AWARE": True,
        # dateparser wants a naive base in the source zone.
        "RELATIVE_BASE": local_now.replace(tzinfo=None),
        "PREFER_DATES_FROM": "past",
        "DATE_ORDER": "YMD",
    }
    # Imported on first use: 70 ms of start-up, and the common shapes never need it.
    import dateparser

    try:
        parsed = dateparser.parse(text, languages=_LANGUAGES, settings=settings)
        return parsed.astimezone(UTC) if parsed is not None else None
    except OverflowError:
        # 0001-1-1 and the like: dateparser's zone arithmetic leaves the datetime range.
        return None


def find_datetime_in_text(
    text: str | None, *, tz: str = DEFAULT_TZ, now: datetime | None = None
) -> datetime | None:
    """Return the first Chinese news timestamp found in `text` (aware UTC), or None."""
    if not text:
        return None
    for match in DATETIME_IN_TEXT_RE.finditer(normalize(text)):
        parsed = parse_datetime(match.group(0), tz=tz, now=now)
        if parsed is not None:
            return parsed
    return None


def has_time_of_day(text: str) -> bool:
    """Tell whether a timestamp string carries a clock time, not just a date."""
    return bool(re.search(r"\d{1,2}\s*[:：时点]\s*\d{1,2}", normalize(text)))


def normalize(text: str) -> str:
    """Fold full-width characters and Chinese date words into ASCII shapes."""
    # NFKC turns full-width digits, colons and the ideographic space into ASCII.
    text = unicodedata.normalize("NFKC", text).strip()
    text = _YMD_CN_RE.sub(lambda m: f"{m[1]}-{m[2]}-{m[3]} ", text)
    text = _HMS_CN_RE.sub(_hms, text)
    # Whitespace runs to one space: str.split() splits where `\s+` matches, and cheaper.
    return " ".join(text.split())


def _hms(match: re.Match[str]) -> str:
    seconds = f":{match[3]}" if match[3] else ""
    return f"{match[1]}:{match[2]}{seconds}"


def _fill_missing_year(text: str, local_now: datetime) -> str:
    match = _MD_ONLY_RE.match(text)
    if not match:
        return text
    month, day = int(match[1]), int(match[2])
    year = local_now.year
    # A month-day later than today is last year's (news lists show recent items).
    if (month, day) > (local_now.month, local_now.day):
        year -= 1
    return f"{year}-{month:02d}-{day:02d} {text[match.end() :].strip()}".strip()


def _local_now(now: datetime | None, tz: str) -> datetime:
    if now is None:
        now = datetime.now(UTC)
    elif now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    return now.astimezone(ZoneInfo(tz))


def _from_epoch(value: float) -> datetime | None:
    seconds = value / 1000 if value > _EPOCH_MAX_S else value
    if not _EPOCH_MIN_S <= seconds < _EPOCH_MAX_S:
        return None
    return datetime.fromtimestamp(seconds, UTC)


def same_local_day(first: datetime, second: datetime, tz: str = DEFAULT_TZ) -> bool:
    """Tell whether two aware datetimes fall on the same calendar day in `tz`."""
    zone = ZoneInfo(tz)
    return first.astimezone(zone).date() == second.astimezone(zone).date()
