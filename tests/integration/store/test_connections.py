"""Clients from yuqing_spiders.store.connections: the settings' timeouts, real servers.

The servers are the session's (tests/conftest.py); a server that never answers is a
socket here that accepts connections and says nothing, so the timeouts are shown to
fail a call rather than only to be configured.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
import redis
from pymongo.errors import InvalidOperation, ServerSelectionTimeoutError
from scrapy.settings import Settings

from yuqing_spiders.store.connections import (
    MongoOptions,
    RedisOptions,
    UnusableURI,
    mongo_client,
    mongo_from_settings,
    redact_uri,
    redis_from_settings,
    redis_from_url,
    redis_if_configured,
    redis_url,
    release_mongo,
    scrub,
    shared_mongo,
)


def settings(**values: Any) -> Settings:
    return Settings(values)


@pytest.fixture
def silent_server() -> Iterator[int]:
    """A port whose connections the kernel accepts and nobody ever answers."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    yield server.getsockname()[1]
    server.close()


# --- Redis ----------------------------------------------------------------------------------


def test_redis_client_carries_the_settings_timeouts_and_talks(
    redis_url: str, key_prefix: str
) -> None:
    client = redis_from_settings(
        settings(
            REDIS_URL=redis_url,
            REDIS_SOCKET_TIMEOUT=1.5,
            REDIS_CONNECT_TIMEOUT=0.5,
            REDIS_HEALTH_CHECK_INTERVAL=7,
        )
    )
    try:
        kwargs = client.connection_pool.connection_kwargs
        assert kwargs["socket_timeout"] == 1.5
        assert kwargs["socket_connect_timeout"] == 0.5
        assert kwargs["health_check_interval"] == 7
        assert client.ping()
        client.set(f"{key_prefix}:k", "v")
        assert client.get(f"{key_prefix}:k") == b"v"
    finally:
        client.close()


def test_redis_defaults_are_the_project_settings(redis_url: str) -> None:
    from settings import REDIS_CONNECT_TIMEOUT, REDIS_SOCKET_TIMEOUT

    defaults = RedisOptions()
    assert (defaults.socket_timeout, defaults.connect_timeout) == (
        REDIS_SOCKET_TIMEOUT,
        REDIS_CONNECT_TIMEOUT,
    )
    client = redis_from_url(redis_url)
    assert client.connection_pool.connection_kwargs["socket_timeout"] == defaults.socket_timeout
    assert client.ping()
    client.close()


def test_redis_that_never_answers_fails_the_call(silent_server: int) -> None:
    client = redis_from_settings(
        settings(REDIS_URL=f"redis://127.0.0.1:{silent_server}/0", REDIS_SOCKET_TIMEOUT=0.2)
    )
    began = time.monotonic()
    with pytest.raises(redis.RedisError):
        client.ping()
    # redis-py retries a timed-out call a few times with a short backoff: seconds, not a hang.
    assert time.monotonic() - began < 10
    client.close()


def test_redis_server_from_url_or_host_settings() -> None:
    assert redis_url(settings(REDIS_URL="redis://h:1/2")) == "redis://h:1/2"
    assert redis_url(settings(REDIS_HOST="h", REDIS_PORT=7000, REDIS_DB=3)) == "redis://h:7000/3"
    assert redis_url(settings(REDIS_HOST="h")) == "redis://h:6379/0"
    assert redis_url(settings()) is None
    with pytest.raises(ValueError, match="REDIS_URL"):
        redis_from_settings(settings())
    # A command's own server wins over the settings'.
    client = redis_from_settings(settings(REDIS_URL="redis://a:1/0"), url="redis://b:2/0")
    assert client.connection_pool.connection_kwargs["host"] == "b"


def test_unusable_redis_url_is_redacted() -> None:
    with pytest.raises(UnusableURI) as caught:
        redis_from_url("http://user:s3cret@h:1/0")
    assert "s3cret" not in str(caught.value)
    assert "user:***@h:1" in str(caught.value)


# --- MongoDB --------------------------------------------------------------------------------


def test_mongo_client_carries_the_settings_timeouts_and_talks(
    mongo_uri: str, mongo_db_name: str
) -> None:
    client = mongo_from_settings(
        settings(
            MONGO_URI=mongo_uri,
            MONGO_SERVER_SELECTION_TIMEOUT_MS=1500,
            MONGO_CONNECT_TIMEOUT_MS=2500,
            MONGO_SOCKET_TIMEOUT_MS=3500,
            MONGO_MAX_IDLE_TIME_MS=4500,
        ),
        appname="yuqing-test",
    )
    try:
        assert client.options.server_selection_timeout == 1.5
        assert client.options.pool_options.connect_timeout == 2.5
        assert client.options.pool_options.socket_timeout == 3.5
        assert client.options.pool_options.max_idle_time_seconds == 4.5
        assert client.options.pool_options.metadata["application"] == {"name": "yuqing-test"}
        collection = client[mongo_db_name]["probe"]
        at = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)
        collection.insert_one({"_id": 1, "at": at})
        # Aware datetimes back, as the writer's stale-write guard and the reports compare.
        assert collection.find_one({"_id": 1})["at"] == at
    finally:
        client.drop_database(mongo_db_name)
        client.close()


