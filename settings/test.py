"""Tests: fast, no throttling, small batches; the replay URL comes from the fixture."""

from settings import *  # noqa: F403

AUTOTHROTTLE_ENABLED = False
DOWNLOAD_DELAY = 0
RETRY_TIMES = 1
DOWNLOAD_TIMEOUT = 5
MONGO_BATCH_SIZE = 10
MONGO_FLUSH_INTERVAL = 0.2
MONGO_RETRY_INTERVAL = 0.5
LOG_LEVEL = "INFO"
# The tests' own HTTP servers listen on 127.0.0.1 (never in a live crawl).
YUQING_FETCH_ALLOW_LOOPBACK = True
