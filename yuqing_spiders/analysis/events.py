"""Events: near-duplicate clusters of items across sites, shared by every worker in Redis.

`EventIndex.assign` puts an item's MinHash signature into banded LSH buckets, confirms
the candidates that share a bucket with the full similarity check, and gives the item
the event of its closest confirmed near-duplicate (or a new one). `EventIndex.join`
records the item in the event: first publisher (earliest `published_at`), last
activity, sites, platforms, media tiers, big-V authors, front pages and the summed
metrics. Both steps are single Lua scripts, so concurrent workers cannot split one
story into two events or lose a member. Needs one Redis server (not Cluster): the
scripts name the event's keys only once they know the event.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from yuqing_spiders.analysis.keys import EVENT_SETS, Keys
from yuqing_spiders.analysis.neardup import Signature, band_hashes, similarity

if TYPE_CHECKING:
    import redis

    from yuqing_spiders.model.items import OpinionItem

METRIC_ORDER = ("comments", "reposts", "likes", "reads")

# KEYS[1] the item's doc hash, KEYS[2..] its confirmed near-duplicates, best first.
# An item keeps an event once it has one; otherwise it takes the first candidate's.
# Candidates still without an event (a concurrent worker has indexed but not yet
# assigned them) are claimed into ours, so two reposts processed at the same moment
# cannot found two events: whichever script runs second sees the first's choice.
ASSIGN_LUA = """
local ev = redis.call('HGET', KEYS[1], 'event')
if not ev then
  for i = 2, #KEYS do
    ev = redis.call('HGET', KEYS[i], 'event')
    if ev then break end
  end
end
if not ev then ev = ARGV[1] end
redis.call('HSET', KEYS[1], 'event', ev)
for i = 2, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 1 then redis.call('HSETNX', KEYS[i], 'event', ev) end
end
return ev
"""

# KEYS: event hash, members, sites, platforms, tiers, bigv, frontpage, metrics hash.
# ARGV: member, order ms, site, platform, tier, big-V author, front-page sites (\n),
#       metrics "c,r,l,v" ('-' = not shown), ttl seconds.
# Order-independent: the earliest publisher wins whatever order workers see items in
# (ties go to the smaller id), sets only grow, totals move by each member's delta.
JOIN_LUA = """
local ev = KEYS[1]
local at = tonumber(ARGV[2])
local cur = redis.call('HGET', ev, 'first_at')
if (not cur) or at < tonumber(cur)
   or (at == tonumber(cur) and ARGV[1] < redis.call('HGET', ev, 'first_id')) then
  redis.call('HSET', ev, 'first_id', ARGV[1], 'first_at', ARGV[2], 'first_site', ARGV[3],
             'first_platform', ARGV[4], 'first_tier', ARGV[5])
end
local last = redis.call('HGET', ev, 'last_at')
if (not last) or at > tonumber(last) then redis.call('HSET', ev, 'last_at', ARGV[2]) end
redis.call('SADD', KEYS[2], ARGV[1])
for i, arg in ipairs({ARGV[3], ARGV[4], ARGV[5], ARGV[6]}) do
  if arg ~= '' then redis.call('SADD', KEYS[i + 2], arg) end
end
for site in string.gmatch(ARGV[7], '[^\\n]+') do redis.call('SADD', KEYS[7], site) end
local old = redis.call('HGET', KEYS[8], ARGV[1]) or '-,-,-,-'
local olds, news, merged = {}, {}, {}
for v in string.gmatch(old, '[^,]+') do table.insert(olds, v) end
for v in string.gmatch(ARGV[8], '[^,]+') do table.insert(news, v) end
local names = {'tc', 'tr', 'tl', 'tv'}
for i = 1, 4 do
  if news[i] ~= '-' then
    local before = tonumber(olds[i]) or 0
    redis.call('HINCRBY', ev, names[i], tonumber(news[i]) - before)
    merged[i] = news[i]
  else
    merged[i] = olds[i]
  end
