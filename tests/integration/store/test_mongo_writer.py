"""The MongoDB writer against real servers: the session one, and one of our own that is
stopped and started again on the same port to play an outage."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, timedelta
from pathlib import Path
from typing import Any

import pymongo
import pytest
from bson.codec_options import CodecOptions
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from pipelines.mongo_writer import MongoWriterPipeline
from tests.helpers.items import T0, make_item
from yuqing_spiders.model.items import Metrics
from yuqing_spiders.ops.services import EmbeddedMongo
from yuqing_spiders.store import writer as writer_module
from yuqing_spiders.store.connections import redact_uri, uri_secrets
from yuqing_spiders.store.documents import OPINION_METRICS, OPINIONS, to_document
from yuqing_spiders.store.spool import Spool
from yuqing_spiders.store.writer import Writer

REPO = Path(__file__).resolve().parents[3]
T1 = T0 + timedelta(hours=3)
INDEXES = {
    "_id_",
    "canonical_url",
    "published_at_desc",
    "crawled_at",
    "source_published",
    "platform",
    "event_id",
    "level",
    "jurisdiction_district",
}


def docs(*numbers: int, **fields: Any) -> list[dict[str, Any]]:
    return [to_document(make_item(n, **fields)) for n in numbers]


def make_writer(uri: str, database: str, spool: Spool, *, timeout_ms: int = 800) -> Writer:
    client: pymongo.MongoClient[dict[str, Any]] = pymongo.MongoClient(
        uri, serverSelectionTimeoutMS=timeout_ms, tz_aware=True
    )
    # retry_interval=0: every write while down pings, so tests need no sleeping.
    return Writer(
        client, database, spool, retry_interval=0, target=redact_uri(uri), secrets=uri_secrets(uri)
    )


@pytest.fixture
def spool(tmp_path: Path) -> Spool:
    return Spool(tmp_path / "spool")


@pytest.fixture
def writer(
    mongo_uri: str, mongo_db: pymongo.database.Database, mongo_db_name: str, spool: Spool
) -> Iterator[Writer]:
    writer = make_writer(mongo_uri, mongo_db_name, spool)
    writer.open()
    yield writer
    writer.client.close()


@pytest.fixture(scope="module")
def flaky_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedMongo]:
    """Our own server, so that stopping it hurts no other test."""
    server = EmbeddedMongo(tmp_path_factory.mktemp("flaky"))
    try:
        server.start()
    except RuntimeError as exc:
        pytest.skip(f"no embedded MongoDB to stop and restart: {exc}")
    yield server
    server.stop()


@pytest.fixture
def flaky(flaky_server: EmbeddedMongo) -> Iterator[EmbeddedMongo]:
    yield flaky_server
    if flaky_server.proc is None:
        flaky_server.start()


def opinions(db: pymongo.database.Database) -> dict[str, dict[str, Any]]:
    aware = db.with_options(codec_options=CodecOptions(tz_aware=True, tzinfo=UTC))
    return {doc["_id"]: doc for doc in aware[OPINIONS].find()}


def point_count(db: pymongo.database.Database, **query: Any) -> int:
    return db[OPINION_METRICS].count_documents(query)


@pytest.mark.parametrize(
    ("uri", "secrets"),
    [
        ("mongodb://u:secret@127.0.0.1:1/", ("secret",)),
        ("mongodb://u:p%40ss@h/db", ("p%40ss", "p@ss")),
        ("mongodb://u@h/", ()),
        ("mongodb://h:27017/?authSource=admin", ()),
    ],
)
def test_uri_secrets(uri: str, secrets: tuple[str, ...]) -> None:
    assert sorted(uri_secrets(uri)) == sorted(secrets)


# --- Writer: documents and metrics --------------------------------------------------------


def test_indexes_exist_after_open(writer: Writer, mongo_db: pymongo.database.Database) -> None:
    assert set(mongo_db[OPINIONS].index_information()) == INDEXES
    assert "opinion_at" in mongo_db[OPINION_METRICS].index_information()


def test_recrawl_updates_document_and_adds_a_point(
    writer: Writer, mongo_db: pymongo.database.Database
) -> None:
    first = writer.write(docs(1, title="old"))
    assert (first["batches"], first["inserted"], first["metrics_points"]) == (1, 1, 1)
    recrawl = docs(1, title="new", crawled_at=T1, metrics=Metrics(comments=40, reads=900))
    second = writer.write(recrawl)
    assert (second["inserted"], second["updated"], second["metrics_points"]) == (0, 1, 1)

    stored = opinions(mongo_db)
    assert list(stored) == ["people:1"]
    assert stored["people:1"]["title"] == "new"
    # Counters this crawl did not see keep the first crawl's values (0 reposts, 1 like).
    assert stored["people:1"]["metrics"] == {
        "comments": 40,
        "reposts": 0,
        "likes": 1,
        "reads": 900,
    }
    assert stored["people:1"]["first_seen_at"] == T0  # the first crawl's, kept
    assert stored["people:1"]["crawled_at"] == T1
    series = [p["comments"] for p in mongo_db[OPINION_METRICS].find().sort("at", 1)]
    assert series == [1, 40]
    # The very same crawl again (a replay): nothing changes, no point is added.
    again = writer.write(recrawl)
    assert (again["unchanged"], again["metrics_points_unchanged"]) == (1, 1)
    assert point_count(mongo_db) == 2


def test_partial_recrawl_does_not_blank_a_complete_document(
    writer: Writer, mongo_db: pymongo.database.Database
) -> None:
    writer.write(docs(1))
    partial = docs(
        1,
        title=None,
        content=None,
        complete=False,
        missing=["content", "title"],
        crawled_at=T1,
        metrics=Metrics(comments=99),
    )
    counts = writer.write(partial)
    assert counts["partial_not_overwriting"] == 1
    stored = opinions(mongo_db)["people:1"]
    assert (stored["title"], stored["content"]) == ("title 1", "content 1")
    assert (stored["complete"], stored["missing"]) == (True, [])
    assert stored["metrics"]["comments"] == 99  # refreshed
    assert stored["metrics"]["reads"] == 100  # not blanked by the partial crawl's None
    assert stored["crawled_at"] == T1
    assert point_count(mongo_db, opinion_id="people:1") == 2


def test_partial_item_is_stored_incomplete_until_a_complete_crawl(
    writer: Writer, mongo_db: pymongo.database.Database
) -> None:
    writer.write(docs(1, content=None, complete=False, missing=["content"]))
    assert opinions(mongo_db)["people:1"]["complete"] is False
    writer.write(docs(1, crawled_at=T1))
    stored = opinions(mongo_db)["people:1"]
    assert (stored["complete"], stored["content"], stored["first_seen_at"]) == (
        True,
        "content 1",
        T0,
    )


def test_late_replay_does_not_overwrite_a_newer_crawl(
    writer: Writer, mongo_db: pymongo.database.Database
) -> None:
    writer.write(docs(1, title="newer", crawled_at=T1))
    counts = writer.write(docs(1, title="older"))  # e.g. another node's old spool
    assert counts["stale_not_overwriting"] == 1
    assert opinions(mongo_db)["people:1"]["title"] == "newer"
    assert point_count(mongo_db) == 2  # the older observation still belongs to the series


def test_same_item_twice_in_one_batch(writer: Writer, mongo_db: pymongo.database.Database) -> None:
    batch = docs(1) + docs(1, title=None, complete=False, crawled_at=T1, metrics=Metrics(likes=5))
    counts = writer.write(batch)
    assert (counts["inserted"], counts["partial_not_overwriting"]) == (1, 1)
    stored = opinions(mongo_db)["people:1"]
    assert (stored["title"], stored["metrics"]["likes"]) == ("title 1", 5)
    assert point_count(mongo_db) == 2


def test_an_insert_raced_by_another_writer_is_written_over_it(
    writer: Writer, mongo_db: pymongo.database.Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another worker stores people:1 between this writer's lookup (which found nothing)
    # and its insert: the insert collides on _id, and the item is upserted instead.
    writer.write(docs(1, title="the other worker's"))
    real = writer_module.stored_states
    lookups: list[list[str]] = []

    def blind_first(collection: Any, ids: list[str]) -> Any:
        lookups.append(list(ids))
        return {} if len(lookups) == 1 else real(collection, ids)

    monkeypatch.setattr(writer_module, "stored_states", blind_first)
    counts = writer.write(docs(1, 2, title="this worker's", crawled_at=T1))
    assert lookups == [["people:1", "people:2"], ["people:1"]]
    assert (counts["insert_raced"], counts["inserted"], counts["updated"]) == (1, 1, 1)
    assert counts["write_errors"] == 0
    stored = opinions(mongo_db)
    assert [stored[i]["title"] for i in ("people:1", "people:2")] == ["this worker's"] * 2
    assert stored["people:1"]["first_seen_at"] == stored["people:1"]["crawled_at"] - (T1 - T0)


# --- Writer: refused documents -------------------------------------------------------------


def _rejected(spool: Spool) -> list[dict[str, Any]]:
    return [json.loads(p.read_text()) for p in sorted(spool.rejected_dir.glob("*.json"))]


def test_oversized_document_is_rejected_alone(
    writer: Writer,
    mongo_db: pymongo.database.Database,
    spool: Spool,
    caplog: pytest.LogCaptureFixture,
) -> None:
    batch = docs(1, 3) + docs(2, content="长" * (6 * 1024 * 1024))  # 18 MiB of UTF-8
    counts = writer.write(batch)
    assert (counts["inserted"], counts["write_errors"], counts["rejected_items"]) == (2, 1, 1)
    assert counts["write_errors/DocumentTooLarge"] == 1
    assert set(opinions(mongo_db)) == {"people:1", "people:3"}
    assert point_count(mongo_db, opinion_id="people:2") == 0
    [record] = _rejected(spool)
    assert record["_id"] == "people:2"
    assert record["error"]["code"] == "DocumentTooLarge"
    assert "people:2" in caplog.text
    assert "DocumentTooLarge" in caplog.text


def test_server_refusal_is_rejected_alone(
    writer: Writer, mongo_db: pymongo.database.Database, spool: Spool
) -> None:
    # A unique index of some later stage: a clash is the document's fault, not the batch's.
    mongo_db[OPINIONS].create_index("extra.ref", unique=True, sparse=True)
    writer.write(docs(1, extra={"ref": "A"}))
    counts = writer.write(docs(2, extra={"ref": "A"}) + docs(3, 4))
    assert (counts["inserted"], counts["write_errors"], counts["write_errors/11000"]) == (2, 1, 1)
    assert set(opinions(mongo_db)) == {"people:1", "people:3", "people:4"}
    assert point_count(mongo_db, opinion_id="people:2") == 0
    [record] = _rejected(spool)
    assert (record["_id"], record["error"]["code"]) == ("people:2", 11000)


# --- Writer: spool --------------------------------------------------------------------------


def test_spool_round_trip_keeps_every_type(spool: Spool) -> None:
    doc = to_document(make_item(1, extra={"big": 2**40, "ratio": 0.5, "tags": ["a"]}))
    path = spool.append([doc])
    assert not list(spool.directory.glob(".*.tmp"))  # renamed into place, nothing left over
    with spool.claim(path) as loaded:
        assert loaded == [doc]
        assert loaded[0]["crawled_at"].tzinfo is not None


def test_spool_claim_is_exclusive(spool: Spool) -> None:
    path = spool.append(docs(1))
    with spool.claim(path) as first:
        with spool.claim(path) as second:
            assert second is None  # another writer is replaying it
        assert first is not None
        path.unlink()
    with spool.claim(path) as gone:
        assert gone is None


def test_spool_of_an_earlier_run_is_replayed_at_open(
    mongo_uri: str, mongo_db: pymongo.database.Database, mongo_db_name: str, spool: Spool
) -> None:
    spool.append(docs(1, 2))
    spool.append(docs(3) + docs(1, title="later", crawled_at=T1))
    (spool.directory / "garbage.jsonl").write_text("{not json\n")
    writer = make_writer(mongo_uri, mongo_db_name, spool)
    counts = writer.open()
    writer.client.close()
    assert (counts["spool_replayed_items"], counts["spool_replayed_batches"]) == (4, 2)
    assert spool.pending() == []
    assert (spool.rejected_dir / "garbage.jsonl.unreadable").exists()
    stored = opinions(mongo_db)
    assert set(stored) == {"people:1", "people:2", "people:3"}
    assert stored["people:1"]["title"] == "later"  # oldest file first, so the later crawl wins
    assert stored["people:1"]["first_seen_at"] == T0
    assert point_count(mongo_db) == 4


# --- Writer: outages -----------------------------------------------------------------------


def test_outage_spools_then_replays_exactly(
    flaky: EmbeddedMongo, mongo_db_name: str, spool: Spool, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="pipelines.mongo_writer")
    writer = make_writer(flaky.url, mongo_db_name, spool)
    writer.open()
    assert writer.write(docs(1, 2))["inserted"] == 2

    flaky.stop()
    down = writer.write(docs(3, 4, 5))
    assert (down["spooled_items"], down["spooled_batches"], down["outages"]) == (3, 1, 1)
    assert writer.down
    still = writer.write(docs(6) + docs(1, title="re-crawled", crawled_at=T1))
    assert (still["spooled_items"], still["spooled_batches"], still["outages"]) == (2, 1, 0)
    assert len(spool.pending()) == 2
    assert caplog.text.count("unreachable") == 1  # once per outage, not per batch

    flaky.start()
    back = writer.write([])
    assert not writer.down
    assert (back["spool_replayed_items"], back["spool_replayed_batches"]) == (5, 2)
    assert (back["inserted"], back["updated"]) == (4, 1)
    assert spool.pending() == []
    assert caplog.text.count("answers again") == 1
    db = writer.client[mongo_db_name]
    assert db[OPINIONS].count_documents({}) == 6
    assert db[OPINIONS].find_one({"_id": "people:1"})["title"] == "re-crawled"  # type: ignore[index]
    assert point_count(db) == 7  # six crawls at T0 and one at T1: none lost, none doubled
    writer.close()


class StopsServerBeforeMetrics(Writer):
    """The outage arrives after the opinions were written and before their metrics."""

    server: EmbeddedMongo
    armed = True

    def _bulk(self, collection: str, *args: Any) -> dict[str, Any]:
        if collection == OPINION_METRICS and self.armed:
            self.armed = False
            self.server.stop()
        return super()._bulk(collection, *args)


def test_outage_after_a_partial_write_doubles_nothing(
    flaky: EmbeddedMongo, mongo_db_name: str, spool: Spool
) -> None:
    client: pymongo.MongoClient[dict[str, Any]] = pymongo.MongoClient(
        flaky.url, serverSelectionTimeoutMS=800, tz_aware=True
    )
    writer = StopsServerBeforeMetrics(client, mongo_db_name, spool, retry_interval=0)
    writer.server = flaky
    writer.open()
    half = writer.write(docs(1, 2, 3, 4))
    assert (half["inserted"], half["metrics_points"], half["spooled_items"]) == (4, 0, 4)

    flaky.start()
    replay = writer.write(docs(5))
    assert replay["spool_replayed_items"] == 4
    assert (replay["unchanged"], replay["inserted"], replay["metrics_points"]) == (4, 1, 5)
    db = client[mongo_db_name]
    assert db[OPINIONS].count_documents({}) == 5
    assert point_count(db) == 5
    writer.close()


# --- the Scrapy pipeline --------------------------------------------------------------------


def build(settings: dict[str, Any]) -> tuple[MongoWriterPipeline, Crawler]:
    crawler = get_crawler(settings_dict=settings)
    return build_from_crawler(MongoWriterPipeline, crawler), crawler


def mongo_stats(crawler: Crawler) -> dict[str, Any]:
    assert crawler.stats is not None
    return {k: v for k, v in crawler.stats.get_stats().items() if k.startswith("mongo/")}


def test_pipeline_batches_and_flushes_on_time(
    mongo_uri: str, mongo_db: pymongo.database.Database, mongo_db_name: str, tmp_path: Path
) -> None:
    pipeline, crawler = build(
        {
            "MONGO_URI": mongo_uri,
            "MONGO_DATABASE": mongo_db_name,
            "MONGO_BATCH_SIZE": 2,
            "MONGO_FLUSH_INTERVAL": 0.2,
            "YUQING_DATA_DIR": str(tmp_path),
        }
    )

    async def crawl() -> None:
        await pipeline.open_spider()
        assert set(mongo_db[OPINIONS].index_information()) == INDEXES
        await pipeline.process_item(make_item(1))
        assert mongo_db[OPINIONS].count_documents({}) == 0  # waiting for its batch
        await pipeline.process_item(make_item(2))
        assert mongo_db[OPINIONS].count_documents({}) == 2  # a full batch is written at once
        await pipeline.process_item(make_item(3))
        await asyncio.sleep(0.8)
        assert mongo_db[OPINIONS].count_documents({}) == 3  # the timer wrote the rest
        await pipeline.process_item(make_item(1, title="again", crawled_at=T1))
        with pytest.raises(DropItem):
            await pipeline.process_item(make_item(9, id=None))
        await pipeline.close_spider()

    asyncio.run(crawl())
    stats = mongo_stats(crawler)
    assert stats["mongo/items_received"] == 4
    assert stats["mongo/batches"] == 3
    assert (stats["mongo/inserted"], stats["mongo/updated"], stats["mongo/unchanged"]) == (3, 1, 0)
    assert stats["mongo/metrics_points"] == 4
    assert stats["mongo/invalid_items"] == 1
    assert (stats["mongo/spooled_items"], stats["mongo/write_errors"]) == (0, 0)
    assert mongo_db[OPINIONS].find_one({"_id": "people:1"})["title"] == "again"  # type: ignore[index]


@pytest.mark.parametrize(("mode", "points"), [(None, 1), ("observed", 1), ("every", 2)])
def test_metrics_points_of_crawls_without_counters_follow_the_setting(
    mongo_uri: str,
    mongo_db: pymongo.database.Database,
    mongo_db_name: str,
    tmp_path: Path,
    mode: str | None,
    points: int,
) -> None:
    # A news page without counters (the common case) gets a point only in "every" mode,
    # the crawl ledger; a page that shows a counter always does.
    settings = {"MONGO_URI": mongo_uri, "MONGO_DATABASE": mongo_db_name}
    settings |= {"YUQING_DATA_DIR": str(tmp_path)}
    if mode is not None:
        settings["MONGO_METRICS_POINTS"] = mode
    pipeline, crawler = build(settings)

    async def crawl() -> None:
        await pipeline.open_spider()
        await pipeline.process_item(make_item(1))
        await pipeline.process_item(make_item(2, metrics=Metrics()))
        await pipeline.close_spider()

    asyncio.run(crawl())
    assert mongo_db[OPINIONS].count_documents({}) == 2
    assert point_count(mongo_db) == points
    assert point_count(mongo_db, opinion_id="people:1") == 1
    assert mongo_stats(crawler)["mongo/metrics_points"] == points


def test_an_unknown_metrics_points_mode_stops_the_crawl(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="MONGO_METRICS_POINTS"):
        build({"MONGO_METRICS_POINTS": "sometimes", "YUQING_DATA_DIR": str(tmp_path)})


def test_password_never_reaches_logs_or_stats(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    pipeline, crawler = build(
        {
            "MONGO_URI": "mongodb://u:secret@127.0.0.1:1/",
            "MONGO_DATABASE": "yqtest_nowhere",
            "MONGO_BATCH_SIZE": 2,
            "MONGO_FLUSH_INTERVAL": 0.1,
            "MONGO_RETRY_INTERVAL": 0.1,
            "MONGO_SERVER_SELECTION_TIMEOUT_MS": 300,
            "YUQING_DATA_DIR": str(tmp_path),
        }
    )

    async def crawl() -> None:
        await pipeline.open_spider()
        for n in (1, 2, 3):
            await pipeline.process_item(make_item(n))
        await asyncio.sleep(0.5)
        await pipeline.close_spider()

    asyncio.run(crawl())
    stats = mongo_stats(crawler)
    assert stats["mongo/spooled_items"] == 3
    assert stats["mongo/inserted"] == 0
    assert "mongodb://u:***@127.0.0.1:1/" in caplog.text
    assert "secret" not in caplog.text
    assert "secret" not in repr(crawler.stats.get_stats())  # type: ignore[union-attr]
    spooled = Spool(tmp_path / "spool")
    assert spooled.size() == (2, 3)
    assert all("secret" not in p.read_text() for p in spooled.pending())


def test_pipeline_without_uri_runs_an_embedded_server(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    pipeline, crawler = build({"MONGO_URI": None, "YUQING_DATA_DIR": str(tmp_path)})

    async def crawl() -> None:
        await pipeline.open_spider()
        await pipeline.process_item(make_item(1))
        await pipeline.close_spider()

    try:
        asyncio.run(crawl())
    except RuntimeError as exc:
        if "secantusd" in str(exc):
            pytest.skip(str(exc))
        raise
    assert "MONGO_URI is not set" in caplog.text
    assert mongo_stats(crawler)["mongo/embedded_server"] == 1
    assert pipeline.embedded is None  # stopped with the crawl
    with EmbeddedMongo(tmp_path / "mongo") as server:
        client: pymongo.MongoClient[dict[str, Any]] = pymongo.MongoClient(server.url)
        assert client["yuqing"][OPINIONS].count_documents({}) == 1
        client.close()


CRAWL_SCRIPT = """
import json, sys
from datetime import UTC, datetime

