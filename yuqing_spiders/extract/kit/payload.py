"""Strict reading of JSON, JSONP and page-embedded JSON (lists, APIs, article data).

An API that answers with an HTML error page, a truncated body or a different callback
must never be read as an empty list: every failure raises `PayloadError` with a short
reason (a stats key part), and the spider counts and logs it. Callers that can live
without the data (an article page whose embedded JSON is optional) catch it.
"""

from __future__ import annotations

import json
import re
from typing import Any

from scrapy.http import Response, TextResponse

from yuqing_spiders.extract.kit.errors import PayloadError

# `cb(...)` for any callback name, as JSONP files named after their channel are.
_ANY_CALLBACK = r"[\w$.]+"


def response_text(response: Response) -> str:
    """The body as text; PayloadError('not_text') for bytes that are not UTF-8."""
    if not isinstance(response, TextResponse):
        # A JSON API served as application/octet-stream: JSON is UTF-8 by definition.
        try:
            return response.body.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise PayloadError("not_text", str(exc)) from None
    return response.text


def load_json(text: str) -> Any:
    """The JSON object or array in `text` (a BOM and whitespace around it are fine)."""
    stripped = text.strip().lstrip("\ufeff").lstrip()
    if not stripped:
        raise PayloadError("empty")
    if stripped[0] not in "[{":
        # An HTML error or captcha page where JSON was due.
        raise PayloadError("not_json", stripped[:60])
    try:
        return json.loads(stripped)
    except json.JSONDecodeError as exc:
        raise PayloadError("invalid_json", str(exc)) from None


def load_jsonp(text: str, callback: str | None = None) -> Any:
    """The argument of `callback(...)`, e.g. 网易's `data_callback([...])`; any callback
    name when `callback` is None. The guards servers put in front are fine: `/**/` and
    `window.cb && cb(...)` (Weibo's passport)."""
    name = re.escape(callback) if callback else _ANY_CALLBACK
    match = re.match(
        r"^\s*(?:/\*.*?\*/\s*)?(?:[\w$.]+\s*&&\s*)?" + name + r"\s*\((.*)\)\s*;?\s*$",
        text.lstrip("\ufeff"),
        re.DOTALL,
    )
    if not match:
        raise PayloadError("not_jsonp", text.strip()[:60])
    return load_json(match.group(1))


def load_assigned_json(text: str, variable: str) -> Any:
    """The JSON object assigned in a page script: `var allData = {...};`,
    `window.DATA = {...}`. The object is cut by bracket balance, not by a regex
    up to the first `;` (article HTML inside it has semicolons)."""
    match = re.search(r"(?:var\s+)?" + re.escape(variable) + r"\s*=\s*(?=[{\[])", text)
    if not match:
        raise PayloadError("no_embedded_json", variable)
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
    raise PayloadError("invalid_json", "embedded JSON is cut short")


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


def dig(data: Any, *path: str | int) -> Any:
    """`data[a][b]...`, or None as soon as a step is missing or of the wrong kind."""
    for step in path:
        if isinstance(step, int) and isinstance(data, list) and -len(data) <= step < len(data):
            data = data[step]
        elif isinstance(step, str) and isinstance(data, dict):
            data = data.get(step)
        else:
            return None
    return data


def require_list(data: Any, *path: str | int) -> list[Any]:
    """The list at `path`; PayloadError('unexpected_shape') when the API's shape changed."""
    value = dig(data, *path)
    if not isinstance(value, list):
        raise PayloadError("unexpected_shape", "/".join(str(p) for p in path))
    return value
