"""Where front-page polls go: Redis (the current set, placements) and MongoDB.

Redis, under `FRONTPAGE_REDIS_PREFIX` (default `yuqing:frontpage`):

- `<prefix>:current:<site>` — hash, canonical URL → JSON `{url, title, block, rank,
  first_seen, last_seen}`: the links on that site's front page at its latest poll.
  Replaced whole by each poll; expires when a site is no longer polled.
- `<prefix>:url:<sha1 of canonical URL>` — JSON list of placements `{site, block,
  position, seen_at}`, one per site, `seen_at` = when the page was first seen there.
  Kept `FRONTPAGE_PLACEMENT_TTL` after the last sighting, so an article crawled (or
  re-crawled) after it left the front page is still flagged.

Both are written by one Lua script per poll, so concurrent polls by several workers
never lose a first-seen time. MongoDB: one `frontpage_snapshots` document per poll,
and placements pushed onto already stored `opinions` (one per site).
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from pymongo import ASCENDING, DESCENDING, IndexModel, UpdateMany

from yuqing_spiders.model.items import FrontPageLink, FrontPagePlacement, FrontPageSnapshot

if TYPE_CHECKING:
    import redis
    from pymongo.database import Database

SNAPSHOTS = "frontpage_snapshots"
SNAPSHOT_INDEXES = [
    IndexModel([("site", ASCENDING), ("seen_at", DESCENDING)], name="site_seen_at"),
    # "When was this article on a front page?" — one query across all polls.
    IndexModel([("links.canonical_url", ASCENDING)], name="links_canonical_url"),
]

# KEYS[1] current hash of the site. ARGV: site, seen_at (ISO), links JSON, placement
# TTL s, current TTL s, url-key prefix. Placement keys are derived inside the script
# (redis.sha1hex), so this runs on a standalone Redis or a single-slot setup.
_RECORD_POLL = """
local site, seen_at = ARGV[1], ARGV[2]
local links = cjson.decode(ARGV[3])
local placement_ttl, current_ttl, url_prefix = tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6]
local old = {}
local flat = redis.call('HGETALL', KEYS[1])
for i = 1, #flat, 2 do old[flat[i]] = cjson.decode(flat[i + 1]) end
redis.call('DEL', KEYS[1])
local new_placements = 0
for _, link in ipairs(links) do
  local before = old[link.canonical_url]
  local first_seen = before and before.first_seen or seen_at
  redis.call('HSET', KEYS[1], link.canonical_url, cjson.encode({
    url = link.url, title = link.title, block = link.block, rank = link.rank,
    first_seen = first_seen, last_seen = seen_at}))
  local key = url_prefix .. redis.sha1hex(link.canonical_url)
  local raw = redis.call('GET', key)
  local placements = raw and cjson.decode(raw) or {}
  local known = false
  for _, p in ipairs(placements) do if p.site == site then known = true end end
  if not known then
    table.insert(placements, {site = site, block = link.block, position = link.rank,
                              seen_at = first_seen})
    new_placements = new_placements + 1
  end
  redis.call('SET', key, cjson.encode(placements), 'EX', placement_ttl)
end
if #links > 0 then redis.call('EXPIRE', KEYS[1], current_ttl) end
return new_placements
"""


def current_key(prefix: str, site: str) -> str:
    return f"{prefix}:current:{site}"


def placement_key(prefix: str, canonical_url: str) -> str:
    return f"{prefix}:url:{hashlib.sha1(canonical_url.encode(), usedforsecurity=False).hexdigest()}"


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


class FrontPageStore:
    """Redis side of front-page placement (see the module docstring)."""

    def __init__(
        self, client: redis.Redis, prefix: str, placement_ttl: int, current_ttl: int
    ) -> None:
        self.client = client
        self.prefix = prefix
        self.placement_ttl = placement_ttl
        self.current_ttl = current_ttl
        self._record = client.register_script(_RECORD_POLL)

    def record_poll(self, snapshot: FrontPageSnapshot) -> int:
        """Replace the site's current set and add new placements; their count."""
        links = [
            {
                "url": link.url,
                "canonical_url": link.canonical_url,
                "title": link.title,
                "block": link.block,
                "rank": link.rank,
            }
            for link in snapshot.links
        ]
        return int(
            self._record(
                keys=[current_key(self.prefix, snapshot.site)],
                args=[
                    snapshot.site,
                    _iso(snapshot.seen_at),
                    json.dumps(links, ensure_ascii=False),
                    self.placement_ttl,
                    self.current_ttl,
                    f"{self.prefix}:url:",
                ],
            )
        )

    def current(self, site: str) -> dict[str, dict[str, Any]]:
        raw = self.client.hgetall(current_key(self.prefix, site))
        return {(k.decode() if isinstance(k, bytes) else k): json.loads(v) for k, v in raw.items()}

    def placements(self, canonical_url: str) -> list[FrontPagePlacement]:
        return parse_placements(self.client.get(placement_key(self.prefix, canonical_url)))


