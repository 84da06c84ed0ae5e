"""Weibo author profiles (followers, verified, verified_type) cached per user in Redis.

A busy keyword brings many posts by the same accounts; their profile is asked for at
most once per `WEIBO_USER_CACHE_TTL` across all workers. Key `yuqing:weibo:user:<uid>`
(`YUQING_OPS_PREFIX`),
a JSON object with the fields of `spiders.weibo.parse.profile_fields`, expiring by itself.
Without Redis (a bare `scrapy crawl`) the cache lives in this process only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

# The cache itself is the one every social platform uses (spiders/_base/social.py).
from spiders._base.social import ProfileCache

if TYPE_CHECKING:
    from yuqing_spiders.model.items import OpinionItem

__all__ = ["ProfileCache", "apply_profile"]


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
