"""`yuqing services` keeps its ports between starts: the REDIS_URL / MONGO_URI it
printed stay valid for the other processes after a restart, and a port can be named."""

from __future__ import annotations

import socket

import redis

from yuqing_spiders.ops.services import EmbeddedRedis, free_port


def test_a_restart_listens_on_the_port_of_the_last_start(tmp_path):
    with EmbeddedRedis(tmp_path / "r") as first:
        port = first.port
    with EmbeddedRedis(tmp_path / "r") as second:
        assert second.port == port
        assert redis.Redis(port=port).ping()


def test_a_named_port_wins_and_a_taken_port_is_not_reused(tmp_path):
    wanted = free_port()
    with EmbeddedRedis(tmp_path / "r", wanted) as server:
        assert server.port == wanted
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", wanted))
        busy.listen()
        with EmbeddedRedis(tmp_path / "r") as server:
            assert server.port != wanted  # taken by someone else: a free one instead
            assert redis.Redis(port=server.port).ping()
