"""The embedded services are real servers spoken to over TCP, and stop cleanly."""

from __future__ import annotations

import os

import pymongo
import redis

from yuqing_spiders.ops.services import EmbeddedMongo, EmbeddedRedis, EmbeddedServices


def test_embedded_redis_is_a_real_server(tmp_path):
    with EmbeddedRedis(tmp_path / "r") as server:
        client = redis.Redis.from_url(server.url)
        client.set("k", "v")
        assert client.get("k") == b"v"
        assert client.info("server")["tcp_port"] == server.port
        proc = server.proc
    assert proc is not None
    assert proc.poll() is not None  # stopped


def test_embedded_mongo_keeps_data_across_restart(tmp_path):
    data = tmp_path / "m"
    with EmbeddedMongo(data) as server:
        pymongo.MongoClient(server.url).yq.t.insert_one({"_id": 1, "x": "南昌"})
    with EmbeddedMongo(data) as server:
        doc = pymongo.MongoClient(server.url).yq.t.find_one({"_id": 1})
    assert doc == {"_id": 1, "x": "南昌"}


def test_services_start_only_what_is_not_configured(tmp_path, monkeypatch, redis_url):
    monkeypatch.setenv("REDIS_URL", redis_url)
    monkeypatch.delenv("MONGO_URI", raising=False)
    with EmbeddedServices(tmp_path) as services:
        assert os.environ["REDIS_URL"] == redis_url
        assert [s.split()[0] for s in services.started] == ["mongodb"]
        pymongo.MongoClient(os.environ["MONGO_URI"]).admin.command("ping")
    assert "MONGO_URI" not in os.environ
