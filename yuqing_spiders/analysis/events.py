"""Events: clusters of the reports of one story across sites, shared by every worker in Redis.

`EventIndex.record` is one Lua call per item. It puts the item's MinHash signature
into banded LSH buckets and its story facts (analysis/storyfacts.py) into per-fact
sets scored by publication time; confirms the candidates — by body (near-identical or
contained text) or by story (shared facts and a headline word within a time window:
a rewrite by another outlet); gives the item the event of its closest confirmed
candidate (or a new one); records it in the event — first publisher (earliest
`published_at`), last activity, sites, platforms, media tiers, big-V authors, front
pages, summed metrics — and answers the event's state. The script runs alone on the
server, so concurrent workers cannot split one story into two events or lose a
member. Needs one Redis server (not Cluster): it names keys only once it knows them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from yuqing_spiders.analysis.keys import EVENT_SETS, Keys
from yuqing_spiders.analysis.neardup import Signature, band_hashes

if TYPE_CHECKING:
    from yuqing_spiders.analysis.storyfacts import StoryKey

if TYPE_CHECKING:
    import redis

    from yuqing_spiders.model.items import OpinionItem

METRIC_ORDER = ("comments", "reposts", "likes", "reads")

# One call per item: index, find and confirm candidates, assign, join, and answer the
# event's summary. A Lua script runs alone on the server, so two workers handling
# reposts of one story at the same moment cannot found two events: whichever runs
# second sees the first's choice. Needs one Redis server (not Cluster): the script
# names the candidates' and the event's keys only once it knows them.
#
# KEYS: [1] the item's doc hash, [2] (optional) the front-page placement key of its
# canonical URL (store/frontpage.py): read here, its sites join the event's front pages
# and its value is answered for the front-page stage (one round trip fewer per item).
# Its LSH band sets and its story facts' sorted sets
# (scored by publication time) come as two ARGV strings of newline-separated key
# names, split here: sent as separate keys they were ~60 arguments per item that
# redis-py encoded one by one (a third of the call's client cost, issue 13).
# ARGV: see EventIndex.record (names in order).
EVENT_LUA = """
local id, proposed, doc_base, ev_base = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
-- The TTL, the size and the time go to Redis as the strings sent (decimal integers):
-- a Lua number argument is printed again by the server ("%.17g") at each of the
-- ~100 calls that take one (issue 13); the stored values are the same digits.
local ttl = ARGV[5]
local sig, size_text = ARGV[6], ARGV[7]
local size = tonumber(size_text)
local jac_min, cont_min, max_c = tonumber(ARGV[8]), tonumber(ARGV[9]), tonumber(ARGV[10])
local at_text = ARGV[11]
local at, window = tonumber(at_text), tonumber(ARGV[12])
-- the window's bounds as Redis would print them: parsed back to the same scores
local near_min = string.format('%.17g', at - window)
local near_max = string.format('%.17g', at + window)
local title = ARGV[13]
local fact_min, overlap_min = tonumber(ARGV[14]), tonumber(ARGV[15])
local kinds = ARGV[22]
local doc = KEYS[1]