end
redis.call('HSET', KEYS[8], ARGV[1], table.concat(merged, ','))
redis.call('HINCRBY', ev, 'v', 1)
for i = 1, #KEYS do redis.call('EXPIRE', KEYS[i], ARGV[9]) end
return redis.call('HGET', ev, 'v')
"""

# Raise-only: the event's level moves up, never down. Returns the level now in force.
RAISE_LEVEL_LUA = """
local rank = tonumber(redis.call('HGET', KEYS[1], 'level_rank') or '-1')
if tonumber(ARGV[2]) > rank then
  redis.call('HSET', KEYS[1], 'level', ARGV[1], 'level_rank', ARGV[2], 'level_reasons', ARGV[3])
  redis.call('HINCRBY', KEYS[1], 'v', 1)
  return ARGV[1]
end
return redis.call('HGET', KEYS[1], 'level')
"""


def new_event_id(opinion_id: str) -> str:
    """Deterministic: the event an item founds is named after it."""
    return "ev:" + hashlib.sha1(opinion_id.encode("utf-8"), usedforsecurity=False).hexdigest()[:16]


@dataclass
class Member:
    """What an event records of one item."""

    opinion_id: str
    published_at: datetime | None
    site: str = ""
    platform: str = ""
    tier: str = ""
    big_v_author: str = ""
    front_pages: list[str] = field(default_factory=list)
    metrics: dict[str, int | None] = field(default_factory=dict)

    def order_ms(self, fallback: datetime) -> int:
        return _ms(self.published_at or fallback)


def member_of(item: OpinionItem) -> Member:
    """The item as its event records it (sites, tiers, big-V authors, metrics)."""
    site = item.media.domain or ""
    author = item.author
    big_v = (author.id or author.name or "") if author.is_big_v else ""
    return Member(
        opinion_id=item.id or "",
        published_at=item.published_at,
        site=site,
        platform=item.platform or "",
        tier=item.media.tier or "",
        big_v_author=f"{item.platform}:{big_v}" if big_v else "",
        front_pages=sorted({p.site for p in item.front_page if getattr(p, "site", None)}),
        metrics={
            "comments": item.metrics.comments,
            "reposts": item.metrics.reposts,
            "likes": item.metrics.likes,
            "reads": item.metrics.reads,
        },
    )


@dataclass
class Assignment:
    event_id: str
    new_event: bool  # this item founded the event
    recrawl: bool  # the item was indexed before: it keeps its event
    candidates: int = 0
    rejected: int = 0  # shared a bucket but failed the similarity check
    similarity: float | None = None


@dataclass
class EventSummary:
    """The shared state of one event as Redis holds it now."""

    event_id: str
    first_id: str | None = None
    first_at: datetime | None = None
    first_site: str | None = None
    first_platform: str | None = None
    first_tier: str | None = None
    last_at: datetime | None = None
    members: int = 0
    sites: list[str] = field(default_factory=list)
    platforms: list[str] = field(default_factory=list)
    tiers: list[str] = field(default_factory=list)
    big_v: int = 0
    front_pages: list[str] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    heat: float | None = None
    trend: dict[str, Any] | None = None
    level: str | None = None
    level_reasons: list[str] = field(default_factory=list)
    version: int = 0

    @property
    def central_first(self) -> bool:
        return self.first_tier == "central_key"


def _ms(value: datetime) -> int:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return int(value.timestamp() * 1000)


def _from_ms(raw: bytes | str | None) -> datetime | None:
    if raw in (None, b"", ""):
        return None
    return datetime.fromtimestamp(int(raw) / 1000, tz=UTC)


def _text(raw: bytes | str | None) -> str | None:
    if raw is None:
        return None
    value = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    return value or None


class EventIndex:
    """The near-duplicate index and event state in Redis (key layout: `Keys`)."""

    def __init__(
        self,
        client: redis.Redis,
        keys: Keys,
        *,
        retention_seconds: int,
        bands: int = 48,
        jaccard: float = 0.5,
        containment: float = 0.7,
        max_candidates: int = 200,
    ) -> None:
        self.client = client
        self.keys = keys
        self.bands = bands
        self.jaccard = jaccard
        self.containment = containment
        self.ttl = retention_seconds
        self.max_candidates = max_candidates
        self._assign = client.register_script(ASSIGN_LUA)
        self._join = client.register_script(JOIN_LUA)
        self._raise = client.register_script(RAISE_LEVEL_LUA)

    # --- assignment ---------------------------------------------------------------------

    def assign(self, opinion_id: str, sig: Signature | None) -> Assignment:
        """The event of an item; None signature (body too short) = an event of its own."""
        doc_key = self.keys.doc(opinion_id)
        existing = _text(self.client.hget(doc_key, "event"))
        if existing:
            self.client.expire(doc_key, self.ttl)
            return Assignment(existing, new_event=False, recrawl=True)
        proposed = new_event_id(opinion_id)
        if sig is None:
            self.client.hset(doc_key, mapping={"event": proposed, "size": 0})
            self.client.expire(doc_key, self.ttl)
            return Assignment(proposed, new_event=True, recrawl=False)
        buckets = [self.keys.band(i, h) for i, h in enumerate(band_hashes(sig, self.bands))]
        self._index(opinion_id, sig, buckets)
        confirmed, seen, best = self._confirmed(opinion_id, sig, buckets)
        event_id = _text(self._assign(keys=[doc_key, *confirmed], args=[proposed]))
        assert event_id is not None
        return Assignment(
            event_id,
            new_event=event_id == proposed,
            recrawl=False,
            candidates=seen,
            rejected=seen - len(confirmed),
            similarity=best,
        )

    def _index(self, opinion_id: str, sig: Signature, buckets: list[str]) -> None:
        # Indexed before the candidates are read: a concurrent worker either sees this
        # item in a bucket, or this item sees that one (see ASSIGN_LUA).
        doc_key = self.keys.doc(opinion_id)
        pipe = self.client.pipeline(transaction=True)
        pipe.hset(doc_key, mapping={"sig": sig.to_bytes(), "size": sig.size})
        pipe.expire(doc_key, self.ttl)
        for bucket in buckets:
            # A bucket that keeps receiving items lives on; a quiet one expires.
            pipe.sadd(bucket, opinion_id)
            pipe.expire(bucket, self.ttl)
        pipe.execute()

    def _confirmed(
        self, opinion_id: str, sig: Signature, buckets: list[str]
    ) -> tuple[list[str], int, float | None]:
        pipe = self.client.pipeline(transaction=False)
        for bucket in buckets:
            pipe.smembers(bucket)
        shared: Counter[bytes] = Counter()
        for members in pipe.execute():
            shared.update(members)
        shared.pop(opinion_id.encode("utf-8"), None)
        # Most shared bands first: a true near-duplicate shares many, so the cap on
        # candidates drops only the chance collisions.
        ranked = sorted(shared, key=lambda c: (-shared[c], c))[: self.max_candidates]
        candidates = [self.keys.doc(c.decode("utf-8")) for c in ranked]
        if not candidates:
            return [], 0, None
        pipe = self.client.pipeline(transaction=False)
        for key in candidates:
            pipe.hmget(key, "sig", "size")
        scored = []
        for key, (raw, size) in zip(candidates, pipe.execute(), strict=True):
            if not raw:
                continue  # expired since it was bucketed
            other = Signature.from_stored(raw, int(size or 0))
            jac, cont = similarity(sig, other)
            if jac >= self.jaccard or cont >= self.containment:
                scored.append((max(jac, cont), key))
        scored.sort(key=lambda pair: (-pair[0], pair[1]))
        best = scored[0][0] if scored else None
        return [key for _, key in scored], len(candidates), best

    # --- event state --------------------------------------------------------------------

    def join(self, event_id: str, member: Member, fallback: datetime) -> int:
        """Record `member` in the event; returns the event's new version."""
        keys = [self.keys.event(event_id)]
        keys += [self.keys.event_set(event_id, kind) for kind in EVENT_SETS]
        keys.append(self.keys.event_metrics(event_id))
        metrics = ",".join(
            "-" if member.metrics.get(name) is None else str(int(member.metrics[name] or 0))
            for name in METRIC_ORDER
        )
        args: list[str | int] = [
            member.opinion_id,
            member.order_ms(fallback),
            member.site,
            member.platform,
            member.tier,
            member.big_v_author,
            "\n".join(member.front_pages),
            metrics,
            self.ttl,
        ]
        return int(self._join(keys=keys, args=args))

    def summary(self, event_id: str) -> EventSummary:
        pipe = self.client.pipeline(transaction=False)
        pipe.hgetall(self.keys.event(event_id))
        for kind in EVENT_SETS:
            if kind in ("members", "bigv"):
                pipe.scard(self.keys.event_set(event_id, kind))
            else:
                pipe.smembers(self.keys.event_set(event_id, kind))
        state, members, sites, platforms, tiers, big_v, front = pipe.execute()
        return _summary(event_id, state, members, sites, platforms, tiers, big_v, front)

    def members(self, event_id: str, limit: int) -> list[str]:
        raw = self.client.srandmember(self.keys.event_set(event_id, "members"), limit)
        # With a count SRANDMEMBER answers a list (empty for a missing set).
        members = raw if isinstance(raw, list) else []
        return sorted(_text(m) or "" for m in members)

    def set_heat(self, event_id: str, heat: float, trend: dict[str, Any], at: datetime) -> None:
        trend_text = (
            f"{trend.get('label') or ''}|{trend.get('slope') or 0}|{trend.get('points', 0)}"
        )
        # Every change raises the version: the `events` document is only ever
        # overwritten by a snapshot of a later version (event_store.py).
        pipe = self.client.pipeline(transaction=True)
        key = self.keys.event(event_id)
        pipe.hset(key, mapping={"heat": heat, "trend": trend_text, "heat_at": _ms(at)})
        pipe.hincrby(key, "v", 1)
        pipe.execute()

    def raise_level(self, event_id: str, level: str, rank: int, reasons: list[str]) -> str:
        """Raise the event's level if `rank` is above it; the level in force after."""
        result = self._raise(
            keys=[self.keys.event(event_id)], args=[level, rank, "|".join(reasons)]
        )
        return _text(result) or level


