"""Seed messages: what `yuqing seed` and the scheduler push, what workers pop.

A seed is JSON `{"url": ..., "source": ..., "kind": "list"}` in the Redis list
`yuqing:<spider>:start_urls`. JSON, not bare URLs, so later kinds (a search term, a
metrics refresh of a stored item) travel the same way.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # annotations only: the analysis imports Seed without loading redis-py
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


# Push only the messages the list does not hold yet, in one step: a seed pushed again
# before a worker took it (`yuqing seed` after the scheduler's tick) is queued once.
_PUSH_MISSING = """
local added = 0
for i = 1, #ARGV do
  if not redis.call('LPOS', KEYS[1], ARGV[i]) then
    redis.call('RPUSH', KEYS[1], ARGV[i])
    added = added + 1
  end
end
return added
"""


def push_seeds(
    client: redis.Redis,
    spider: str,
    seeds: list[Seed],
    template: str = DEFAULT_KEY,
    *,
    pipe: redis.client.Pipeline | None = None,
) -> int:
    """Queue the seeds not already waiting in the spider's list; how many were added
    (with `pipe`, the push joins that transaction and 0 is returned)."""
    if not seeds:
        return 0
    script = client.register_script(_PUSH_MISSING)
    key = seed_key(spider, template)
    messages = list(dict.fromkeys(s.dumps() for s in seeds))
    if pipe is not None:
        script(keys=[key], args=messages, client=pipe)
        return 0
    return int(script(keys=[key], args=messages))


def pop_seeds(client: redis.Redis, key: str, count: int) -> list[Seed]:
    """Atomically take up to `count` seeds (LPOP with a count, Redis 6.2+)."""
    raw = client.lpop(key, count) or []
    # With a count, LPOP answers a list (of bytes: clients do not decode responses).
    assert isinstance(raw, list)
    return [Seed.loads(r) for r in raw]
