"""The writer's durability barrier, which the leased scheduler acknowledges on: an item
counts as durable only once its batch is in MongoDB or in the spool on disk."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from pipelines.mongo_writer import MongoWriterPipeline
from tests.helpers.items import make_item
from yuqing_spiders.model.signals import items_durable
from yuqing_spiders.ops.services import EmbeddedMongo


def build(settings: dict[str, Any]) -> tuple[MongoWriterPipeline, list[tuple[int, int]]]:
    crawler = get_crawler(settings_dict=settings)
    crawler.stats.open_spider()
    pipeline = build_from_crawler(MongoWriterPipeline, crawler)
    heard: list[tuple[int, int]] = []
    crawler.signals.connect(
        lambda through, lost: heard.append((through, lost)), signal=items_durable, weak=False
    )
    return pipeline, heard


def test_durable_only_after_the_batch_is_stored(mongo_uri, mongo_db_name, tmp_path):
    pipeline, heard = build(
        {
            "MONGO_URI": mongo_uri,
            "MONGO_DATABASE": mongo_db_name,
            "MONGO_BATCH_SIZE": 3,
            "MONGO_FLUSH_INTERVAL": 60,  # no timer flush inside the test
            "YUQING_DATA_DIR": str(tmp_path),
        }
    )

    async def crawl() -> None:
        await pipeline.open_spider()
        for n in (1, 2):
            await pipeline.process_item(make_item(n))
        assert (pipeline.accepted, pipeline.durable_through) == (2, 0)  # in memory only
        assert heard == []
        await pipeline.process_item(make_item(3))  # fills the batch: written now
        assert (pipeline.accepted, pipeline.durable_through) == (3, 3)
        assert heard == [(3, 0)]
        await pipeline.process_item(make_item(4))
        await pipeline.close_spider()  # the last partial batch

    asyncio.run(crawl())
    assert pipeline.durable_through == 4
    assert heard == [(3, 0), (4, 0)]


def test_spooled_items_are_durable_too(tmp_path: Path):
    server = EmbeddedMongo(tmp_path / "mongo").start()
    pipeline, heard = build(
        {
            "MONGO_URI": server.url,
            "MONGO_DATABASE": "durability",
            "MONGO_BATCH_SIZE": 2,
            "MONGO_FLUSH_INTERVAL": 60,
            "MONGO_SERVER_SELECTION_TIMEOUT_MS": 300,
            "YUQING_DATA_DIR": str(tmp_path / "data"),
        }
    )

    async def crawl() -> None:
        await pipeline.open_spider()
        server.stop()
        for n in (1, 2):
            await pipeline.process_item(make_item(n))
        await pipeline.close_spider()

    try:
        asyncio.run(crawl())
    finally:
        server.stop()
    assert pipeline.stats.get_value("mongo/spooled_items") == 2
    assert heard[0] == (2, 0)  # on disk: durable, nothing lost
    assert list((tmp_path / "data" / "spool").glob("*.jsonl"))
