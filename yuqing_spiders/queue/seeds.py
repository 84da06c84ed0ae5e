"""Seed messages: what `yuqing seed` and the scheduler push, what workers pop.

A seed is JSON `{"url": ..., "source": ..., "kind": "list"}` in the Redis list
`yuqing:<spider>:start_urls`. JSON, not bare URLs, so later kinds (a search term, a
metrics refresh of a stored item) travel the same way.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

import redis

DEFAULT_KEY = "yuqing:%(spider)s:start_urls"


@dataclass(frozen=True)
class Seed:
    url: str
    source: str
    kind: str = "list"
    meta: dict[str, Any] = field(default_factory=dict)

    def dumps(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def loads(cls, raw: bytes | str) -> Seed:
        data = json.loads(raw)
        return cls(
            url=data["url"],
            source=data["source"],
            kind=data.get("kind", "list"),
            meta=data.get("meta") or {},
        )


def seed_key(spider: str, template: str = DEFAULT_KEY) -> str:
    return template % {"spider": spider}


def push_seeds(
    client: redis.Redis, spider: str, seeds: list[Seed], template: str = DEFAULT_KEY
) -> int:
    if not seeds:
        return 0
    return int(client.rpush(seed_key(spider, template), *(s.dumps() for s in seeds)))


def pop_seeds(client: redis.Redis, key: str, count: int) -> list[Seed]:
    """Atomically take up to `count` seeds (LPOP with a count, Redis 6.2+)."""
    raw = client.lpop(key, count) or []
    # With a count, LPOP answers a list (of bytes: clients do not decode responses).
    assert isinstance(raw, list)
    return [Seed.loads(r) for r in raw]
