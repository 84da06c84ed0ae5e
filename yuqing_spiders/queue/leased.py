"""A Redis priority queue whose pops are leases: a request comes back unless acknowledged.

Keys, from the scheduler's ``SCHEDULER_QUEUE_KEY`` (``yuqing:<spider>:requests``):

=====================  ======  ===========================================================
``K``                  zset    pending request ids, score = -priority (as scrapy-redis)
``K:data``             hash    id -> the request as JSON (``Request.to_dict()``)
``K:leases``           zset    leased ids, score = lease expiry (ms, Redis server time)
``K:owners``           hash    leased id -> ``<worker token>|<pending score>``
``K:seq``              string  id counter: ids are zero-padded, so equal priorities
                               come out first in, first out
``K:dead``             hash    id -> JSON that could not be turned back into a request
=====================  ======  ===========================================================

Every change is one Lua script, timed by Redis ``TIME`` (one clock for the whole
cluster): a pop moves an id from pending to leased; an ack deletes it with its data;
a renewal moves its expiry forward; a release or an expired lease (the reaper, run
inside every pop and periodically by every worker) puts it back in pending with its
old priority. Acks, renewals and releases only touch leases that carry the caller's
token, so a worker whose lease ran out can never delete the request another worker
now holds. Requeued ids go back inside Redis, never through a dupefilter.

Compatible with scrapy-redis's queue interface (``push``, ``pop``, ``__len__``,
``clear``); the acknowledging needs `yuqing_spiders.queue.scheduler.LeasedScheduler`.
"""

from __future__ import annotations

import os
import socket
import uuid
from typing import TYPE_CHECKING, Any, NamedTuple

from scrapy_redis.queue import Base

from yuqing_spiders.queue.bloom import BLOOM_LUA

if TYPE_CHECKING:
    import redis
    from scrapy import Request, Spider

_COMMON_LUA = """
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function owned(owner, token)
  local prefix = token .. '|'
  return owner and string.sub(owner, 1, #prefix) == prefix
end
local function score_of(owner)
  return tonumber(string.match(owner or '', '|([^|]*)$')) or 0
end
local function reap(pending, leases, owners, limit, now)
  local expired = redis.call('ZRANGEBYSCORE', leases, '-inf', now, 'LIMIT', 0, limit)
  for _, id in ipairs(expired) do
    redis.call('ZADD', pending, score_of(redis.call('HGET', owners, id)), id)
    redis.call('ZREM', leases, id)
    redis.call('HDEL', owners, id)
  end
  return #expired
end
"""

# KEYS pending, data, seq; ARGV score, payload[, Bloom check args]. -> {check, id|nil}
_PUSH = (
    BLOOM_LUA
    + """
local checked = 1
if #ARGV > 2 then
  checked = bloom_check_and_set(ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), 7)
  if checked ~= 1 then return {checked, false} end
end
local id = string.format('%016.0f', redis.call('INCR', KEYS[3]))
redis.call('ZADD', KEYS[1], ARGV[1], id)
redis.call('HSET', KEYS[2], id, ARGV[2])
return {checked, id}
"""
)

# KEYS pending, data, leases, owners; ARGV lease ms, token, reap limit.
# -> {reaped[, id, payload|nil]}
_POP = (
    _COMMON_LUA
    + """
local now = now_ms()
local reaped = reap(KEYS[1], KEYS[3], KEYS[4], tonumber(ARGV[3]), now)
local top = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #top == 0 then return {reaped} end
local id, score = top[1], top[2]
redis.call('ZREM', KEYS[1], id)
local payload = redis.call('HGET', KEYS[2], id)
if not payload then return {reaped, id, false} end
redis.call('ZADD', KEYS[3], now + tonumber(ARGV[1]), id)
redis.call('HSET', KEYS[4], id, ARGV[2] .. '|' .. score)
return {reaped, id, payload}
"""
)