def _decode_set(raw: set[bytes]) -> list[str]:
    return sorted(v.decode("utf-8") for v in raw)


def _trend(raw: str | None) -> dict[str, Any] | None:
    if not raw:
        return None
    label, slope, points = (raw.split("|") + ["", "0", "0"])[:3]
    return {"label": label or None, "slope": float(slope or 0), "points": int(points or 0)}


def _summary(event_id: str, state: dict[bytes, bytes], *parts: Any) -> EventSummary:
    members, sites, platforms, tiers, big_v, front = parts
    get = {k.decode("utf-8"): v.decode("utf-8") for k, v in state.items()}
    reasons = get.get("level_reasons")
    return EventSummary(
        event_id=event_id,
        first_id=get.get("first_id"),
        first_at=_from_ms(get.get("first_at")),
        first_site=get.get("first_site") or None,
        first_platform=get.get("first_platform") or None,
        first_tier=get.get("first_tier") or None,
        last_at=_from_ms(get.get("last_at")),
        members=int(members),
        sites=_decode_set(sites),
        platforms=_decode_set(platforms),
        tiers=_decode_set(tiers),
        big_v=int(big_v),
        front_pages=_decode_set(front),
        totals={
            name: int(get.get(short, 0))
            for name, short in zip(METRIC_ORDER, ("tc", "tr", "tl", "tv"), strict=True)
        },
        heat=float(get["heat"]) if "heat" in get else None,
        trend=_trend(get.get("trend")),
        level=get.get("level"),
        level_reasons=reasons.split("|") if reasons else [],
        version=int(get.get("v", 0)),
    )
