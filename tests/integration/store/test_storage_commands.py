"""Storage stays flat: the writer's MongoDB commands per batch, counted on the real
wire server with pymongo's command monitoring (docs/architecture.md, Storage)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pymongo
from pymongo import monitoring

from yuqing_spiders.analysis.event_store import write_events
from yuqing_spiders.store.documents import COMMENTS, FIRST_MOVED, OPINIONS
from yuqing_spiders.store.spool import Spool
from yuqing_spiders.store.writer import Writer, write_grouped

REPO = Path(__file__).resolve().parents[3]
T0 = datetime(2026, 12, 5, 8, 0, tzinfo=UTC)


class Commands(monitoring.CommandListener):
    def __init__(self) -> None:
        self.seen: Counter[str] = Counter()

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        if event.command_name in ("insert", "update", "find", "aggregate", "delete"):
            self.seen[f"{event.command_name}:{event.command[event.command_name]}"] += 1

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass


def opinion(i: int, **extra: Any) -> dict[str, Any]:
    event = f"ev:{i // 4:016x}"
    return {
        "_id": f"people:{i}",
        "url": f"http://jx.people.com.cn/n2/{i}.html",
        "source": "people",
        "platform": "news",
        "title": f"南昌第{i}条",
        "content": "南昌市红谷滩区" * 100,
        "crawled_at": T0,
        "event_id": event,
        "is_first_publisher": i % 4 == 0,
        "repost_of": None if i % 4 == 0 else f"people:{i - i % 4}",
        "metrics": {"comments": 3},
        "schema_version": 1,
        "extra": extra,
    }


def test_a_flush_of_100_items_is_a_handful_of_commands(
    mongo_uri: str, mongo_db: pymongo.database.Database, mongo_db_name: str, tmp_path: Path
) -> None:
    listener = Commands()
    client: pymongo.MongoClient[dict[str, Any]] = pymongo.MongoClient(
        mongo_uri, event_listeners=[listener], tz_aware=True
    )
    writer = Writer(client, mongo_db_name, Spool(tmp_path / "spool"), retry_interval=0)
    writer.open()
    listener.seen.clear()
    docs = [(OPINIONS, opinion(i)) for i in range(100)]
    # One item turns out to be its event's first publisher late; comments of two items.
    docs[5] = (OPINIONS, opinion(5, **{FIRST_MOVED: True}))
    docs += [
        (COMMENTS, {"_id": f"people:{n}#c{k}", "opinion_id": f"people:{n}", "crawled_at": T0,
                    "sentiment": {"label": "negative", "score": -0.5}, "schema_version": 1})
        for n in (1, 2) for k in range(10)
    ]  # fmt: skip
    counts = write_grouped(writer, docs)
    write_events(
        writer.db, [{"_id": f"ev:{e:016x}", "version": 1, "updated_at": T0} for e in range(25)]
    )
    assert counts["inserted"] == 100
    assert counts["first_publisher_fixed"] == 3  # people:4, 6, 7 now repost people:5
    assert listener.seen == {
        "find:opinions": 1,  # stored states of the batch
        "insert:opinions": 1,  # the 100 new items (an insert is cheaper than an upsert)
        "update:opinions": 2,  # the membership correction; the comment leans
        "update:opinion_metrics": 1,
        "find:comments": 1,
        "update:comments": 1,
        "aggregate:comments": 1,
        "find:events": 1,  # the versions stored
        "insert:events": 1,  # the 25 new events
    }
    # 10 commands for 100 items, 20 comments and 25 events: far under 1.5 per item.
    assert sum(listener.seen.values()) / 100 <= 0.1
    stored = mongo_db[OPINIONS].find_one({"_id": "people:6"})
    assert (stored["repost_of"], stored["is_first_publisher"]) == ("people:5", False)
    assert FIRST_MOVED not in mongo_db[OPINIONS].find_one({"_id": "people:5"})["extra"]
    client.close()


def test_no_top_level_or_filter_on_the_crawl_path() -> None:
    # An embedded SecantusDB answers a top-level $or by scanning the collection: the
    # crawl (stages, stores, sources) never sends one. (Reports read once a day.)
    offenders = []
    for folder in ("pipelines", "spiders", "yuqing_spiders/store", "yuqing_spiders/analysis"):
        for path in (REPO / folder).rglob("*.py"):
            if re.search(r"""["']\$or["']""", path.read_text(encoding="utf-8")):
                offenders.append(str(path.relative_to(REPO)))
    assert offenders == []