# KEYS pending, data, leases, owners; ARGV token, ids... -> {acked, acked_requeued, stale}
_ACK = (
    _COMMON_LUA
    + """
local acked, requeued, stale = 0, 0, 0
for i = 2, #ARGV do
  local id = ARGV[i]
  local owner = redis.call('HGET', KEYS[4], id)
  if owned(owner, ARGV[1]) then
    redis.call('ZREM', KEYS[3], id)
    redis.call('HDEL', KEYS[4], id)
    redis.call('HDEL', KEYS[2], id)
    acked = acked + 1
  elseif not owner and redis.call('ZREM', KEYS[1], id) == 1 then
    -- Our lease ran out and the request waits in pending again, but our work on it
    -- is done and stored: take it out rather than have it fetched twice.
    redis.call('HDEL', KEYS[2], id)
    requeued = requeued + 1
  else
    stale = stale + 1
  end
end
return {acked, requeued, stale}
"""
)

# KEYS leases, owners; ARGV token, lease ms, ids... -> ids no longer ours
_RENEW = (
    _COMMON_LUA
    + """
local expiry = now_ms() + tonumber(ARGV[2])
local lost = {}
for i = 3, #ARGV do
  if owned(redis.call('HGET', KEYS[2], ARGV[i]), ARGV[1]) then
    redis.call('ZADD', KEYS[1], expiry, ARGV[i])
  else
    table.insert(lost, ARGV[i])
  end
end
return lost
"""
)

# KEYS pending, leases, owners; ARGV token, ids... -> released count
_RELEASE = (
    _COMMON_LUA
    + """
local released = 0
for i = 2, #ARGV do
  local owner = redis.call('HGET', KEYS[3], ARGV[i])
  if owned(owner, ARGV[1]) then
    redis.call('ZADD', KEYS[1], score_of(owner), ARGV[i])
    redis.call('ZREM', KEYS[2], ARGV[i])
    redis.call('HDEL', KEYS[3], ARGV[i])
    released = released + 1
  end
end
return released
"""
)

# KEYS pending, leases, owners; ARGV limit -> reaped count
_REAP = _COMMON_LUA + "return reap(KEYS[1], KEYS[2], KEYS[3], tonumber(ARGV[1]), now_ms())"

# KEYS data, leases, owners, dead; ARGV token, id -> 1 when buried
_BURY = (
    _COMMON_LUA
    + """
if not owned(redis.call('HGET', KEYS[3], ARGV[2]), ARGV[1]) then return 0 end
local payload = redis.call('HGET', KEYS[1], ARGV[2])
if payload then redis.call('HSET', KEYS[4], ARGV[2], payload) end
redis.call('HDEL', KEYS[1], ARGV[2])
redis.call('ZREM', KEYS[2], ARGV[2])
redis.call('HDEL', KEYS[3], ARGV[2])
return 1
"""
)


class QueueKeys(NamedTuple):
    pending: str
    data: str
    leases: str
    owners: str
    seq: str
    dead: str

    @classmethod
    def for_key(cls, key: str) -> QueueKeys:
        parts = ("data", "leases", "owners", "seq", "dead")
        return cls(key, *(f"{key}:{part}" for part in parts))


class Lease(NamedTuple):
    id: str
    request: Request


class Pushed(NamedTuple):
    """The Bloom check's result (`bloom.NEW` when not filtered) and the new id, if queued."""

    check: int
    id: str | None


class Popped(NamedTuple):
    """One pop: leases returned to pending on the way, and the lease taken (if any)."""

    reaped: int
    lease: Lease | None = None
    # Ids that were pending but unusable: data missing, or JSON that is no request.
    dropped: str | None = None
    buried: str | None = None


