"""Every Redis and MongoDB client of the project is made here, from settings.

One place decides how yuqing connects, so every component behaves the same when a
server is slow or gone:

- timeouts on every client (REDIS_SOCKET_TIMEOUT, REDIS_CONNECT_TIMEOUT,
  MONGO_SERVER_SELECTION_TIMEOUT_MS, MONGO_CONNECT_TIMEOUT_MS, MONGO_SOCKET_TIMEOUT_MS):
  most Redis calls run on the reactor thread, where a server that stops answering
  must fail the call within seconds instead of freezing the crawl;
- MongoDB clients return aware datetimes (`tz_aware=True`): stored times are UTC and
  every reader (the writer's stale-write guard, heat, reports) compares aware values;
- how a URI is shown: `redact_uri` for logs, `scrub` for error messages, so a password
  written into REDIS_URL or MONGO_URI never reaches a log line or a stat;
- one connection pool per server and process: every Redis client of one URL (and
  the same timeouts) shares a connection pool, and the crawl's components share one
  MongoClient per URI (`shared_mongo`, given back with `release_mongo`), as pymongo
  advises. A `yuqing worker` runs a crawler per spider (47 of them), each with a dozen
  components: with a client each, an idle worker held 614 MongoDB and 141 Redis
  connections and 849 threads, and the MongoDB server alone spent 39 ms of CPU a
  second answering their heartbeats (bench/idle.py).

No other production module constructs a client (tests/unit/store/test_connections.py
reads the code to hold that); tests may build their own to inspect the servers.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol, Self
from urllib.parse import unquote

import redis
from pymongo import MongoClient
from pymongo.errors import PyMongoError

__all__ = [
    "MongoOptions",
    "RedisOptions",
    "UnusableURI",
    "mongo_client",
    "mongo_from_settings",
    "redact_uri",
    "release_mongo",
    "redis_from_settings",
    "redis_from_url",
    "redis_if_configured",
    "redis_url",
    "scrub",
    "shared_mongo",
    "shared_mongo_client",
    "uri_secrets",
]

# The shared pools and clients, by (process id, URI, options): a forked child makes
# its own (neither library's sockets may cross a fork).
_LOCK = threading.Lock()
_REDIS_POOLS: dict[tuple[int, str, RedisOptions], redis.ConnectionPool] = {}
_MONGO_CLIENTS: dict[tuple[int, str, MongoOptions], _Shared] = {}


class SettingsLike(Protocol):
    """What is read of a settings object: Scrapy's `Settings` has all of it."""

    def get(self, name: str, default: Any = None) -> Any: ...
    def getfloat(self, name: str, default: float = 0.0) -> float: ...
    def getint(self, name: str, default: int = 0) -> int: ...


class UnusableURI(ValueError):
    """A URI the client library refuses; the message is redacted, safe to log."""


# --- how a URI is shown ---------------------------------------------------------------


def redact_uri(uri: str) -> str:
    """A MongoDB or Redis URI fit for logs: the password and the query (which may carry
    credentials such as AWS session tokens) replaced by `***`."""
    scheme, sep, rest = uri.partition("://")
    if not sep:
        return "<unparsable MongoDB URI>"
    hosts, slash, tail = rest.partition("/")
    userinfo, at, hosts = hosts.rpartition("@")
    if at:
        user = userinfo.split(":", 1)[0]
        hosts = f"{user}:***@{hosts}" if ":" in userinfo else f"{user}@{hosts}"
    path, question, _query = tail.partition("?")
    return f"{scheme}://{hosts}{slash}{path}{'?***' if question else ''}"


def uri_secrets(uri: str) -> tuple[str, ...]:
    """The password of a URI as written and decoded, to scrub from error messages."""
    _scheme, _sep, rest = uri.partition("://")
    userinfo, at, _hosts = rest.partition("/")[0].rpartition("@")
    if not at or ":" not in userinfo:
        return ()
    password = userinfo.split(":", 1)[1]
    return tuple({password, unquote(password)} - {""})


def scrub(text: str, secrets: tuple[str, ...] | str) -> str:
    """`text` with every secret (or the password of a URI given instead) cut out."""
    for secret in uri_secrets(secrets) if isinstance(secrets, str) else secrets:
        if secret:
            text = text.replace(secret, "***")
    return text


