"""Cookie sessions per platform, shared by every worker through Redis.

A session is one cookie header (a logged-in account, or a platform's anonymous
visitor cookie). Workers load the login cookies they were given (files, environment)
into Redis; visitor cookies are fetched by whichever worker needs one first and then
used by all. Sessions rotate least-recently-used first; a banned one cools down for
a while (a key with a TTL); an expired login is set aside and recorded for the
crawl-health alert. Cookie values live only in Redis and in request headers: every
log line, stat and record names a session by its id, a digest of the value.

Keys, for platform P (the contract other components read; docs/sessions.md), under
`YUQING_OPS_PREFIX` (default `yuqing`):

    yuqing:cookies:P:values        hash id -> cookie header (the secret)
    yuqing:cookies:P:meta:<id>     hash kind, origin, added_at, expires_at, uses,
                                   bans, last_used, last_ok, last_ban, expired_at,
                                   expired_reason
    yuqing:cookies:P:ring          zset id -> last use (epoch s): rotation order
    yuqing:cookies:P:cooldown:<id> string ban reason, expires when the cooldown ends
    yuqing:cookies:P:expired       hash id -> epoch s it was found expired (read by the
                                   crawl-health check; reason etc. in the meta hash)
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from yuqing_spiders.fetch.proxies import strip_proxy
from yuqing_spiders.model import meta

if TYPE_CHECKING:
    import redis
    from scrapy import Request
    from scrapy.http import Response

logger = logging.getLogger(__name__)


class VisitorError(Exception):
    """A platform did not hand out a visitor cookie (message safe to log).

    A visitor handshake is an async function `(download) -> Cookie header` named by
    dotted path in `COOKIE_POOL_PLATFORMS[<platform>]["visitor"]`; it lives in the
    platform's source folder (spiders/weibo/visitor.py) and raises this on failure.
    """


# A visitor handshake: given the crawler's download function, a Cookie header.
Handshake = Callable[[Callable[["Request"], Awaitable["Response"]]], Awaitable[str]]

LOGIN = "login"
VISITOR = "visitor"
KEY_PREFIX = "yuqing:cookies"

# One atomic pick across all workers: the least recently used session of an allowed
# kind that is neither cooling down nor expired; visitor sessions past their lifetime
# are removed on the way. Keys are built from the prefix (a single Redis, not a cluster).
_ACQUIRE = """
local prefix, now, kinds, forced = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4]
local ring = prefix .. ':ring'
local ids = redis.call('ZRANGE', ring, 0, -1)
if forced ~= '' then ids = {forced} end
for _, id in ipairs(ids) do
  local meta = prefix .. ':meta:' .. id
  local kind, expires = unpack(redis.call('HMGET', meta, 'kind', 'expires_at'))
  if kind and expires and tonumber(expires) <= now then
    redis.call('ZREM', ring, id)
    redis.call('HDEL', prefix .. ':values', id)
    redis.call('DEL', meta)
  elseif kind and string.find(kinds, kind, 1, true)
      and redis.call('EXISTS', prefix .. ':cooldown:' .. id) == 0
      and redis.call('HEXISTS', prefix .. ':expired', id) == 0
      and redis.call('ZSCORE', ring, id) then
    redis.call('ZADD', ring, now, id)
    redis.call('HINCRBY', meta, 'uses', 1)
    redis.call('HSET', meta, 'last_used', now)
    return {id, redis.call('HGET', prefix .. ':values', id), kind}
  end
