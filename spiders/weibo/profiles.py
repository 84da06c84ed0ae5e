"""Weibo author profiles (followers, verified, verified_type) cached per user in Redis.

A busy keyword brings many posts by the same accounts; their profile is asked for at
most once per `WEIBO_USER_CACHE_TTL` across all workers. Key `yuqing:weibo:user:<uid>`
(`YUQING_OPS_PREFIX`),
a JSON object with the fields of `spiders.weibo.parse.profile_fields`, expiring by itself.
Without Redis (a bare `scrapy crawl`) the cache lives in this process only.
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import redis

    from yuqing_spiders.model.items import OpinionItem


class ProfileCache:
    def __init__(
        self, client: redis.Redis | None, ttl: float, prefix: str = "yuqing:weibo:user"
    ) -> None:
        self.client = client
        self.ttl = max(1, int(ttl))
        self.prefix = prefix
        self._local: dict[str, tuple[float, dict[str, Any]]] = {}

    def get(self, uid: str) -> dict[str, Any] | None:
        if self.client is None:
            found = self._local.get(uid)
            return found[1] if found and found[0] > time.monotonic() else None
        raw = self.client.get(f"{self.prefix}:{uid}")
        return json.loads(raw) if raw else None

    def put(self, uid: str, profile: dict[str, Any]) -> None:
        if self.client is None:
            self._local[uid] = (time.monotonic() + self.ttl, profile)
            return
        data = json.dumps(profile, ensure_ascii=False)
        self.client.set(f"{self.prefix}:{uid}", data, ex=self.ttl)


def apply_profile(item: OpinionItem, profile: dict[str, Any]) -> None:
    """Fill the author fields the post did not show from a cached or fetched profile."""
    author = item.author
    if author.followers is None:
        author.followers = profile.get("followers")
    if author.verified is None:
        author.verified = profile.get("verified")
    if author.verified_type is None:
        author.verified_type = profile.get("verified_type")
    author.name = author.name or profile.get("name")
    author.location = author.location or profile.get("location")
    if profile.get("verified_type_ext") is not None:
        item.extra.setdefault("verified_type_ext", profile["verified_type_ext"])