# --- Redis --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RedisOptions:
    """Seconds; the defaults are those of settings/__init__.py."""

    socket_timeout: float = 5.0
    connect_timeout: float = 5.0
    # A connection idle this long is PINGed before use: one left over from before a
    # Redis restart is re-made instead of failing the next command.
    health_check_interval: int = 30

    @classmethod
    def from_settings(cls, settings: SettingsLike) -> Self:
        return cls(
            socket_timeout=settings.getfloat("REDIS_SOCKET_TIMEOUT", cls.socket_timeout),
            connect_timeout=settings.getfloat("REDIS_CONNECT_TIMEOUT", cls.connect_timeout),
            health_check_interval=settings.getint(
                "REDIS_HEALTH_CHECK_INTERVAL", cls.health_check_interval
            ),
        )


def redis_url(settings: SettingsLike | Mapping[str, Any]) -> str | None:
    """The Redis server of `settings`: REDIS_URL, else scrapy-redis's REDIS_HOST /
    REDIS_PORT / REDIS_DB (still honoured for deployments configured that way)."""
    url = settings.get("REDIS_URL")
    if url:
        return str(url)
    host = settings.get("REDIS_HOST")
    if not host:
        return None
    return f"redis://{host}:{settings.get('REDIS_PORT') or 6379}/{settings.get('REDIS_DB') or 0}"


def redis_from_url(
    url: str, options: RedisOptions | None = None, *, shared: bool = True
) -> redis.Redis:
    """A client of the server at `url` (nothing is sent until the first command), on the
    process's connection pool for `url` and `options`: a command takes a connection
    for its own time only, so one pool serves every component. `close()` on the client
    leaves the pool (and the other components) alone. `shared=False`: a pool of its
    own, closed with the client (a probe of a server about to be stopped, whose
    connection must not outlive it)."""
    options = options or RedisOptions()
    if not shared:
        client = redis.Redis(connection_pool=_redis_pool(url, options))
        client.auto_close_connection_pool = True
        return client
    key = (os.getpid(), url, options)
    with _LOCK:
        pool = _REDIS_POOLS.get(key)
        if pool is None:
            pool = _REDIS_POOLS[key] = _redis_pool(url, options)
    return redis.Redis(connection_pool=pool)


def _redis_pool(url: str, options: RedisOptions) -> redis.ConnectionPool:
    try:
        return redis.ConnectionPool.from_url(
            url,
            socket_timeout=options.socket_timeout,
            socket_connect_timeout=options.connect_timeout,
            health_check_interval=options.health_check_interval,
        )
    except ValueError as exc:
        reason = scrub(str(exc), url)
        raise UnusableURI(f"Redis URL {redact_uri(url)} is not usable: {reason}") from None


def redis_from_settings(settings: SettingsLike, *, url: str | None = None) -> redis.Redis:
    """The client every component uses: `url` (a command's own) or the settings' server,
    with the settings' timeouts. ValueError when no server is configured."""
    url = url or redis_url(settings)
    if not url:
        raise ValueError("REDIS_URL is not set")
    return redis_from_url(url, RedisOptions.from_settings(settings))


def redis_if_configured(settings: SettingsLike) -> redis.Redis | None:
    """The settings' client, or None without a Redis server (components that then keep
    their state for this process only)."""
    return redis_from_settings(settings) if redis_url(settings) else None


# --- MongoDB ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MongoOptions:
    """Milliseconds; the defaults are those of settings/__init__.py."""

    server_selection_timeout_ms: int = 3000
    connect_timeout_ms: int = 5000
    # The longest one operation may wait for its answer; 0 = no limit.
    socket_timeout_ms: int = 60_000
    # A pooled connection unused this long is closed; 0 = never.
    max_idle_time_ms: int = 60_000
    # Writes acknowledged only once in the server's journal (writeConcern j:true): the
    # leased queue acknowledges a request once its items are stored, so "stored" must
    # survive a crash of the server. Without it a SIGKILLed SecantusDB lost 28 of 400
    # acknowledged upserts (mongod: up to its 100 ms journal interval).
    journal: bool = True

    @classmethod
    def from_settings(cls, settings: SettingsLike) -> Self:
        return cls(
            server_selection_timeout_ms=settings.getint(
                "MONGO_SERVER_SELECTION_TIMEOUT_MS", cls.server_selection_timeout_ms
            ),
            connect_timeout_ms=settings.getint("MONGO_CONNECT_TIMEOUT_MS", cls.connect_timeout_ms),
            socket_timeout_ms=settings.getint("MONGO_SOCKET_TIMEOUT_MS", cls.socket_timeout_ms),
            max_idle_time_ms=settings.getint("MONGO_MAX_IDLE_TIME_MS", cls.max_idle_time_ms),
            journal=_getbool(settings, "MONGO_JOURNAL", cls.journal),
        )


