"""Cost of the event stage per item: MinHash signature alone vs signature + Redis index.

Starts an embedded redis-server (or uses REDIS_URL), indexes N generated news bodies
(one story in ten is a repost of an earlier one) and prints items/s for each and
`ratio: R` (with Redis / signature alone). Run: python bench/events.py [N]
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


from tests.helpers.stories import ORIGINAL, OTHER_STORY, story  # noqa: E402
from yuqing_spiders.analysis.events import (
    EventIndex,  # noqa: E402
    member_of,  # noqa: E402
)
from yuqing_spiders.analysis.keys import Keys  # noqa: E402
from yuqing_spiders.analysis.neardup import signature  # noqa: E402
from yuqing_spiders.analysis.storyfacts import story_key  # noqa: E402
from yuqing_spiders.ops.services import EmbeddedRedis  # noqa: E402
from yuqing_spiders.store.connections import redis_from_url  # noqa: E402

PARAMS = {"num_perm": 144, "shingle": 3, "min_chars": 40}


def bodies(n: int) -> list[str]:
    rng = random.Random(7)
    words = list(ORIGINAL + OTHER_STORY)
    out: list[str] = []
    for i in range(n):
        if out and i % 10 == 0:
            out.append("来源：人民网\n" + rng.choice(out))  # a repost
        else:
            out.append("".join(rng.choice(words) for _ in range(400)))
    return out


def run(url: str, n: int) -> None:
    texts = bodies(n)
    start = time.perf_counter()
    for text in texts:
        signature(text, **PARAMS)
    bare = n / (time.perf_counter() - start)
    client = redis_from_url(url)
    prefix = f"bench:{uuid.uuid4().hex[:8]}"
    index = EventIndex(client, Keys(prefix), retention_seconds=600)
    start = time.perf_counter()
    for i, text in enumerate(texts):
        item = story(str(i), content=text)
        key = story_key(item.title, text)
        assert item.crawled_at is not None
        index.record(member_of(item), signature(text, **PARAMS), key, item.crawled_at)
    full = n / (time.perf_counter() - start)
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)
    print(f"signature only: {bare:.0f} items/s")
    print(f"with story facts, Redis index and event state (one call): {full:.0f} items/s")
    print(f"ratio: {full / bare:.2f}")


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    if os.environ.get("REDIS_URL"):
        run(os.environ["REDIS_URL"], count)
    else:
        with EmbeddedRedis(Path(tempfile.mkdtemp())) as server:
            run(server.url, count)
