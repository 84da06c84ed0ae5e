"""JSON for requests in Redis (scrapy-redis ``SCHEDULER_SERIALIZER``).

Pickle is unreadable with redis-cli and unsafe on a shared server, so queued requests
are JSON. ``Request.to_dict()`` holds bytes (body, headers); they travel as
``{"__b64__": "..."}`` and come back as bytes.

Everything else in a request's meta must be plain JSON data (str, int, float, bool,
None, lists and dicts of these). A spider that wants to pass a record along (a list
entry, a search result) puts its ``to_meta()`` dict there and rebuilds the record in
the callback, so the same meta works in ``yuqing run`` (meta stays in memory) and in
``yuqing worker`` (meta crosses Redis). Anything else is refused here with the meta
path that holds it, so the mistake shows at the first queued request — the scheduler
counts it (``queue/unserializable``) and the parity test fails on that count.
"""

from __future__ import annotations

import base64
import json
from typing import Any

_BYTES_TAG = "__b64__"
_SCALARS = (str, int, float, bool, type(None))


class UnqueueableRequest(TypeError):
    """A request whose data is not plain JSON; the message names where it is."""


def _encode(value: Any, path: str) -> Any:
    if isinstance(value, bytes):
        return {_BYTES_TAG: base64.b64encode(value).decode("ascii")}
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, dict):
        return {
            (key := str(k if not isinstance(k, bytes) else k.decode("latin-1"))): _encode(
                v, f"{path}[{key!r}]"
            )
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [_encode(v, f"{path}[{i}]") for i, v in enumerate(value)]
    raise UnqueueableRequest(
        f"{path} holds a {type(value).__name__}, which is not JSON; "
        "put plain data (e.g. the record's to_meta()) in request meta"
    )


def _decode_hook(obj: dict[str, Any]) -> Any:
    if len(obj) == 1 and _BYTES_TAG in obj:
        return base64.b64decode(obj[_BYTES_TAG])
    return obj


def dumps(obj: Any) -> str:
    """`obj` (a request dict) as JSON; UnqueueableRequest (a TypeError) if it is not data."""
    return json.dumps(_encode(obj, "request"), ensure_ascii=False, separators=(",", ":"))


def loads(data: str | bytes) -> Any:
    return json.loads(data, object_hook=_decode_hook)
