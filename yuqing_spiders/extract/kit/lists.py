"""What list pages and list APIs yield: article links and the entries announcing them."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime
from typing import Any, TypeVar
from urllib.parse import parse_qs, urldefrag, urlsplit, urlunsplit

from scrapy.http import TextResponse

# Marks a datetime in plain meta data (JSON has no date type).
_DATETIME_TAG = "__datetime__"
T = TypeVar("T")


@dataclass
class ListPage:
    """What a list page yields: article URLs, the next list page, and what was skipped."""

    article_urls: list[str] = field(default_factory=list)
    next_page: str | None = None
    skipped: Counter[str] = field(default_factory=Counter)

    def skip(self, reason: str) -> None:
        self.skipped[reason] += 1


@dataclass
class ListEntry:
    """One article as a list API or page announces it (before the article is fetched)."""

    url: str
    title: str | None = None
    published_at: datetime | None = None
    media_name: str | None = None
    comments: int | None = None
    native_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    # Request meta travels through the Redis queue as JSON (queue/serializer.py), so an
    # entry rides along as plain data and is rebuilt in the article callback: the same
    # meta then works in `yuqing run` and in `yuqing worker`.
    def to_meta(self) -> dict[str, Any]:
        """This entry as JSON-ready data for `Request.meta`."""
        return plain_meta(self)

    @classmethod
    def from_meta(cls, data: dict[str, Any] | None) -> ListEntry | None:
        """The entry `to_meta` wrote, or None when the request carries none."""
        return from_plain_meta(cls, data)


def plain_meta(record: Any) -> dict[str, Any]:
    """A dataclass record as JSON data: datetimes as ISO 8601 text, the rest as is."""
    data = asdict(record)
    for name, value in data.items():
        if isinstance(value, datetime):
            data[name] = {_DATETIME_TAG: value.isoformat()}
    return data


def from_plain_meta(cls: type[T], data: dict[str, Any] | None) -> T | None:
    """The record `plain_meta` wrote (unknown keys ignored), or None for no data."""
    if not isinstance(data, dict):
        return None
    names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    values = {
        name: datetime.fromisoformat(value[_DATETIME_TAG])
        if isinstance(value, dict) and _DATETIME_TAG in value
        else value
        for name, value in data.items()
        if name in names
    }
    return cls(**values)


def unique_links(response: TextResponse, hrefs: list[str], pattern: re.Pattern[str]) -> list[str]:
    """Absolute article URLs among `hrefs`, fragment removed, de-duplicated, page order."""
    seen: set[str] = set()
    urls: list[str] = []
    for href in hrefs:
        href = (href or "").strip()
        if not href or href.lower().startswith(("javascript:", "mailto:", "#")):
            continue
        url = urldefrag(response.urljoin(href))[0]
        if pattern.search(url) and url not in seen:
            seen.add(url)
            urls.append(url)
    return urls


def same_host(url: str, hosts: tuple[str, ...]) -> bool:
    """Whether `url` is on one of `hosts` or their subdomains."""
    host = (urlsplit(url).hostname or "").lower()
    return any(host == h or host.endswith(f".{h}") for h in hosts)


def query_value(url: str, name: str) -> str | None:
    """The first value of query parameter `name` in `url`, or None."""
    values = parse_qs(urlsplit(url).query).get(name)
    return values[0] if values else None


def url_without_query(url: str) -> str:
    """The URL with query and fragment removed."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path, "", ""))
