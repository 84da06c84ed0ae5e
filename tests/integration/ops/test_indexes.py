"""Before a crawl writes, every collection exists with its indexes, created from one
connection in order (ops/indexes.py): the crawlers' own index calls then find them."""

from __future__ import annotations

import pymongo

from yuqing_spiders.ops.indexes import prepare_database


def test_prepare_creates_every_collection_with_its_indexes(mongo_db):
    assert prepare_database(mongo_db) is True
    names = set(mongo_db.list_collection_names())
    assert names >= {
        "opinions",
        "opinion_metrics",
        "comments",
        "events",
        "alerts",
        "frontpage_snapshots",
        "crawl_stats",
    }
    # More than the default `_id` index on each: the schema's named indexes are there.
    for name in names:
        assert len(mongo_db[name].index_information()) > 1, name
    # Safe on every start: a second call changes nothing.
    before = {n: sorted(mongo_db[n].index_information()) for n in names}
    assert prepare_database(mongo_db) is True
    assert {n: sorted(mongo_db[n].index_information()) for n in names} == before


def test_an_unreachable_server_is_reported_not_raised():
    client: pymongo.MongoClient = pymongo.MongoClient(
        "mongodb://127.0.0.1:9", serverSelectionTimeoutMS=200
    )
    try:
        assert prepare_database(client["nowhere"]) is False
    finally:
        client.close()