end
return false
"""


def ops_prefix(settings: Any, part: str) -> str:
    """`<YUQING_OPS_PREFIX>:<part>`: tests and two installations on one Redis keep apart."""
    return f"{settings.get('YUQING_OPS_PREFIX') or 'yuqing'}:{part}"


def session_id(value: str, salt: str = "") -> str:
    """The name of a session in logs, stats and Redis: never the value itself."""
    return hashlib.sha256(f"{salt}{value}".encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Session:
    id: str
    cookie: str  # the Cookie header value: a secret, never logged
    kind: str  # login | visitor

    def __repr__(self) -> str:  # a Session printed by accident shows no secret
        return f"Session(id={self.id!r}, kind={self.kind!r})"


class CookiePool:
    """The sessions of one platform in Redis; safe to use from any number of workers."""

    def __init__(self, client: redis.Redis, platform: str, prefix: str = KEY_PREFIX) -> None:
        self.client = client
        self.platform = platform
        self.key = f"{prefix}:{platform}"
        self._acquire = client.register_script(_ACQUIRE)

    # --- adding sessions ----------------------------------------------------------------
    def add(
        self, cookie: str, *, kind: str = LOGIN, origin: str = "", ttl: float | None = None
    ) -> str | None:
        """Register a session; returns its id, or None when it is recorded as expired.

        A login cookie keeps its id (and its history) however often it is loaded. A
        visitor cookie is a new session each time the platform hands one out, even if
        the value repeats, so a cooled-down visitor never blocks a fresh one.
        """
        now = time.time()
        sid = session_id(cookie, "" if kind == LOGIN else f"{now!r}:")
        if self.client.hexists(f"{self.key}:expired", sid):
            return None
        fields: dict[str, Any] = {"kind": kind, "origin": origin, "added_at": now}
        if ttl:
            fields["expires_at"] = now + ttl
        pipe = self.client.pipeline()
        pipe.hsetnx(f"{self.key}:values", sid, cookie)
        for name, value in fields.items():
            pipe.hsetnx(f"{self.key}:meta:{sid}", name, value)
        pipe.zadd(f"{self.key}:ring", {sid: 0}, nx=True)
        pipe.execute()
        return sid

    def load(self, cookies: list[tuple[str, str]]) -> list[str]:
        """Add (origin, cookie) login sessions; the ids of those usable."""
        ids = [self.add(cookie, origin=origin) for origin, cookie in cookies]
        return [i for i in ids if i]

    # --- using sessions -----------------------------------------------------------------
    def acquire(self, kinds: tuple[str, ...] = (LOGIN, VISITOR), only: str = "") -> Session | None:
        """The next session to use (least recently used first), or None."""
        found = self._acquire(args=[self.key, time.time(), ",".join(kinds), only])
        if not found:
            return None
        sid, cookie, kind = (_text(v) for v in found)
        return Session(sid, cookie, kind)

    def count(self, kind: str | None = None) -> int:
        """Sessions registered and not expired (cooling ones included)."""
        ids = self._ring()
        expired = {_text(k) for k in self.client.hkeys(f"{self.key}:expired")}
        if kind is None:
            return len([i for i in ids if i not in expired])
        kinds = self.client.pipeline()
        for sid in ids:
            kinds.hget(f"{self.key}:meta:{sid}", "kind")
        return sum(
            1
            for sid, k in zip(ids, kinds.execute(), strict=True)
            if k and _text(k) == kind and sid not in expired
        )

    def login_ids(self) -> list[str]:
        ids = self._ring()
        return [i for i in ids if self.kind_of(i) == LOGIN and not self.is_expired(i)]

    def _ring(self) -> list[str]:
        """Every registered session id, in rotation order."""
        return [_text(i) for i in self.client.zrange(f"{self.key}:ring", 0, -1)]

    def kind_of(self, sid: str) -> str | None:
        kind = self.client.hget(f"{self.key}:meta:{sid}", "kind")
        return _text(kind) if kind else None

    def cookie_of(self, sid: str) -> str | None:
        """The session's Cookie header (a secret: for signing what it covers, never
        for logs), or None once it is gone."""
        value = self.client.hget(f"{self.key}:values", sid)
        return _text(value) if value else None

    def mark_ok(self, sid: str) -> None:
        """A response showed the session works (the passive health check)."""
        self.client.hset(f"{self.key}:meta:{sid}", "last_ok", time.time())

    def cool_down(self, sid: str, reason: str, seconds: float) -> None:
        """Banned: unused by every worker for `seconds` (atomic SET with expiry)."""
        pipe = self.client.pipeline()
        pipe.set(f"{self.key}:cooldown:{sid}", reason, ex=max(1, int(seconds)))
        pipe.hincrby(f"{self.key}:meta:{sid}", "bans", 1)
        pipe.hset(f"{self.key}:meta:{sid}", "last_ban", f"{time.time()} {reason}")
        pipe.execute()

    def is_cooling(self, sid: str) -> bool:
        return bool(self.client.exists(f"{self.key}:cooldown:{sid}"))

    def expire(self, sid: str, reason: str) -> bool:
        """A login that the platform no longer accepts: set aside and recorded in
        `...:expired` (id -> epoch, what the crawl-health check reads) with the reason in
        its meta hash. True the first time only."""
        now = time.time()
        first = self.client.hsetnx(f"{self.key}:expired", sid, int(now))
        if first:
            self.client.hset(
                f"{self.key}:meta:{sid}", mapping={"expired_at": now, "expired_reason": reason}
            )
        self.client.hdel(f"{self.key}:values", sid)
        return bool(first)

    def drop(self, sid: str) -> None:
        """Forget a session (a visitor cookie the platform stopped honouring)."""
        pipe = self.client.pipeline()
        pipe.zrem(f"{self.key}:ring", sid)
        pipe.hdel(f"{self.key}:values", sid)
        pipe.delete(f"{self.key}:meta:{sid}")
        pipe.execute()

    def is_expired(self, sid: str) -> bool:
        return bool(self.client.hexists(f"{self.key}:expired", sid))

    def expired(self) -> dict[str, dict[str, Any]]:
        """Expired sessions: id -> {since (UTC ISO), reason, kind, origin}, no values."""
        found = {}
        for raw_id, epoch in self.client.hgetall(f"{self.key}:expired").items():
            sid = _text(raw_id)
            meta = self.client.hgetall(f"{self.key}:meta:{sid}")
            found[sid] = {
                "since": datetime.fromtimestamp(int(epoch), UTC).isoformat(),
                "reason": _text(meta.get(b"expired_reason") or b""),
                "kind": _text(meta.get(b"kind") or b""),
                "origin": _text(meta.get(b"origin") or b""),
            }
        return found


# --- where login cookies come from ---------------------------------------------------------


def _cookie_header(data: Any) -> str | None:
    """A Cookie header from a JSON export: {"name": "value"} or [{"name", "value"}]."""
    if isinstance(data, dict):
        pairs = [(str(k), str(v)) for k, v in data.items()]
    elif isinstance(data, list):
        pairs = [(str(c["name"]), str(c["value"])) for c in data if "name" in c and "value" in c]
    else:
        return None
    return "; ".join(f"{k}={v}" for k, v in pairs) or None


def read_cookie_file(path: Path) -> list[str]:
    """`.txt`: one Cookie header per line (`#` comments); `.json`: one browser export."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        try:
            header = _cookie_header(json.loads(text))
        except (ValueError, KeyError, TypeError):
            logger.error("cookie file %s is not a cookie export; skipped", path.name)
            return []
        return [header] if header else []
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


