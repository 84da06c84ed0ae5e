"""Session-wide real services: one Redis server and one MongoDB wire server per run.

REDIS_URL / MONGO_URI, when set, point the tests at servers already running (CI on a
machine with them); otherwise the embedded ones from yuqing_spiders.ops.services start
here once. Tests isolate themselves by database name and key prefix, never by mocks.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pymongo
import pytest
import redis

from yuqing_spiders.ops.services import EmbeddedMongo, EmbeddedRedis


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if os.environ.get("REDIS_URL"):
        yield os.environ["REDIS_URL"]
        return
    with EmbeddedRedis(tmp_path_factory.mktemp("redis")) as server:
        yield server.url


@pytest.fixture(scope="session")
def mongo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedMongo | None]:
    if os.environ.get("MONGO_URI"):
        yield None
        return
    with EmbeddedMongo(tmp_path_factory.mktemp("mongo")) as server:
        yield server


@pytest.fixture(scope="session")
def mongo_uri(mongo_server: EmbeddedMongo | None) -> str:
    return mongo_server.url if mongo_server else os.environ["MONGO_URI"]


@pytest.fixture
def mongo_db_name() -> str:
    return f"yqtest_{uuid.uuid4().hex[:12]}"


@pytest.fixture
def mongo_db(mongo_uri: str, mongo_db_name: str) -> Iterator[pymongo.database.Database]:
    client: pymongo.MongoClient = pymongo.MongoClient(mongo_uri, serverSelectionTimeoutMS=5000)
    yield client[mongo_db_name]
    client.drop_database(mongo_db_name)
    client.close()


@pytest.fixture
def redis_client(redis_url: str) -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(redis_url)
    yield client
    client.close()


@pytest.fixture
def key_prefix(redis_client: redis.Redis) -> Iterator[str]:
    prefix = f"yqtest:{uuid.uuid4().hex[:8]}"
    yield prefix
    for key in redis_client.scan_iter(f"{prefix}*"):
        redis_client.delete(key)
