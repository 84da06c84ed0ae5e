"""Worker parity: `yuqing seed` + `yuqing worker` store what `yuqing run --replay` stores.

Issue 12 item 1: request meta that is not JSON (a ListEntry, a SearchResult) cannot
cross the Redis queue, so worker mode silently lost every portal and search article
(run 118 documents, worker 103). Both modes crawl every configured source from the
same replay site (tests/fixtures/web, the sites' real URLs on 127.0.0.1); this test
compares, source by source, the stored `_id`s, and fails on any request the worker
could not queue (`queue/unserializable` in the stats it dumps, "cannot queue" in its
log) — never only a log line.
"""

from __future__ import annotations

import re
import subprocess
from collections import defaultdict

import pymongo
import pytest
import redis

from tests.helpers.cli import run_yuqing, start_yuqing, yuqing_env
from tests.helpers.paths import FIXTURES_WEB
from yuqing_spiders.replay.server import ReplayServer

pytestmark = pytest.mark.slow


def stored_by_source(db: pymongo.database.Database) -> dict[str, set[str]]:
    ids: dict[str, set[str]] = defaultdict(set)
    for doc in db.opinions.find({}, {"_id": 1, "source": 1}):
        ids[doc["source"]].add(doc["_id"])
    return dict(ids)


def test_worker_stores_per_source_what_run_stores(tmp_path, mongo_uri, redis_url):
    client: pymongo.MongoClient = pymongo.MongoClient(mongo_uri, serverSelectionTimeoutMS=5000)
    names = {
        "run": f"yqparity_run_{tmp_path.name[-8:]}",
        "worker": f"yqparity_wk_{tmp_path.name[-8:]}",
    }
    # Redis databases of their own, so cooldowns, front-page sets and seeds of one
    # mode cannot change what the other sees.
    urls = {
        "run": redis_url.rsplit("/", 1)[0] + "/10",
        "worker": redis_url.rsplit("/", 1)[0] + "/11",
    }
    for url in urls.values():
        redis.Redis.from_url(url).flushdb()
    try:
        envs = {
            mode: yuqing_env(
                MONGO_URI=mongo_uri,
                REDIS_URL=urls[mode],
                MONGO_DATABASE=names[mode],
                YUQING_DATA_DIR=str(tmp_path / mode),
            )
            for mode in names
        }
        ran = run_yuqing("run", "--replay", "--no-progress", env=envs["run"], timeout=900)
        assert ran.returncode == 0, ran.stderr[-3000:]

        with ReplayServer(FIXTURES_WEB) as site:
            seeded = run_yuqing("seed", env=envs["worker"])
            assert seeded.returncode == 0, seeded.stderr
            log = tmp_path / "worker.log"
            worker = start_yuqing(
                "worker",
                "--replay-url",
                site.url,
                "--idle-exit",
                "5",
                "--no-progress",
                env=envs["worker"],
                log=log,
            )
            try:
                worker.wait(300)
            except subprocess.TimeoutExpired:
                worker.kill()  # it hangs: the stores are compared, then this fails
                worker.wait(30)
            text = log.read_text()
        assert "cannot queue" not in text, re.findall(r".*cannot queue.*", text)[:5]
        assert not re.search(r"'queue/unserializable': \d+", text)

        in_run = stored_by_source(client[names["run"]])
        in_worker = stored_by_source(client[names["worker"]])
        total = sum(map(len, in_run.values()))
        print(f"parity: run {total}, worker {sum(map(len, in_worker.values()))} documents")
        assert total > 100  # the whole replay site was crawled
        differences = [
            f"{source}: worker {len(got)}, run {len(want)}; only in run "
            f"{sorted(want - got)[:3]}, only in worker {sorted(got - want)[:3]}"
            for source in sorted(in_run.keys() | in_worker.keys())
            if (got := in_worker.get(source, set())) != (want := in_run.get(source, set()))
        ]
        assert not differences, "\n".join(differences)
        assert worker.returncode == 0, text[-3000:]
    finally:
        for name in names.values():
            client.drop_database(name)
        client.close()
