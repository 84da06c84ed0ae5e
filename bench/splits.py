"""The one fixed train / dev / test split of every labelled data set the project uses.

A text's split depends on the text alone (the SHA-1 of its UTF-8 bytes, as an integer,
mod 10): buckets 0-7 train, 8 dev, 9 test. So the split does not move when rows are
reordered, filtered or appended, two scripts (training, accuracy bench) agree without
sharing state, and a duplicate text can never sit on both sides. Models are tuned on
train and dev only; the accuracy figures are read on test.

Where a published file already is an official eval or test split, its rows go through
the same rule like any other (the official split is not used): one rule for every data
set keeps the figures comparable, and no test row is ever trained on.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Literal, TypeVar

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

Split = Literal["train", "dev", "test"]
SPLITS: tuple[Split, ...] = ("train", "dev", "test")
_T = TypeVar("_T")


def bucket(text: str) -> int:
    """0-9: `int(sha1(text).hexdigest(), 16) % 10`."""
    return int(hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest(), 16) % 10


def split_of(text: str) -> Split:
    """train (buckets 0-7), dev (8) or test (9)."""
    number = bucket(text)
    if number <= 7:
        return "train"
    return "dev" if number == 8 else "test"


def select(rows: Iterable[_T], split: Split, text: Callable[[_T], str]) -> list[_T]:
    """The rows of `split`, where `text(row)` is the row's text."""
    return [row for row in rows if split_of(text(row)) == split]