def _getbool(settings: SettingsLike, name: str, default: bool) -> bool:
    getbool = getattr(settings, "getbool", None)
    if getbool is not None:
        return bool(getbool(name, default))
    value = settings.get(name, default)
    return value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes")


def mongo_client(
    uri: str, options: MongoOptions | None = None, *, appname: str = "yuqing"
) -> MongoClient[dict[str, Any]]:
    """A client of `uri` returning aware datetimes; `appname` shows in the server's
    logs and currentOp (which component it is). Connects in the background: the first
    operation raises when the server cannot be reached. UnusableURI, redacted, for a
    URI pymongo refuses (pymongo may quote parts of it back: the password is cut out)."""
    options = options or MongoOptions()
    try:
        return MongoClient(
            uri,
            serverSelectionTimeoutMS=options.server_selection_timeout_ms,
            connectTimeoutMS=options.connect_timeout_ms,
            socketTimeoutMS=options.socket_timeout_ms or None,
            maxIdleTimeMS=options.max_idle_time_ms or None,
            tz_aware=True,
            appname=appname,
            journal=options.journal,
        )
    except (PyMongoError, ValueError) as exc:  # InvalidURI, or a port that is no number
        raise UnusableURI(
            f"MONGO_URI {redact_uri(uri)} is not usable: {scrub(str(exc), uri)}"
        ) from None


def mongo_from_settings(
    settings: SettingsLike, *, uri: str | None = None, appname: str = "yuqing"
) -> MongoClient[dict[str, Any]]:
    """`uri` (a command's own) or MONGO_URI, with the settings' timeouts: a client of
    its own, for a command that closes it when done. ValueError when no server is
    configured."""
    return mongo_client(
        _mongo_uri(settings, uri), MongoOptions.from_settings(settings), appname=appname
    )


def _mongo_uri(settings: SettingsLike, uri: str | None) -> str:
    uri = uri or settings.get("MONGO_URI")
    if not uri:
        raise ValueError("MONGO_URI is not set")
    return str(uri)


@dataclass
class _Shared:
    client: MongoClient[dict[str, Any]]
    users: int = 0


def shared_mongo(settings: SettingsLike, *, uri: str | None = None) -> MongoClient[dict[str, Any]]:
    """The process's client of `uri` or MONGO_URI with the settings' timeouts, shared by
    every component and crawler that asks for the same (pymongo's clients are thread
    safe, with a pool of their own). Give it back with `release_mongo`, never
    `close()`: the last one given back closes it. ValueError when no server is
    configured; UnusableURI for a URI pymongo refuses."""
    return shared_mongo_client(_mongo_uri(settings, uri), MongoOptions.from_settings(settings))


def shared_mongo_client(
    uri: str, options: MongoOptions | None = None
) -> MongoClient[dict[str, Any]]:
    """`shared_mongo` for a URI and options at hand."""
    options = options or MongoOptions()
    key = (os.getpid(), uri, options)
    with _LOCK:
        shared = _MONGO_CLIENTS.get(key)
        if shared is None:
            shared = _MONGO_CLIENTS[key] = _Shared(mongo_client(uri, options))
        shared.users += 1
        return shared.client


def release_mongo(client: MongoClient[dict[str, Any]]) -> None:
    """Give back a client of `shared_mongo`; the last user's release closes it. A
    client that is not shared is closed."""
    with _LOCK:
        key = next((k for k, v in _MONGO_CLIENTS.items() if v.client is client), None)
        if key is not None:
            _MONGO_CLIENTS[key].users -= 1
            if _MONGO_CLIENTS[key].users > 0:
                return
            del _MONGO_CLIENTS[key]
    client.close()