def parse_placements(raw: bytes | str | None) -> list[FrontPagePlacement]:
    """A placement key's value (a JSON list, written by the poll script) as placements;
    none for a missing key."""
    if not raw:
        return []
    return [
        FrontPagePlacement(
            site=p["site"],
            block=p.get("block"),
            position=p.get("position"),
            seen_at=datetime.fromisoformat(p["seen_at"]) if p.get("seen_at") else None,
        )
        for p in json.loads(raw)
    ]


# The event stage reads an item's placement key in its own script call (one round trip
# fewer per item) and leaves the value on the item for the front-page stage.
_PLACEMENTS_ATTR = "_yuqing_placements_read"


def attach_placements(item: Any, raw: bytes | None) -> None:
    """The value of the item's placement key as read just now (None: no key)."""
    setattr(item, _PLACEMENTS_ATTR, (raw,))


def attached_placements(item: Any) -> tuple[bool, bytes | None]:
    """(True, the value) when a stage read the item's placement key, else (False, None)."""
    found = getattr(item, _PLACEMENTS_ATTR, None)
    return (True, found[0]) if isinstance(found, tuple) else (False, None)


def first_seen_of(snapshot: FrontPageSnapshot, store: FrontPageStore) -> dict[str, datetime]:
    """canonical URL → first time seen on this site (after `record_poll`)."""
    current = store.current(snapshot.site)
    return {
        url: datetime.fromisoformat(entry["first_seen"])
        for url, entry in current.items()
        if entry.get("first_seen")
    }


def snapshot_document(snapshot: FrontPageSnapshot) -> dict[str, Any]:
    """The `frontpage_snapshots` document of one poll; `_id` `<site>@<seen_at>`."""
    return {
        "_id": f"{snapshot.site}@{_iso(snapshot.seen_at)}",
        "site": snapshot.site,
        "page": snapshot.page,
        "seen_at": snapshot.seen_at,
        "links": [_link_doc(link) for link in snapshot.links],
    }


def _link_doc(link: FrontPageLink) -> dict[str, Any]:
    return {
        "url": link.url,
        "canonical_url": link.canonical_url,
        "title": link.title,
        "block": link.block,
        "rank": link.rank,
    }


def placement_updates(
    snapshot: FrontPageSnapshot, first_seen: dict[str, datetime]
) -> list[UpdateMany]:
    """Push this site's placement onto stored opinions that lack one for the site.

    The filter makes it idempotent: a later poll (or a replay of this one) never adds
    a second placement for the same site; the first sighting is the one kept."""
    return [
        UpdateMany(
            {"canonical_url": link.canonical_url, "front_page.site": {"$ne": snapshot.site}},
            {
                "$push": {
                    "front_page": {
                        "site": snapshot.site,
                        "block": link.block,
                        "position": link.rank,
                        "seen_at": first_seen.get(link.canonical_url, snapshot.seen_at),
                    }
                }
            },
        )
        for link in snapshot.links
    ]


def store_snapshot(
    db: Database, snapshot: FrontPageSnapshot, first_seen: dict[str, datetime]
) -> int:
    """Write the poll and flag stored articles; the number of articles newly flagged."""
    doc = snapshot_document(snapshot)
    db[SNAPSHOTS].replace_one({"_id": doc["_id"]}, doc, upsert=True)
    updates = placement_updates(snapshot, first_seen)
    if not updates:
        return 0
    return db["opinions"].bulk_write(updates, ordered=False).modified_count


def ensure_snapshot_indexes(db: Database) -> None:
    db[SNAPSHOTS].create_indexes(SNAPSHOT_INDEXES)