local function split(packed)
  local list = {}
  for key in string.gmatch(packed, '[^\\n]+') do list[#list + 1] = key end
  return list
end
local band_keys, fact_keys = split(ARGV[23]), split(ARGV[24])
local nfacts = #fact_keys

local function words(text)
  local set = {}
  for w in string.gmatch(text, '[^\\n]+') do set[w] = true end
  return set
end

-- The item's own MinHash values, read once for all its candidates. Each signature is
-- read as numbers by one struct.unpack (a 4-byte little-endian value per MinHash
-- row): a string.sub per row made and interned 144 strings per candidate, 18 us where
-- this takes 11 (issue 13). Signatures are whole rows (EventIndex.record).
local own, rows = nil, nil

local function body_score(other, osize)
  -- the Python `neardup.similarity`: Jaccard from equal MinHash values, containment
  -- from it and the two set sizes (not read below a 1:4 size ratio)
  local n = math.floor(#sig / 4)
  if #other ~= #sig or n == 0 then return 0 end
  local equal = 0
  if other == sig then
    equal = n  -- the same signature (a repost): Lua compares its strings as one
  else
    if not own then
      rows = '<' .. string.rep('I4', n)
      own = {struct.unpack(rows, sig)}
    end
    local theirs = {struct.unpack(rows, other)}
    for k = 1, n do
      if own[k] == theirs[k] then equal = equal + 1 end
    end
  end
  local jac = equal / n
  local small, large = math.min(size, osize), math.max(size, osize)
  local cont = 0
  if small > 0 and small >= 0.25 * large then
    cont = math.min(1, jac * (size + osize) / (1 + jac) / small)
  end
  if jac >= jac_min or cont >= cont_min then return math.max(jac, cont) end
  return 0
end

local ev = redis.call('HGET', doc, 'event')
local new, recrawl, seen, best = 0, 0, 0, 0
local by_body, by_story = 0, 0
if ev then
  recrawl = 1
  redis.call('EXPIRE', doc, ttl)
else
  -- The candidates: the members of the item's buckets, read by one SUNION. Up to the
  -- cap every one is checked and the order they are checked in changes nothing (the
  -- scores are sorted below), so they are ranked only beyond it: most shared bands
  -- first (a SMEMBERS per band), as a true near-duplicate shares many and the cap
  -- then drops only chance collisions. A SMEMBERS per band for every item was 48 of
  -- its ~216 Redis commands (issue 13).
  local order = {}
  if #band_keys > 0 then
    for _, m in ipairs(redis.call('SUNION', unpack(band_keys))) do
      if m ~= id then order[#order + 1] = m end
    end
  end
  if #order > max_c then
    local shared = {}
    order = {}
    for _, band in ipairs(band_keys) do
      for _, m in ipairs(redis.call('SMEMBERS', band)) do
        if m ~= id then
          if not shared[m] then table.insert(order, m) end
          shared[m] = (shared[m] or 0) + 1
        end
      end
    end
    table.sort(order, function(a, b)
      if shared[a] ~= shared[b] then return shared[a] > shared[b] end
      return a < b
    end)
  end
  for _, band in ipairs(band_keys) do
    redis.call('SADD', band, id)
    redis.call('EXPIRE', band, ttl)
  end
  local scored, body_ok = {}, {}
  for i = 1, math.min(#order, max_c) do
    local key = doc_base .. order[i]
    local got = redis.call('HMGET', key, 'sig', 'size', 'event')
    seen = seen + 1
    if got[1] then
      local score = body_score(got[1], tonumber(got[2]) or 0)
      if score > 0 then
        body_ok[order[i]] = true
        table.insert(scored, {score, key, got[3]})
        by_body = by_body + 1
      end
    end
  end
  -- Story facts: members published within the window that share enough of them.
  local fshared, fplaces, forder = {}, {}, {}
  for i, fact in ipairs(fact_keys) do
    local place = string.sub(kinds, i, i) == 'p'
    local near = redis.call('ZRANGEBYSCORE', fact, near_min, near_max, 'LIMIT', '0', '200')
    for _, m in ipairs(near) do
      if m ~= id and not body_ok[m] then
        if not fshared[m] then table.insert(forder, m) end
        fshared[m] = (fshared[m] or 0) + 1
        if place then fplaces[m] = true end
      end
    end
    redis.call('ZADD', fact, at_text, id)
    redis.call('ZREMRANGEBYRANK', fact, '0', '-1001')
    redis.call('EXPIRE', fact, ttl)
  end
  if title ~= '' then
    local mine = words(title)
    for _, m in ipairs(forder) do
      local count = fshared[m]
      if count >= fact_min and fplaces[m] then
        local key = doc_base .. m
        local got = redis.call('HMGET', key, 'nf', 'tw', 'event')
        local other_n = tonumber(got[1]) or 0
        local overlap = count / math.max(1, math.min(nfacts, other_n))
        local same_headline = false
        for w in string.gmatch(got[2] or '', '[^\\n]+') do
          if mine[w] then same_headline = true break end
        end
        if overlap >= overlap_min and same_headline then
          -- ranked below any body match of the same strength
          table.insert(scored, {overlap * 0.99, key, got[3]})
          by_story = by_story + 1
        end
      end
    end
  end
  table.sort(scored, function(a, b)
    if a[1] ~= b[1] then return a[1] > b[1] end
    return a[2] < b[2]
  end)
  if scored[1] then best = scored[1][1] end
  -- each candidate's event as read with its signature or facts above (this script
  -- writes no candidate before here): one HGET per candidate less
  for _, pair in ipairs(scored) do
    ev = pair[3]
    if ev then break end
  end
  if not ev then ev = proposed end
  if ev == proposed then new = 1 end
  -- The item's doc in one HSET, now that its event is known (two calls fewer than
  -- writing it before the candidates; none of them is the item itself). Fields in
  -- the order they always had: the hash comes out the same, its encoding too.
  if sig ~= '' then
    redis.call('HSET', doc, 'size', size_text, 'at', at_text, 'nf', nfacts, 'tw', title,
               'sig', sig, 'event', ev)
  else
    redis.call('HSET', doc, 'size', size_text, 'at', at_text, 'nf', nfacts, 'tw', title,
               'event', ev)
  end
  redis.call('EXPIRE', doc, ttl)
  -- candidates still without an event (indexed by a worker that then failed) join ours
  -- (those with an event keep it: HSETNX would leave them as they are)
  for _, pair in ipairs(scored) do
    if not pair[3] then redis.call('HSETNX', pair[2], 'event', ev) end
  end
end

-- join: first publisher (earliest; ties to the smaller id), last activity, sets,
-- metric totals by each member's delta. Order-independent.
local evk = ev_base .. ev
local sets = {evk .. ':members', evk .. ':sites', evk .. ':platforms', evk .. ':tiers',
              evk .. ':bigv', evk .. ':frontpage'}
local mkey = evk .. ':metrics'
local member, order_at = id, at
local cur = redis.call('HGET', evk, 'first_at')
local moved = 0
if (not cur) or order_at < tonumber(cur)
   or (order_at == tonumber(cur) and member < redis.call('HGET', evk, 'first_id')) then
  -- an earlier publisher found later: the members stored so far name the old one
  if cur and redis.call('HGET', evk, 'first_id') ~= member then moved = 1 end
  redis.call('HSET', evk, 'first_id', member, 'first_at', ARGV[11], 'first_site', ARGV[16],
             'first_platform', ARGV[17], 'first_tier', ARGV[18])
end
local last = redis.call('HGET', evk, 'last_at')
if (not last) or order_at > tonumber(last) then redis.call('HSET', evk, 'last_at', ARGV[11]) end
redis.call('SADD', sets[1], member)
for i, arg in ipairs({ARGV[16], ARGV[17], ARGV[18], ARGV[19]}) do
  if arg ~= '' then redis.call('SADD', sets[i + 1], arg) end
end
for site in string.gmatch(ARGV[20], '[^\\n]+') do redis.call('SADD', sets[6], site) end
local placed = false
if KEYS[2] then
  placed = redis.call('GET', KEYS[2])
  if placed then
    -- written by the front-page poll script: a JSON list of {site, block, position, ...};
    -- unreadable, it adds no site here (the front-page stage reports it)
    local ok, list = pcall(cjson.decode, placed)
    if ok and type(list) == 'table' then
      for _, p in ipairs(list) do
        if type(p) == 'table' and type(p.site) == 'string' and p.site ~= '' then
          redis.call('SADD', sets[6], p.site)
        end
      end
    end
  end
end
local old = redis.call('HGET', mkey, member) or '-,-,-,-'
local olds, news, merged = {}, {}, {}
for v in string.gmatch(old, '[^,]+') do table.insert(olds, v) end
for v in string.gmatch(ARGV[21], '[^,]+') do table.insert(news, v) end
local names = {'tc', 'tr', 'tl', 'tv'}
for i = 1, 4 do
  if news[i] ~= '-' then
    redis.call('HINCRBY', evk, names[i], tonumber(news[i]) - (tonumber(olds[i]) or 0))
    merged[i] = news[i]
  else
    merged[i] = olds[i]
  end
end
redis.call('HSET', mkey, member, table.concat(merged, ','))
redis.call('HINCRBY', evk, 'v', '1')
redis.call('EXPIRE', evk, ttl)
redis.call('EXPIRE', mkey, ttl)
-- The event's sets as answered, read before their TTLs are renewed: an empty one does
-- not exist (an EXPIRE of it would do nothing), so only the others are renewed.
local reply = {ev, new, recrawl, seen, by_body, by_story, tostring(best),
               redis.call('HGETALL', evk), redis.call('SCARD', sets[1]),
               redis.call('SMEMBERS', sets[2]), redis.call('SMEMBERS', sets[3]),
               redis.call('SMEMBERS', sets[4]), redis.call('SCARD', sets[5]),
               redis.call('SMEMBERS', sets[6]), moved, placed}
for i, key in ipairs(sets) do
  local found = reply[i + 8]
  if (type(found) == 'table' and #found > 0) or (type(found) == 'number' and found > 0) then
    redis.call('EXPIRE', key, ttl)
  end
end
return reply
"""

# Raise-only: the event's level moves up, never down. Answers the level in force after
# the call and its reasons: the alert stage reads them from the item's attached
# summary instead of reading the event again.
RAISE_LEVEL_LUA = """
local rank = tonumber(redis.call('HGET', KEYS[1], 'level_rank') or '-1')
if tonumber(ARGV[2]) > rank then
  redis.call('HSET', KEYS[1], 'level', ARGV[1], 'level_rank', ARGV[2], 'level_reasons', ARGV[3])
  redis.call('HINCRBY', KEYS[1], 'v', 1)
  return {ARGV[1], ARGV[3]}
end
return redis.call('HMGET', KEYS[1], 'level', 'level_reasons')
"""


@dataclass(frozen=True)
class StoryRule:
    """When two rewritten reports are one story (analysis/storyfacts.py): at least
    `min_facts` shared facts, a place among them, covering `overlap` of the smaller
    fact set, a shared headline word, published within `window_hours` of each other."""

    min_facts: int = 3
    overlap: float = 0.5
    window_hours: float = 72.0


# The event state the event stage read for an item, handed to the later stages of the
# same item in this process (heat, level) so they need not read it again. Not an item
# field: never stored.
_SUMMARY_ATTR = "_event_summary"


def attach_summary(item: Any, summary: EventSummary) -> None:
    setattr(item, _SUMMARY_ATTR, summary)


def attached_summary(item: Any, event_id: str | None) -> EventSummary | None:
    """The summary the event stage attached to `item`, when it is of `event_id`."""
    found = getattr(item, _SUMMARY_ATTR, None)
    if isinstance(found, EventSummary) and found.event_id == event_id:
        return found
    return None


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
    candidates: int = 0  # shared an LSH bucket with the item
    rejected: int = 0  # shared a bucket but failed the similarity check
    similarity: float | None = None
    by_story: int = 0  # confirmed by the story facts (rewritten reports), not the body
    # The item became the first publisher of an event that had another: the members
    # stored before name the old one (the writer corrects them, store/documents.py).
    first_moved: bool = False
    # The value of the item's front-page placement key, when `record` was asked to read
    # it (None: no such key).
    placements: bytes | None = None


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
    # Read by the record call of an item that founded the event just now (its only
    # member): the heat stage then knows the event's series is that item's one point.
    founded: bool = False

    @property
    def central_first(self) -> bool:
        return self.first_tier == "central_key"


def _wire(value: int | float) -> bytes:
    """A number as redis-py sends it (its `Encoder.encode`: the repr, UTF-8)."""
    return repr(value).encode()


def _ms(value: datetime) -> int:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return int(value.timestamp() * 1000)


def heat_fields(heat: float, trend: dict[str, Any], at: datetime) -> tuple[float, str, int]:
    """The event hash's `heat`, `trend` and `heat_at` as the heat stage writes them (and
    `_summary` reads them back): the trend as `label|slope|points`, the time in ms."""
    trend_text = f"{trend.get('label') or ''}|{trend.get('slope') or 0}|{trend.get('points', 0)}"
    return heat, trend_text, _ms(at)


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
        story: StoryRule | None = None,
    ) -> None:
        self.client = client
        self.keys = keys
        self.bands = bands
        self.jaccard = jaccard
        self.containment = containment
        self.ttl = retention_seconds
        self.max_candidates = max_candidates
        self.story = story or StoryRule()
        self._record = client.register_script(EVENT_LUA)
        self._raise = client.register_script(RAISE_LEVEL_LUA)
        # The script's arguments as redis-py would encode them, made once: encoding
        # ~75 arguments per item (48 band keys) was a fifth of the call's cost.
        # All the band keys of an item, newline-separated, as one format string: one
        # `%` and one encode per item instead of one concatenation and encode per band.
        self._band_keys = "\n".join(
            self.keys.band(i, "").replace("%", "%%") + "%s" for i in range(bands)
        )
        self._doc_prefix = self.keys.doc("").encode()
        self._event_prefix = self.keys.event("").encode()
        # Handed by the script to EXPIRE as sent: printed as the server printed the
        # number the script made of it before ("%.17g"; an int's own digits).
        self._ttl = f"{self.ttl:.17g}".encode()
        self._rule = [
            _wire(self.jaccard),
            _wire(self.containment),
            _wire(self.max_candidates),
        ]
        self._window = _wire(int(self.story.window_hours * 3_600_000))
        self._story_rule = [_wire(self.story.min_facts), _wire(self.story.overlap)]

    # --- assignment and membership: one script call -------------------------------------

    def record(
        self,
        member: Member,
        sig: Signature | None,
        story: StoryKey | None,
        fallback: datetime,
        placements_key: str | None = None,
    ) -> tuple[Assignment, EventSummary]:
        """Index the item, give it its event (kept on a re-crawl; else the event of its
        closest confirmed near-duplicate or rewrite; else a new one named after it),
        record it in the event and answer the event's state — in one Redis call. With
        `placements_key` (its front-page placements, store/frontpage.py) the call also
        reads those: their sites join the event's, their value is in the assignment.

        `sig` None (body too short) = no body match; `story` None or without facts = no
        story match. A value Redis refuses raises `redis.ResponseError` for this item only.
        """
        bands = b""
        if sig is not None:
            bands = (self._band_keys % tuple(band_hashes(sig, self.bands))).encode()
        facts = story.facts if story is not None else ()
        title = "\n".join(story.title_words) if story is not None and facts else ""
        metrics = ",".join(
            "-" if member.metrics.get(name) is None else str(int(member.metrics[name] or 0))
            for name in METRIC_ORDER
        )
        args: list[str | int | float | bytes] = [
            member.opinion_id,
            new_event_id(member.opinion_id),
            self._doc_prefix,
            self._event_prefix,
            self._ttl,
            sig.to_bytes() if sig is not None else b"",
            sig.size if sig is not None else 0,
            *self._rule,
            _wire(member.order_ms(fallback)),
            self._window,
            title,
            *self._story_rule,
            member.site,
            member.platform,
            member.tier,
            member.big_v_author,
            "\n".join(member.front_pages),
            metrics,
            story.kinds if story is not None and facts else "",
            bands,
            "\n".join(map(self.keys.story_fact, facts)),
        ]
        keys = [self.keys.doc(member.opinion_id)]
        if placements_key:
            keys.append(placements_key)
        reply = self._record(keys=keys, args=args)
        event_id = _text(reply[0]) or ""
        seen, by_body, by_story = int(reply[3]), int(reply[4]), int(reply[5])
        best = float(reply[6])
        assignment = Assignment(
            event_id,
            new_event=bool(reply[1]),
            recrawl=bool(reply[2]),
            candidates=seen,
            rejected=seen - by_body,
            similarity=best or None,
            by_story=by_story,
            first_moved=bool(reply[14]),
            placements=reply[15] if placements_key and reply[15] else None,
        )
        state = dict(zip(reply[7][::2], reply[7][1::2], strict=True))
        summary = _summary(event_id, state, *reply[8:14])
        summary.founded = assignment.new_event and summary.members == 1
        return assignment, summary

    # --- event state --------------------------------------------------------------------

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

    def snapshots(self, event_ids: list[str], limit: int) -> list[tuple[EventSummary, list[str]]]:
        """The state and up to `limit` member ids of each event, in one round trip (the
        event record stage's flush)."""
        pipe = self.client.pipeline(transaction=False)
        for event_id in event_ids:
            pipe.hgetall(self.keys.event(event_id))
            for kind in EVENT_SETS:
                if kind in ("members", "bigv"):
                    pipe.scard(self.keys.event_set(event_id, kind))
                else:
                    pipe.smembers(self.keys.event_set(event_id, kind))
            pipe.srandmember(self.keys.event_set(event_id, "members"), limit)
        replies = pipe.execute()
        width = len(EVENT_SETS) + 2
        found = []
        for n, event_id in enumerate(event_ids):
            state, *sets, sample = replies[n * width : (n + 1) * width]
            members = sorted(_text(m) or "" for m in (sample if isinstance(sample, list) else []))
            found.append((_summary(event_id, state, *sets), members))
        return found

    def members(self, event_id: str, limit: int) -> list[str]:
        raw = self.client.srandmember(self.keys.event_set(event_id, "members"), limit)
        # With a count SRANDMEMBER answers a list (empty for a missing set).
        members = raw if isinstance(raw, list) else []
        return sorted(_text(m) or "" for m in members)

    def raise_level(
        self, event_id: str, level: str, rank: int, reasons: list[str]
    ) -> tuple[str, list[str]]:
        """Raise the event's level if `rank` is above it; the level in force after, and
        its reasons."""
        now, why = self._raise(
            keys=[self.keys.event(event_id)], args=[level, rank, "|".join(reasons)]
        )
        found = _text(now)
        if found is None:
            return level, list(reasons)
        text = _text(why)
        return found, text.split("|") if text else []


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
