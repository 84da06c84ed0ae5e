"""Idle crawlers of a `yuqing worker` share one look at their queues (queue/watch.py).

A worker over three spiders with nothing to do must not pop its queues or seed lists
one crawler at a time (the pop script's ZRANGE, the seeds' LPOP never run while the
queues are empty), and seeds queued later, as `yuqing seed` or the scheduler queue
them while workers wait, are still taken and crawled: the people.com.cn list page
and its articles (the generated site models people.com.cn's list and article URLs).
"""

from __future__ import annotations

import signal
import time

import pytest

from tests.helpers.faults import Cluster, wait_for
from yuqing_spiders.queue.seeds import Seed, push_seeds, seed_key
from yuqing_spiders.replay import sitegen

pytestmark = pytest.mark.slow


def calls(client, command: str) -> int:
    return int(client.info("commandstats").get(f"cmdstat_{command}", {}).get("calls", 0))


def test_idle_crawlers_share_one_look_and_still_take_new_seeds(tmp_path):
    with Cluster(tmp_path, 6, delay=0.0).running() as cluster:
        client = cluster.redis()
        client.delete(seed_key("people"))  # the worker starts with nothing to do
        worker = cluster.start_worker(idle_exit=0, spiders=("people", "xinhua", "sina"))
        # Each crawler pops once at open (the script's ZRANGE) and finds nothing; from
        # then on it asks the watch, which has read the queues once they have asked.
        wait_for(lambda: calls(client, "zrange") >= 3, 90, "each crawler's first pop")
        wait_for(lambda: calls(client, "llen") >= 3, 30, "the watch's first reading")
        before = {c: calls(client, c) for c in ("zrange", "lpop", "llen")}
        time.sleep(6)  # more than one of the engine's 5 s wake-ups of every crawler
        idle = {c: calls(client, c) - before[c] for c in before}
        assert idle["zrange"] == 0, idle  # no crawler popped an empty queue
        assert idle["lpop"] == 0, idle  # nor an empty seed list
        assert idle["llen"] >= 3, idle  # the shared reading covers the three queues
        push_seeds(client, "people", [Seed(sitegen.list_url("all"), "people")])
        wait_for(lambda: cluster.stored() == 6, 60, "the seeded articles stored")
        worker.proc.send_signal(signal.SIGTERM)
        assert worker.proc.wait(60) == 0, worker.text[-3000:]
        assert cluster.depths() == {"pending": 0, "leased": 0, "dead": 0}
    assert worker.stat("yuqing/seeds_taken") == 1
    assert worker.stat("queue/pops_saved") > 0
    assert worker.stat("yuqing/seed_polls_saved") > 0