import scrapy
from scrapy.crawler import CrawlerProcess

from yuqing_spiders.model.items import Metrics, OpinionItem


class Items(scrapy.Spider):
    name = "items"

    async def start(self):
        for n in range(7):
            yield OpinionItem(
                url=f"https://example.gov.cn/{n}", source="people", platform="news",
                id=f"people:{n}", title="t", content="c", crawled_at=datetime.now(UTC),
                metrics=Metrics(comments=n or None),  # 0: no counters shown
            )


process = CrawlerProcess(settings=json.loads(sys.argv[1]))
crawler = process.create_crawler(Items)
process.crawl(crawler)
process.start()
print(json.dumps({k: v for k, v in crawler.stats.get_stats().items() if k.startswith("mongo/")}))
"""


@pytest.mark.slow
@pytest.mark.parametrize("reactor", ["asyncio", "epoll"])
def test_real_crawl_stores_items(
    reactor: str,
    mongo_uri: str,
    mongo_db: pymongo.database.Database,
    mongo_db_name: str,
    tmp_path: Path,
) -> None:
    settings = {
        "ITEM_PIPELINES": {"pipelines.mongo_writer.MongoWriterPipeline": 900},
        "MONGO_URI": mongo_uri,
        "MONGO_DATABASE": mongo_db_name,
        "MONGO_BATCH_SIZE": 3,
        "MONGO_FLUSH_INTERVAL": 0.2,
        "YUQING_DATA_DIR": str(tmp_path),
        "TELNETCONSOLE_ENABLED": False,
        "LOG_LEVEL": "INFO",
    }
    if reactor == "epoll":  # Scrapy's non-asyncio path: Deferreds and LoopingCall
        settings["TWISTED_REACTOR"] = "twisted.internet.epollreactor.EPollReactor"
    script = tmp_path / "crawl.py"
    script.write_text(CRAWL_SCRIPT)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("MONGO_URI", None)
    done = subprocess.run(
        [sys.executable, str(script), json.dumps(settings)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    stats = json.loads(done.stdout.strip().splitlines()[-1])
    assert (stats["mongo/items_received"], stats["mongo/inserted"]) == (7, 7)
    assert stats["mongo/batches"] == 3
    assert mongo_db[OPINIONS].count_documents({}) == 7
    # people:0 shows no counter: no point for it (a point would add nothing to a trend).
    assert mongo_db[OPINION_METRICS].count_documents({}) == 6
    assert mongo_db[OPINION_METRICS].count_documents({"opinion_id": "people:0"}) == 0
    assert "Traceback" not in done.stderr