def configured_cookies(platform: str, directory: str | Path | None) -> list[tuple[str, str]]:
    """(origin, cookie) of `<dir>/<platform>/*.txt|json` and `YUQING_COOKIES_<PLATFORM>`
    (one Cookie header per line). Origins name files and variables, never values."""
    found: list[tuple[str, str]] = []
    folder = Path(directory) / platform if directory else None
    if folder and folder.is_dir():
        for path in sorted(folder.iterdir()):
            if path.suffix in (".txt", ".json"):
                for n, cookie in enumerate(read_cookie_file(path), 1):
                    found.append((f"{platform}/{path.name}#{n}", cookie))
    variable = f"YUQING_COOKIES_{platform.upper()}"
    for n, line in enumerate((os.environ.get(variable) or "").splitlines(), 1):
        if line.strip():
            found.append((f"env:{variable}#{n}", line.strip()))
    return found


def strip_cookie(request: Request) -> None:
    """Drop a pool cookie from a request that is done with it (retries, redirects and
    the shared queue must never carry it)."""
    if request.meta.get(meta.COOKIE_POOL_ID):
        request.headers.pop(b"Cookie", None)


def _text(value: object) -> str:
    """A Redis reply as text (the clients do not decode responses: replies are bytes)."""
    return value.decode() if isinstance(value, bytes) else str(value)


def strip_session(request: Request) -> None:
    """A request about to be retried elsewhere: no cookie, no proxy, nothing of its
    session (the next attempt picks both anew)."""
    request.headers.pop(b"Cookie", None)
    for key in (meta.COOKIE_POOL_ID, meta.COOKIE_POOL_PLATFORM, meta.COOKIE_POOL_KIND):
        request.meta.pop(key, None)
    strip_proxy(request, forget=True)
