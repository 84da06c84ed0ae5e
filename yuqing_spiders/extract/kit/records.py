"""Per-record isolation for list pages and API answers.

A list or API answer holds many records; one of them with a field of the wrong type
(a list where text is due, `user: null`, a float like 1e400, a `retweeted_status`
without `id`) must cost that record only, never the page. Parsers build their records
through `isolated`, which skips (and counts, by exception type) a record whose build
raises; the spider adds the count to its stats (`parse/record_errors/<source>`,
spiders/_base/spider.py) so a changed shape shows in `yuqing status`, not only in logs.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

logger = logging.getLogger(__name__)

T = TypeVar("T")

# What reading a malformed record raises. Anything else (a MemoryError, a bug far away
# such as NameError) is not the record's fault and still stops the page loudly.
RECORD_ERRORS: tuple[type[Exception], ...] = (
    AttributeError,  # a list or a number where a dict was due
    KeyError,  # a required field missing
    IndexError,
    TypeError,  # a list where text was due, None where a number was due
    ValueError,  # a number or date that does not parse, inf/nan into int
    OverflowError,  # 1e400 and the like
    ArithmeticError,
)


class Records(list[T]):
    """A page's records in page order, and the bad ones skipped (`errors`, by type)."""

    def __init__(self, items: Iterable[T] = ()) -> None:
        super().__init__(items)
        self.errors: Counter[str] = Counter()

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())


def isolated(rows: Iterable[Any], build: Callable[[Any], T | None], source: str) -> Records[T]:
    """`build(row)` for each row; a row whose build raises is skipped and counted.

    `build` returns None for a row it skips on purpose (a video entry in a news feed):
    that is not an error and is not counted.
    """
    records: Records[T] = Records()
    for position, row in enumerate(rows if isinstance(rows, Iterable) else ()):
        try:
            record = build(row)
        except RECORD_ERRORS as exc:
            records.errors[type(exc).__name__] += 1
            logger.warning(
                "%s: record %d skipped, unreadable (%s: %s)",
                source,
                position,
                type(exc).__name__,
                str(exc)[:200],
            )
            continue
        if record is not None:
            records.append(record)
    return records


def record_errors(value: Any) -> int:
    """How many records `value` (a parser's answer) skipped as unreadable; 0 if it
    is no `Records` (a parser without per-record isolation, an empty answer)."""
    return value.error_count if isinstance(value, Records) else 0