def worker_token() -> str:
    """Host, pid and a random part: readable in redis-cli, unique per scheduler."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def queue_depths(server: redis.Redis, key: str) -> dict[str, int]:
    """Pending, leased and dead requests of one queue (for `yuqing status`)."""
    keys = QueueKeys.for_key(key)
    pipe = server.pipeline(transaction=False)
    pipe.zcard(keys.pending)
    pipe.zcard(keys.leases)
    pipe.hlen(keys.dead)
    pending, leased, dead = pipe.execute()
    return {"pending": int(pending), "leased": int(leased), "dead": int(dead)}


class LeasedPriorityQueue(Base):
    """SCHEDULER_QUEUE_CLASS of the distributed overlay (see the module docstring)."""

    def __init__(
        self,
        server: redis.Redis,
        spider: Spider,
        key: str,
        serializer: Any = None,
        *,
        lease_seconds: float = 120.0,
        reap_batch: int = 100,
        token: str | None = None,
    ) -> None:
        super().__init__(server, spider, key, serializer)
        if lease_seconds <= 0:
            raise ValueError(f"lease_seconds must be positive, not {lease_seconds}")
        self.keys = QueueKeys.for_key(self.key)
        self.lease_ms = int(lease_seconds * 1000)
        self.reap_batch = reap_batch
        self.token = token or worker_token()
        self._push = server.register_script(_PUSH)
        self._pop = server.register_script(_POP)
        self._ack = server.register_script(_ACK)
        self._renew = server.register_script(_RENEW)
        self._release = server.register_script(_RELEASE)
        self._reap = server.register_script(_REAP)
        self._bury = server.register_script(_BURY)

    # --- scrapy-redis queue interface ---------------------------------------------------

    def __len__(self) -> int:
        """Pending requests (not the leased ones: see `leased`)."""
        return int(self.server.zcard(self.keys.pending))

    def push(self, request: Request) -> None:
        self.push_unless_seen(request, None)

    def pop(self, timeout: float = 0) -> Request | None:
        """Lease the next request (scrapy-redis interface; `timeout` is not supported)."""
        lease = self.pop_leased().lease
        return lease.request if lease else None

    def clear(self) -> None:
        self.server.delete(*self.keys)

    # --- leases -------------------------------------------------------------------------

    def leased(self) -> int:
        return int(self.server.zcard(self.keys.leases))

    def backlog(self) -> int:
        """Pending plus leased (by any worker): work not finished yet. One round trip."""
        pipe = self.server.pipeline(transaction=False)
        pipe.zcard(self.keys.pending).zcard(self.keys.leases)
        return sum(int(n) for n in pipe.execute())

    def push_unless_seen(self, request: Request, filter_args: list[Any] | None) -> Pushed:
        """Queue `request`; with Bloom `filter_args`, only if the filter had not seen it,
        checked and pushed in one script (no crash between the two can lose it)."""
        args = [-request.priority, self._encode_request(request), *(filter_args or ())]
        keys = [self.keys.pending, self.keys.data, self.keys.seq]
        checked, request_id = self._push(keys=keys, args=args)
        return Pushed(int(checked), _text(request_id) if request_id else None)

    def pop_leased(self) -> Popped:
        keys = [self.keys.pending, self.keys.data, self.keys.leases, self.keys.owners]
        reply = self._pop(keys=keys, args=[self.lease_ms, self.token, self.reap_batch])
        reaped = int(reply[0])
        if len(reply) < 2:
            return Popped(reaped)
        request_id = _text(reply[1])
        if len(reply) < 3 or reply[2] is None:
            return Popped(reaped, dropped=request_id)
        try:
            request = self._decode_request(reply[2])
        except (ValueError, KeyError, TypeError, AttributeError):
            # Not a request we can run (bad JSON, a callback this spider no longer has):
            # kept aside for a person, never retried in a loop.
            self._bury(keys=[*keys[1:], self.keys.dead], args=[self.token, request_id])
            return Popped(reaped, buried=request_id)
        return Popped(reaped, Lease(request_id, request))

    def ack(self, ids: list[str]) -> tuple[int, int, int]:
        """(acked, acked after being requeued, stale: now leased by another worker)."""
        if not ids:
            return 0, 0, 0
        keys = [self.keys.pending, self.keys.data, self.keys.leases, self.keys.owners]
        acked, requeued, stale = self._ack(keys=keys, args=[self.token, *ids])
        return int(acked), int(requeued), int(stale)

    def renew(self, ids: list[str]) -> list[str]:
        """Move the leases forward; returns the ids that are no longer ours."""
        if not ids:
            return []
        keys = [self.keys.leases, self.keys.owners]
        lost = self._renew(keys=keys, args=[self.token, self.lease_ms, *ids])
        return [_text(i) for i in lost]

    def release(self, ids: list[str]) -> int:
        """Give our leases back to pending now (a worker that stops)."""
        if not ids:
            return 0
        keys = [self.keys.pending, self.keys.leases, self.keys.owners]
        return int(self._release(keys=keys, args=[self.token, *ids]))

    def reap(self) -> int:
        """Return expired leases (of any worker) to pending; how many."""
        keys = [self.keys.pending, self.keys.leases, self.keys.owners]
        return int(self._reap(keys=keys, args=[self.reap_batch]))


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