def test_mongo_socket_timeout_zero_means_none(mongo_uri: str) -> None:
    client = mongo_client(mongo_uri, MongoOptions(socket_timeout_ms=0))
    assert client.options.pool_options.socket_timeout is None
    assert client.codec_options.tz_aware
    client.close()


def test_mongo_that_never_answers_fails_within_selection_timeout(silent_server: int) -> None:
    client = mongo_from_settings(
        settings(
            MONGO_URI=f"mongodb://127.0.0.1:{silent_server}/",
            MONGO_SERVER_SELECTION_TIMEOUT_MS=300,
            MONGO_CONNECT_TIMEOUT_MS=300,
        )
    )
    began = time.monotonic()
    with pytest.raises(ServerSelectionTimeoutError):
        client.admin.command("ping")
    assert time.monotonic() - began < 5
    client.close()


def test_mongo_without_uri_and_unusable_uri() -> None:
    with pytest.raises(ValueError, match="MONGO_URI"):
        mongo_from_settings(settings())
    with pytest.raises(UnusableURI) as caught:
        mongo_client("mongodb://user:s3cret@h:port/")
    assert "s3cret" not in str(caught.value)
    assert redact_uri("mongodb://user:s3cret@h:port/") in str(caught.value)


def test_scrub_cuts_the_password_out_of_any_text() -> None:
    uri = "mongodb://u:p%40ss@h/db"
    assert scrub("auth failed for p@ss and p%40ss", uri) == "auth failed for *** and ***"
    assert scrub("nothing to hide", "mongodb://h/") == "nothing to hide"
    assert scrub("token abc", ("abc", "")) == "token ***"


def test_redis_if_configured(redis_url: str) -> None:
    assert redis_if_configured(settings()) is None
    client = redis_if_configured(settings(REDIS_URL=redis_url, REDIS_SOCKET_TIMEOUT=2.0))
    assert client is not None
    assert client.connection_pool.connection_kwargs["socket_timeout"] == 2.0
    assert client.ping()
    client.close()


# --- one pool per server and process ------------------------------------------------------


def test_redis_clients_of_one_server_share_one_connection(redis_url: str, key_prefix: str) -> None:
    """A worker runs a crawler per spider, each with a dozen Redis users: with a pool
    each, an idle worker over every source held 142 connections. Clients of one URL and
    timeouts now take turns on one connection (the server's CLIENT ID shows which), and
    one component closing its client does not close the others'."""
    clients = [redis_from_url(redis_url) for _ in range(20)]
    clients.append(redis_from_settings(settings(REDIS_URL=redis_url)))
    assert len({client.client_id() for client in clients}) == 1
    clients[0].set(f"{key_prefix}shared", "1", ex=60)
    clients[0].close()
    assert clients[1].get(f"{key_prefix}shared") == b"1"
    other = redis_from_url(redis_url, RedisOptions(socket_timeout=1.0))
    assert other.connection_pool is not clients[1].connection_pool  # other timeouts


def test_components_share_one_mongo_client_until_the_last_gives_it_back(
    mongo_uri: str, mongo_db_name: str
) -> None:
    """pymongo's advice, one client per process: the crawl's components take the
    shared one and give it back; the last one given back closes it (a client cannot be
    used after close), and the next user gets a new one."""
    config = settings(MONGO_URI=mongo_uri)
    first, second = shared_mongo(config), shared_mongo(config)
    assert first is second
    release_mongo(first)
    second[mongo_db_name].probe.insert_one({"_id": 1})  # still open for its other user
    release_mongo(second)
    with pytest.raises(InvalidOperation):
        second[mongo_db_name].probe.find_one()
    fresh = shared_mongo(config)
    assert fresh is not second
    assert fresh[mongo_db_name].probe.find_one() == {"_id": 1}
    slower = shared_mongo(settings(MONGO_URI=mongo_uri, MONGO_SOCKET_TIMEOUT_MS=5000))
    assert slower is not fresh  # other timeouts, another client
    fresh.drop_database(mongo_db_name)
    release_mongo(fresh)
    release_mongo(slower)
    own = mongo_client(mongo_uri)
    release_mongo(own)  # not shared: closed
    with pytest.raises(InvalidOperation):
        own[mongo_db_name].probe.find_one()
