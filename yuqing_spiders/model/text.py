"""How stored text and times look: the normalisation every item gets before it is
judged or stored (pipelines/normalise.py applies it)."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    import numpy as np

_SPACES = re.compile(r"[ \t\u3000\xa0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


@cache
def word_chars_bmp() -> np.ndarray:
    """Whether each code point of the Basic Multilingual Plane is a word character of
    `re` (`str.isalnum()`, which is what `\\W` tests; `_` is not one): 64 KB, made on
    first use (~6-10 ms), shared by the stages that drop punctuation by a numpy look-up
    of each code point instead of a regex (analysis/neardup.py, analysis/sentiment.py)."""
    import numpy as np  # here: importing this module must not import numpy

    return np.fromiter((chr(c).isalnum() for c in range(0x10000)), dtype=bool, count=0x10000)


# The blocks Chinese text takes its compatibility characters from (code point ranges).
COMPAT_BLOCKS = (
    (0xA0, 0x100),  # Latin-1 signs: no-break space, ², ½
    (0x2000, 0x2070),  # general punctuation: spaces, …
    (0x2460, 0x2500),  # enclosed numbers: ①, ⑺
    (0x3000, 0x3001),  # the ideographic space
    (0xFF00, 0xFFF0),  # full- and half-width forms: ，：！（）Ａ１
)


def _unstable_table() -> dict[str, str]:
    """Each character of COMPAT_BLOCKS that NFKC changes, with what NFKC makes of it."""
    table = {}
    for low, high in COMPAT_BLOCKS:
        for point in range(low, high):
            char = chr(point)
            folded = unicodedata.normalize("NFKC", char)
            if folded != char:
                table[char] = folded
    return table


_NFKC_OF = _unstable_table()
_UNSTABLE = re.compile("[" + "".join(map(re.escape, _NFKC_OF)) + "]")


def nfkc(text: str) -> str:
    """`unicodedata.normalize("NFKC", text)`, at a quarter of the cost on Chinese text.

    NFKC walks every character (0.1 ms per 1,000-character article); Chinese text is
    NFKC already but for a few full-width signs (，：！（）) and the ideographic space.
    Replacing each such character by its own NFKC form keeps the text's NFKC (both
    decompose to the same characters), and when the result is normalised it *is* the
    NFKC; otherwise (combining marks, other blocks) the library normalises the rest.
    """
    if unicodedata.is_normalized("NFKC", text):
        return text
    for char in set(_UNSTABLE.findall(text)):
        text = text.replace(char, _NFKC_OF[char])
    return text if unicodedata.is_normalized("NFKC", text) else unicodedata.normalize("NFKC", text)


def clean_text(text: str | None) -> str | None:
    """NFC, one space for runs of spaces (full-width ones too), no empty lines."""
    if text is None:
        return None
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    cleaned = _BLANK_LINES.sub("\n", "\n".join(line for line in lines if line))
    return cleaned or None


def as_utc(value: datetime | None, default_tz: ZoneInfo) -> datetime | None:
    """UTC; a naive time (a parser that forgot its zone) is read in the source's zone."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=default_tz)
    return value.astimezone(UTC)
