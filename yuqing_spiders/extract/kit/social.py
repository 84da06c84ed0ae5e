"""Helpers for the social, forum and 问政 parsers (JSON APIs, HTML fragments).

Pure functions only: platform answers are often not what they claim (an HTML captcha
under `application/json`, a JSON error envelope under HTTP 200), so every reader here
returns None for what it cannot read instead of raising.
"""

from __future__ import annotations

import json
import re
from typing import Any

from parsel import Selector

from yuqing_spiders.extract.generic import clean_lines, squash

# Block-level ends become line breaks before tags are stripped, so paragraphs survive.
_BLOCK_END_RE = re.compile(
    r"(?i)<br\s*/?>|</(?:p|div|section|h[1-6]|li|tr|blockquote)>|<(?:p|section|li)(?:\s[^>]*)?>"
)


def load_json(text: str | bytes | None) -> Any | None:
    """The decoded JSON value, or None when the body is not JSON (an HTML block page)."""
    if text is None:
        return None
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    text = text.strip().lstrip("\ufeff")
    if not text or text[0] not in "[{":
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def dig(value: Any, *path: str | int) -> Any:
    """`value[a][b]...`, or None as soon as a step is missing or of the wrong kind."""
    for step in path:
        if isinstance(step, int) and isinstance(value, list) and -len(value) <= step < len(value):
            value = value[step]
        elif isinstance(step, str) and isinstance(value, dict):
            value = value.get(step)
        else:
            return None
    return value


def as_int(value: Any) -> int | None:
    """An int from a count as platforms send it ("12", 12, "1.2万"), or None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = squash(str(value)).replace(",", "")
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(万|w|W)?", text)
    if not match:
        return None
    number = float(match[1])
    return int(number * 10_000) if match[2] else int(number)


def html_lines(html: str | None) -> list[str]:
    """The text lines of an HTML fragment: one per paragraph, page furniture dropped."""
    if not html:
        return []
    broken = _BLOCK_END_RE.sub("\n", html)
    text = "".join(Selector(text=f"<div>{broken}</div>").xpath("//text()").getall())
    return clean_lines(text.split("\n"))


def html_text(html: str | None) -> str | None:
    """`html_lines` joined by newlines, or None when nothing is left."""
    return "\n".join(html_lines(html)) or None


def selector_text(node: Selector | None) -> str | None:
    """The paragraphs of a selected node (see `html_text`)."""
    if node is None:
        return None
    return html_text(node.get())


def js_string(text: str, name: str) -> str | None:
    """The value of `var name = "..."` (or `'...'`, `"" || "..."`) in inline JavaScript."""
    pattern = rf"""\bvar\s+{re.escape(name)}\s*=\s*((?:["'][^"'\n]*["']\s*(?:\|\|\s*)?)+)"""
    match = re.search(pattern, text)
    if not match:
        return None
    for candidate in re.findall(r"""["']([^"'\n]*)["']""", match[1]):
        if candidate:
            return candidate
    return None
