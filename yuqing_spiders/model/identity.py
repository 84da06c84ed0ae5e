"""Stable names for stored things, so every write is an idempotent upsert.

An item's `_id` is `<source>:<native id>` where the platform numbers its items, else
`url:` and the SHA-1 of the canonical URL (docs/schema.md). The source key, not the
platform, is the namespace: the news platform spans many sites whose ids overlap. A
comment is `<opinion _id>#<native id>`: its id is only unique under its item (a floor
number). A URL is compared in its canonical form (no fragment, sorted query).
"""

from __future__ import annotations

import hashlib

from w3lib.url import canonicalize_url


def canonical_url(url: str) -> str:
    """The URL as the same page is always named: no fragment, sorted query."""
    return canonicalize_url(url, keep_fragments=False)


def opinion_id(source: str, native_id: str | None, canonical: str) -> str:
    if native_id:
        return f"{source}:{native_id}"
    return "url:" + hashlib.sha1(canonical.encode("utf-8"), usedforsecurity=False).hexdigest()


def comment_id(
    parent_id: str, native_id: str | None, content: str | None, author: str | None
) -> str:
    """`<opinion _id>#<native id>`; a comment shown without an id (rare) is named by a
    digest of its author and text, so the same comment still gets the same `_id`."""
    if native_id:
        return f"{parent_id}#{native_id}"
    text = f"{author or ''}\n{content or ''}".encode()
    return f"{parent_id}#h:" + hashlib.sha1(text, usedforsecurity=False).hexdigest()[:16]
