"""`comments`: CommentItems go through the item stages and the one writer into their own
collection (docs/schema.md), never into `opinions`; on the real MongoDB wire server."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pymongo
import pytest
from bson.codec_options import CodecOptions
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from pipelines.completeness import CompletenessPipeline
from pipelines.identity import IdentityPipeline
from pipelines.mongo_writer import MongoWriterPipeline
from pipelines.normalise import NormalisePipeline
from yuqing_spiders.model.identity import comment_id
from yuqing_spiders.model.items import Author, CommentItem, OpinionItem, Sentiment
from yuqing_spiders.store.documents import (
    COMMENTS,
    OPINION_METRICS,
    OPINIONS,
    collection_for,
    to_document,
)
from yuqing_spiders.store.spool import Spool
from yuqing_spiders.store.writer import Writer

T0 = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)
T1 = T0 + timedelta(hours=2)
CST = timezone(timedelta(hours=8))


def comment(n: int, **fields: Any) -> CommentItem:
    # A Weibo hotflow comment as the parser makes it (id, text, like_count,
    # total_number, user, 来自<IP属地>); the text is invented.
    base: dict[str, Any] = {
        "opinion_id": "weibo:5102938475610001",
        "source": "weibo",
        "platform": "weibo",
        "native_id": f"51029385000{n:05d}",
        "url": "https://m.weibo.cn/detail/5102938475610001",
        "content": f"红谷滩这个路口早该装红绿灯了 {n}",
        "author": Author(name=f"洪城市民{n}", id=f"77{n:08d}"),
        "published_at": T0 - timedelta(minutes=n),
        "crawled_at": T0,
        "likes": n,
        "ip_location": "江西",
    }
    base.update(fields)
    item = CommentItem(**base)
    if item.id is None:
        item.id = comment_id(item.opinion_id, item.native_id, item.content, item.author.id)
    return item


def aware(db: pymongo.database.Database) -> pymongo.database.Database:
    return db.with_options(codec_options=CodecOptions(tz_aware=True, tzinfo=UTC))


@pytest.fixture
def writer(
    mongo_uri: str, mongo_db: pymongo.database.Database, mongo_db_name: str, tmp_path: Path
) -> Any:
    client: pymongo.MongoClient[dict[str, Any]] = pymongo.MongoClient(
        mongo_uri, serverSelectionTimeoutMS=2000, tz_aware=True
    )
    writer = Writer(client, mongo_db_name, Spool(tmp_path / "spool"), retry_interval=0)
    writer.open()
    yield writer
    client.close()


def test_comment_identity_and_routing() -> None:
    assert comment_id("weibo:1", "42", "x", "u") == "weibo:1#42"
    # Without a native id: stable for the same author and text, different otherwise.
    first = comment_id("tieba:9", None, "楼主说得对", "u1")
    assert first == comment_id("tieba:9", None, "楼主说得对", "u1")
    assert first.startswith("tieba:9#h:")
    assert first != comment_id("tieba:9", None, "楼主说得对", "u2")
    assert collection_for(comment(1)) == COMMENTS
    assert collection_for(OpinionItem(url="u", source="s", platform="news")) == OPINIONS


def test_comments_are_upserted_idempotently(
    writer: Writer, mongo_db: pymongo.database.Database
) -> None:
    first = writer.write([to_document(comment(n)) for n in (1, 2, 3)], COMMENTS)
    assert (first["comments/inserted"], first["batches"]) == (3, 1)
    again = writer.write([to_document(comment(n)) for n in (1, 2, 3)], COMMENTS)
    assert (again["comments/inserted"], again["comments/unchanged"]) == (0, 3)
    later = writer.write([to_document(comment(1, likes=40, crawled_at=T1))], COMMENTS)
    assert later["comments/updated"] == 1
    # A late replay of an older crawl (another node's spool) changes nothing.
    stale = writer.write([to_document(comment(1, likes=2, crawled_at=T0))], COMMENTS)
    assert stale["comments/stale_not_overwriting"] == 1

    db = aware(mongo_db)
    assert db[OPINIONS].count_documents({}) == 0
    assert db[OPINION_METRICS].count_documents({}) == 0  # comments have no metrics series
    stored = {d["_id"]: d for d in db[COMMENTS].find()}
    assert len(stored) == 3
    one = stored["weibo:5102938475610001#5102938500000001"]
    assert (one["likes"], one["crawled_at"], one["first_seen_at"]) == (40, T1, T0)
    assert one["opinion_id"] == "weibo:5102938475610001"
    assert one["author"]["name"] == "洪城市民1"
    assert one["ip_location"] == "江西"
    assert "id" not in one
    indexes = db[COMMENTS].index_information()
    assert indexes["opinion_published"]["key"] == [("opinion_id", 1), ("published_at", -1)]
    assert "crawled_at" in indexes


def test_spooled_comments_are_replayed_into_comments(
    mongo_uri: str, mongo_db: pymongo.database.Database, mongo_db_name: str, tmp_path: Path
) -> None:
    spool = Spool(tmp_path / "spool")
    path = spool.append([to_document(comment(n)) for n in (1, 2)], COMMENTS)
    assert path.name.endswith(".comments.jsonl")
    assert spool.collection_of(path) == COMMENTS
    opinion = OpinionItem(
        url="https://m.weibo.cn/detail/5102938475610001",
        source="weibo",
        platform="weibo",
        id="weibo:5102938475610001",
        content="正文",
        crawled_at=T0,
    )
    older = spool.append([to_document(opinion)])  # the layout of earlier releases
    assert spool.collection_of(older) == OPINIONS
    client: pymongo.MongoClient[dict[str, Any]] = pymongo.MongoClient(
        mongo_uri, serverSelectionTimeoutMS=2000, tz_aware=True
    )
    writer = Writer(client, mongo_db_name, spool, retry_interval=0)
    counts = writer.open()
    client.close()
    assert (counts["spool_replayed_batches"], counts["comments/inserted"]) == (2, 2)
    assert counts["inserted"] == 1
    assert spool.pending() == []
    assert mongo_db[COMMENTS].count_documents({}) == 2
    assert mongo_db[OPINIONS].count_documents({}) == 1


def test_writer_refuses_a_collection_it_does_not_store(writer: Writer) -> None:
    with pytest.raises(ValueError, match="events"):
        writer.write([], "events")


def test_stages_and_writer_route_comments_apart(
    mongo_uri: str, mongo_db: pymongo.database.Database, mongo_db_name: str, tmp_path: Path
) -> None:
    crawler = get_crawler(
        settings_dict={
            "MONGO_URI": mongo_uri,
            "MONGO_DATABASE": mongo_db_name,
            "MONGO_BATCH_SIZE": 3,
            "MONGO_FLUSH_INTERVAL": 0.2,
            "YUQING_DATA_DIR": str(tmp_path),
            "YUQING_DEFAULT_TZ": "Asia/Shanghai",
        }
    )
    stages = [
        build_from_crawler(cls, crawler)
        for cls in (NormalisePipeline, IdentityPipeline, CompletenessPipeline)
    ]
    writer = build_from_crawler(MongoWriterPipeline, crawler)
    opinion = OpinionItem(
        url="https://m.weibo.cn/detail/5102938475610001",
        source="weibo",
        platform="weibo",
        native_id="5102938475610001",
        title="红谷滩新区丰和大道路口",
        content="丰和大道这个路口每天早上都堵",
        published_at=T0,
    )
    # A naive time in the source's zone, text with stray spaces: normalised like opinions.
    raw_comments = [
        comment(1, id=None, content="  早该管管了 \u3000", published_at=datetime(2026, 11, 21, 9)),
        comment(2, id=None, native_id=None, likes=0, ip_location=None),
    ]

    async def run() -> list[Any]:
        await writer.open_spider()
        out = []
        for item in [opinion, *raw_comments]:
            for stage in stages:
                item = stage.process_item(item)
            out.append(await writer.process_item(item))
        await writer.close_spider()
        return out

    done = asyncio.run(run())
    first = done[1]
    assert first.id == "weibo:5102938475610001#5102938500000001"
    assert first.content == "早该管管了"
    assert first.published_at == datetime(2026, 11, 21, 1, tzinfo=UTC)
    assert first.crawled_at is not None
    assert done[2].id.startswith("weibo:5102938475610001#h:")

    db = aware(mongo_db)
    assert [d["_id"] for d in db[OPINIONS].find()] == ["weibo:5102938475610001"]
    assert db[COMMENTS].count_documents({}) == 2
    assert db[COMMENTS].count_documents({"opinion_id": "weibo:5102938475610001"}) == 2
    stats = crawler.stats.get_stats()  # type: ignore[union-attr]
    assert stats["mongo/items_received"] == 1
    assert stats["mongo/comments/received"] == 2
    assert stats["mongo/comments/inserted"] == 2
    assert stats["coverage/weibo/comment/items"] == 2
    assert stats["coverage/weibo/comment/likes"] == 2  # 0 likes is a value
    assert stats["coverage/weibo/comment/ip_location"] == 1
    assert stats["items/complete"] == 1  # the opinion; comments are not judged complete


def post(**fields: Any) -> OpinionItem:
    item = OpinionItem(
        url="https://m.weibo.cn/detail/5102938475610001",
        source="weibo",
        platform="weibo",
        content="红谷滩这个路口又堵了",
        id="weibo:5102938475610001",
        crawled_at=T0,
    )
    for name, value in fields.items():
        setattr(item, name, value)
    return item


def judged(n: int, label: str, score: float) -> dict[str, Any]:
    # Comment items carry the sentiment stage's label (docs/schema.md `comments`).
    return to_document(comment(n, sentiment=Sentiment(label=label, score=score)))


def test_comment_sentiment_follows_the_stored_comments(
    writer: Writer, mongo_db: pymongo.database.Database
) -> None:
    writer.write([to_document(post())])
    first = writer.write(
        [judged(1, "negative", -0.8), judged(2, "negative", -0.6), judged(3, "neutral", 0.0)],
        COMMENTS,
    )
    assert first["comment_sentiment/updated"] == 1
    lean = mongo_db[OPINIONS].find_one()["comment_sentiment"]
    assert (lean["count"], lean["label"]) == (3, "negative")
    assert lean["counts"] == {"negative": 2, "neutral": 1, "positive": 0}
    assert lean["shares"] == {"negative": 0.6667, "neutral": 0.3333, "positive": 0.0}
    assert lean["score"] == pytest.approx(-0.4667, abs=1e-4)
    # More comments arrive; the same batch written twice (a spool replay) counts once.
    for _ in range(2):
        writer.write([judged(4, "positive", 0.9), judged(5, "positive", 0.7)], COMMENTS)
    # A re-crawl of the post that judged no comments keeps the lean.
    writer.write([to_document(post(crawled_at=T1))])
    lean = mongo_db[OPINIONS].find_one()["comment_sentiment"]
    assert lean["counts"] == {"negative": 2, "neutral": 1, "positive": 2}
    assert (lean["count"], lean["label"]) == (5, "negative")  # a tie goes to negative


def test_comments_before_their_item_are_counted_and_set_by_the_next_batch(
    writer: Writer, mongo_db: pymongo.database.Database
) -> None:
    early = writer.write([judged(1, "negative", -0.8)], COMMENTS)
    assert early["comment_sentiment/item_not_stored"] == 1
    assert mongo_db[OPINIONS].count_documents({}) == 0  # no half-made item
    writer.write([to_document(post())])
    writer.write([judged(2, "positive", 0.5)], COMMENTS)
    assert mongo_db[OPINIONS].find_one()["comment_sentiment"]["count"] == 2
