"""Strict reading of JSON and JSONP bodies from list, search and hot-list APIs.

An API that answers with an HTML error page, a truncated body or a different callback
must never be read as an empty list: every failure raises `BadPayload` with a short
reason (a stats key part), and the spider counts and logs it.
"""

from __future__ import annotations

import json
import re
from typing import Any

from scrapy.http import Response, TextResponse

from yuqing_spiders.extract.kit.common import PayloadError, dig

__all__ = [
    "BadPayload",
    "dig",
    "load_assigned_json",
    "load_json",
    "load_jsonp",
    "require_list",
    "response_text",
]


class BadPayload(PayloadError):
    """The body is not the JSON the API promises; `reason` names why (stats key part).
    A PayloadError, so code that handles the news parsers' payload errors handles it."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason


def response_text(response: Response) -> str:
    if not isinstance(response, TextResponse):
        # A JSON API served as application/octet-stream: JSON is UTF-8 by definition.
        try:
            return response.body.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise BadPayload("not_text", str(exc)) from None
    return response.text


def load_json(text: str) -> Any:
    stripped = text.strip().lstrip("\ufeff")
    if not stripped:
        raise BadPayload("empty")
    if stripped[0] not in "[{":
        # An HTML error or captcha page where JSON was due.
        raise BadPayload("not_json", stripped[:60])
    try:
        return json.loads(stripped)
    except json.JSONDecodeError as exc:
        raise BadPayload("invalid_json", str(exc)) from None


def load_jsonp(text: str, callback: str) -> Any:
    """The argument of `callback(...)`, e.g. 网易's `data_callback([...])`."""
    match = re.match(
        r"^\s*(?:/\*.*?\*/\s*)?" + re.escape(callback) + r"\s*\((.*)\)\s*;?\s*$",
        text.lstrip("\ufeff"),
        re.DOTALL,
    )
    if not match:
        raise BadPayload("not_jsonp", text.strip()[:60])
    return load_json(match.group(1))


def load_assigned_json(text: str, variable: str) -> Any:
    """The JSON object assigned in a page script: `var allData = {...};`,
    `window.DATA = {...}`. The object is cut by bracket balance, not by a regex
    up to the first `;` (article HTML inside it has semicolons)."""
    match = re.search(r"(?:var\s+)?" + re.escape(variable) + r"\s*=\s*(?=[{\[])", text)
    if not match:
        raise BadPayload("no_embedded_json", variable)
    return load_json(_balanced(text, match.end()))


def _balanced(text: str, start: int) -> str:
    """The JSON value starting at `start`, up to its matching bracket."""
    depth = 0
    in_string = False
    escaped = False
    for index in range(start, len(text)):
        char = text[index]
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
            if depth == 0:
                return text[start : index + 1]
    raise BadPayload("invalid_json", "embedded JSON is cut short")


def require_list(data: Any, *path: str | int) -> list[Any]:
    """The list at `path`, or BadPayload when the API's shape changed."""
    value = dig(data, *path)
    if not isinstance(value, list):
        raise BadPayload("unexpected_shape", "/".join(str(p) for p in path))
    return value
