"""JSON for requests in Redis (scrapy-redis ``SCHEDULER_SERIALIZER``).

Pickle is unreadable with redis-cli and unsafe on a shared server, so queued requests
are JSON. ``Request.to_dict()`` holds bytes (body, headers); they travel as
``{"__b64__": "..."}`` and come back as bytes.
"""

from __future__ import annotations

import base64
import json
from typing import Any

_BYTES_TAG = "__b64__"


def _encode(value: Any) -> Any:
    if isinstance(value, bytes):
        return {_BYTES_TAG: base64.b64encode(value).decode("ascii")}
    if isinstance(value, dict):
        return {
            str(k if not isinstance(k, bytes) else k.decode("latin-1")): _encode(v)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    return value


def _decode_hook(obj: dict[str, Any]) -> Any:
    if len(obj) == 1 and _BYTES_TAG in obj:
        return base64.b64decode(obj[_BYTES_TAG])
    return obj


def dumps(obj: Any) -> str:
    return json.dumps(_encode(obj), ensure_ascii=False, separators=(",", ":"))


def loads(data: str | bytes) -> Any:
    return json.loads(data, object_hook=_decode_hook)
