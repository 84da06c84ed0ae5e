"""How stored text and times look: the normalisation every item gets before it is
judged or stored (pipelines/normalise.py applies it)."""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

_SPACES = re.compile(r"[ \t\u3000\xa0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


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
