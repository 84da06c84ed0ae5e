"""Only yuqing_spiders/store/connections.py constructs Redis and MongoDB clients.

Read from the code (ast), like tests/unit/test_layout.py: a component that builds its
own client would connect without the settings' timeouts or print a URI unredacted, so
it fails here, not in production. Tests may build their own clients to inspect servers.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.helpers.paths import REPO

ROOTS = ("yuqing_spiders", "spiders", "pipelines", "middlewares", "settings", "bench")
THE_ONE = REPO / "yuqing_spiders" / "store" / "connections.py"
# Constructors and factories of clients, by the last part of the called name.
CONSTRUCTORS = {"Redis", "StrictRedis", "MongoClient", "get_redis_from_settings", "get_redis"}
# `<client class>.from_url(...)` builds one too.
CLIENT_CLASSES = {"Redis", "StrictRedis", "MongoClient"}


def _dotted(node: ast.expr) -> str:
    """`redis.Redis.from_url` for the function of a call ("" when it is no name)."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return f"{inner}.{node.attr}" if inner else node.attr
    return ""


def constructions(path: Path) -> list[str]:
    """`<line>: <called name>` for every client built in `path`, and every import of
    scrapy-redis's client factories (an alias would hide the call)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            parts = _dotted(node.func).split(".")
            built = parts[-1] in CONSTRUCTORS
            factory = parts[-1] == "from_url" and len(parts) > 1 and parts[-2] in CLIENT_CLASSES
            if built or factory:
                found.append(f"{node.lineno}: {'.'.join(parts)}")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("scrapy_redis"):
            for alias in node.names:
                if alias.name in CONSTRUCTORS or alias.name == "connection":
                    found.append(f"{node.lineno}: from {node.module} import {alias.name}")
    return found


def test_the_detector_sees_every_spelling(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import redis, pymongo\n"
        "from pymongo import MongoClient\n"
        "from scrapy_redis.connection import get_redis_from_settings\n"
        "a = redis.Redis.from_url('redis://h')\n"
        "b = redis.Redis(host='h')\n"
        "c = redis.StrictRedis.from_url('redis://h')\n"
        "d = pymongo.MongoClient('mongodb://h')\n"
        "e = MongoClient('mongodb://h')\n"
        "f = get_redis_from_settings({})\n"
        "g: MongoClient[dict] | None = None  # a type, not a client\n"
        "h = redis.RedisError  # an exception class\n",
        encoding="utf-8",
    )
    assert [line.split(":")[0] for line in constructions(sample)] == [
        "3",
        "4",
        "5",
        "6",
        "7",
        "8",
        "9",
    ]


def test_no_production_module_builds_its_own_client() -> None:
    found = {
        str(path.relative_to(REPO)): hits
        for root in ROOTS
        for path in sorted((REPO / root).rglob("*.py"))
        if path != THE_ONE and (hits := constructions(path))
    }
    assert found == {}, "build clients with yuqing_spiders.store.connections"


def test_connections_module_is_where_they_are_built() -> None:
    assert constructions(THE_ONE)  # the detector would notice if it moved
