"""scrapy-redis's scheduler on the leased queue: nothing taken is lost, nothing is lost
while Redis is away.

- `next_request` leases (yuqing_spiders.queue.leased); the `LeaseKeeper` acknowledges a
  request once the engine has finished it and the writer has made its items durable,
  renews the leases meanwhile, and gives unfinished ones back when the worker stops.
- `enqueue_request` runs the Bloom check and the push in one Lua script, so a crash
  between "marked seen" and "queued" cannot drop a URL for good.
- Redis errors never escape into the engine: a request that cannot be queued waits in
  an in-memory outbox (and acknowledgements wait with it, so the request that produced
  it is fetched again should this worker die first); a failed pop is just "no request
  now"; `has_pending_requests` answers "yes" while Redis cannot say, so a worker does
  not mistake an outage for the end of the work.
- Pending and leased requests count as pending work: a worker does not go idle (and
  exit) while another worker's leases may still come back.
- A crawler whose last pop found nothing asks the process's shared reading of every
  queue (yuqing_spiders.queue.watch) before popping or counting again, so fifty idle
  crawlers cost at most one Redis script a second, not four commands each per engine
  wake-up.
- No disk, no ack: when the writer could neither store nor spool items, the worker
  takes no more requests, acknowledges nothing more, gives its leases back and stops
  the crawl as fatal (`yuqing/fatal`), so the command exits non-zero.
"""

from __future__ import annotations

import importlib
import logging
from collections import deque
from typing import TYPE_CHECKING, Any, Self

from redis.exceptions import RedisError
from scrapy import signals
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.misc import build_from_crawler, load_object
from scrapy_redis.scheduler import Scheduler

from yuqing_spiders.model.outcome import FATAL_REASON, FATAL_STAT
from yuqing_spiders.model.signals import items_durable
from yuqing_spiders.ops.ticker import TICKER
from yuqing_spiders.queue.dupefilter import BloomDupeFilter
from yuqing_spiders.queue.keeper import LeaseConfig, LeaseKeeper
from yuqing_spiders.queue.leased import LeasedPriorityQueue
from yuqing_spiders.queue.seeds import DEFAULT_KEY, seed_key
from yuqing_spiders.queue.watch import Look, QueueWatch, Watched, queue_watch, release_watch
from yuqing_spiders.store.connections import redis_from_settings

if TYPE_CHECKING:
    from collections.abc import Callable, Container

    from scrapy import Request, Spider
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


def engine_in_progress(crawler: Crawler) -> Container[Request]:
    """Requests the engine has taken and not finished.

    Scrapy has no signal for "this request and everything its callback produced are
    done"; the engine's slot tracks exactly that (a request leaves it after the scraper
    finished its response, item pipelines included). Private API, so Scrapy is pinned
    and tests/integration/queue/test_scheduler.py checks the behaviour on a real crawl.
    """
    slot = getattr(crawler.engine, "_slot", None)
    return slot.inprogress if slot is not None else ()


class Outbox:
    """Requests Redis could not take, queued again in their order once it answers."""

    def __init__(self, push: Callable[[Request], bool], stats: StatsCollector) -> None:
        self.push = push
        self.stats = stats
        self._waiting: deque[Request] = deque()
        self._failing = False

    def __len__(self) -> int:
        return len(self._waiting)

    def offer(self, request: Request) -> bool:
        """Queue `request` now or hold it; False for a duplicate or an unstorable one."""
        if self._waiting:
            # Keep the order: Redis failed a moment ago and older requests wait.
            self._waiting.append(request)
            return True
        try:
            return self.push(request)
        except RedisError as exc:
            self._waiting.append(request)
            self.stats.inc_value("queue/outbox")
            if not self._failing:
                self._failing = True
                logger.warning("Redis unreachable (%s); new requests wait in memory", exc)
            return True
        except (TypeError, ValueError) as exc:
            self._unstorable(request, exc)
            return False

    def drain(self) -> None:
        while self._waiting:
            request = self._waiting[0]
            try:
                self.push(request)
            except RedisError:
                return
            except (TypeError, ValueError) as exc:
                self._unstorable(request, exc)
            else:
                self.stats.inc_value("queue/outbox_pushed")
            self._waiting.popleft()
        if self._failing:
            self._failing = False
            logger.info("Redis answers again; every waiting request is queued")

    def _unstorable(self, request: Request, exc: Exception) -> None:
        # Not JSON (an object in meta, a callback that is no spider method): a bug in
        # the spider, reported where it can be fixed, never retried forever.
        self.stats.inc_value("queue/unserializable")
        logger.error("cannot queue %s: %s", request, exc)


class LeasedScheduler(Scheduler):
    """SCHEDULER of the distributed overlay; SCHEDULER_QUEUE_CLASS must lease."""

    crawler: Crawler
    config: LeaseConfig
    keeper: LeaseKeeper
    # scrapy-redis's attribute: a Bloom or fingerprint dupefilter, None until `open`.
    df: Any
    # True once a pop found nothing and nothing was queued here since: the shared
    # watch is asked before Redis (see `_open_watch`).
    _idle: bool = False
    watch: QueueWatch | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        server = redis_from_settings(settings)
        server.ping()  # a missing Redis fails the start, not the first request
        dupefilter_cls = load_object(settings["DUPEFILTER_CLASS"])
        scheduler = cls(
            server,
            persist=settings.getbool("SCHEDULER_PERSIST"),
            flush_on_start=settings.getbool("SCHEDULER_FLUSH_ON_START"),
            queue_key=settings["SCHEDULER_QUEUE_KEY"],
            queue_cls=settings["SCHEDULER_QUEUE_CLASS"],
            dupefilter=_build_dupefilter(dupefilter_cls, crawler),
            dupefilter_key=settings["SCHEDULER_DUPEFILTER_KEY"],
            dupefilter_cls=settings["DUPEFILTER_CLASS"],
            serializer=importlib.import_module(settings["SCHEDULER_SERIALIZER"]),
        )
        scheduler.crawler = crawler
        scheduler.stats = crawler.stats
        scheduler.config = LeaseConfig.from_settings(settings)
        return scheduler

    def open(self, spider: Spider) -> None:
        self.spider = spider
        queue_cls = load_object(self.queue_cls)
        if not issubclass(queue_cls, LeasedPriorityQueue):
            raise ValueError(f"LeasedScheduler needs a leasing queue, not {self.queue_cls}")
        self.queue = queue_cls(
            self.server,
            spider,
            self.queue_key % {"spider": spider.name},
            self.serializer,
            lease_seconds=self.config.lease_seconds,
            reap_batch=self.config.reap_batch,
        )
        if self.df is None:
            self.df = load_object(self.dupefilter_cls).from_spider(spider)
        self._outbox = Outbox(self._push, self.stats)
        self.keeper = LeaseKeeper(
            self.queue,
            self.stats,
            in_progress=lambda: engine_in_progress(self.crawler),
            sinks=self._durable_sinks(),
            renew_interval=self.config.renew_interval,
            ack_blocked=lambda: bool(self._outbox),
        )
        self.fatal: str | None = None  # why this worker stops taking work, once it must
        self.crawler.signals.connect(self.keeper.on_items_durable, signal=items_durable)
        self.crawler.signals.connect(self._stop_if_lost, signal=items_durable)
        self.crawler.signals.connect(self.keeper.on_item_scraped, signal=signals.item_scraped)
        self._open_watch(spider)
        if self.flush_on_start:
            self.flush()
        pending = len(self.queue)
        if pending:
            logger.info("resuming: %d requests pending in %s", pending, self.queue.key)
        # One timer for the schedulers of every crawler of the process (ops/ticker.py).
        TICKER.add(self.config.tick_interval, self._tick)

    def close(self, reason: str) -> None:
        TICKER.remove(self.config.tick_interval, self._tick)
        if self.watch is not None:
            release_watch(self.watch, self._watched)
        self._outbox.drain()
        if self._outbox:
            # Redis is still away: these never reached it. Their parents are not
            # acknowledged, so they are fetched again elsewhere (given back below, or
            # their leases expire) and yield these once more.
            self.stats.set_value("queue/outbox_lost_at_close", len(self._outbox))
            logger.error(
                "Redis unreachable at close: %d new requests not queued; the requests "
                "that produced them stay unacknowledged and are fetched again",
                len(self._outbox),
            )
        self.keeper.stop(ack=self.fatal is None)
        if not self.persist:
            self.flush()

    # --- the engine's interface -----------------------------------------------------------

    def enqueue_request(self, request: Request) -> bool:
        return self._outbox.offer(request)

    def next_request(self) -> Request | None:
        if self.fatal is not None:
            return None  # stopping: take no more work
        if self._idle:
            look = self._look()
            if look is not None and not look.work_for_pop:
                self.stats.inc_value("queue/pops_saved")
                return None
        for _ in range(10):  # skip a few unusable entries, never spin
            try:
                popped = self.queue.pop_leased()
            except RedisError as exc:
                self.stats.inc_value("queue/redis_errors/pop")
                logger.debug("pop failed: %s", exc)
                return None
            if popped.reaped:
                self.stats.inc_value("queue/reaped", popped.reaped)
            if popped.lease is not None:
                self._idle = False
                self.keeper.took(popped.lease)
                self.stats.inc_value("scheduler/dequeued/redis")
                return popped.lease.request
            if popped.dropped is None and popped.buried is None:
                self._idle = True
                return None
            self._count_unusable(popped.dropped, popped.buried)
        return None

    def has_pending_requests(self) -> bool:
        if self._outbox:
            return True
        look = self._look() if self._idle else None
        if look is not None:
            return look.backlog > 0
        try:
            return self.queue.backlog() > 0
        except RedisError:
            return True  # unknown: assume work remains rather than let the worker exit

    # --- internals ------------------------------------------------------------------------

    def _push(self, request: Request) -> bool:
        """Check (Bloom, atomically with the push) and queue; False for a duplicate."""
        filter_args = None
        if not request.dont_filter:
            if not isinstance(self.df, BloomDupeFilter):
                # A set-based dupefilter: two steps, as scrapy-redis does them.
                if self.df.request_seen(request):
                    self.df.log(request, self.spider)
                    return False
            else:
                filter_args = self.df.filter_args(request)
        pushed = self.queue.push_unless_seen(request, filter_args)
        if filter_args is not None and self.df.count(pushed.check):
            self.df.log(request, self.spider)
            return False
        self._idle = False  # pop it without waiting for the next reading
        self.stats.inc_value("scheduler/enqueued/redis")
        return True

    def _open_watch(self, spider: Spider) -> None:
        self._idle = False
        self.watch = None
        if self.config.watch_max_age <= 0:
            return
        seeds = seed_key(spider.name, self.crawler.settings.get("YUQING_SEED_KEY", DEFAULT_KEY))
        self._watched = Watched(self.queue.keys.pending, self.queue.keys.leases, seeds)
        self.watch = queue_watch(self.server, self.config.watch_max_age)
        self.watch.watch(self._watched)

    def _look(self) -> Look | None:
        return self.watch.look(self._watched) if self.watch is not None else None

    def _tick(self) -> None:
        try:
            self._outbox.drain()
            self.keeper.tick()
        except Exception:
            # The loop must outlive any surprise, or leases stop being renewed.
            self.stats.inc_value("queue/tick_errors")
            logger.exception("lease round failed; trying again next tick")

    def _stop_if_lost(self, through: int = 0, lost: int = 0) -> None:
        """Items neither stored nor spooled (MongoDB away and the disk full or read-only):
        going on would fetch pages only to lose them, so stop as fatal."""
        if not lost:
            return
        self.stats.inc_value("queue/items_lost", lost)
        if self.fatal is not None:
            return
        self.fatal = f"{lost} items could be neither stored nor spooled (no disk, no ack)"
        self.stats.set_value(FATAL_STAT, self.fatal)
        logger.error(
            "stopping: %s; this worker takes no more requests and gives its leases back",
            self.fatal,
        )
        engine = self.crawler.engine
        if engine is not None and engine.spider is not None:
            deferred_from_coro(engine.close_spider_async(reason=FATAL_REASON))

    def _durable_sinks(self) -> list[Any]:
        """The enabled pipelines of YUQING_QUEUE_DURABLE_PIPELINES (acks wait for them)."""
        found = []
        for path in self.crawler.settings.getlist("YUQING_QUEUE_DURABLE_PIPELINES"):
            sink = self.crawler.get_item_pipeline(load_object(path))
            if sink is not None:
                found.append(sink)
        return found

    def _count_unusable(self, dropped: str | None, buried: str | None) -> None:
        if dropped:
            self.stats.inc_value("queue/dropped_without_data")
            logger.error("queued request %s had no data; dropped", dropped)
        if buried:
            self.stats.inc_value("queue/buried")
            logger.error(
                "queued request %s is not a request this spider can run; kept in %s",
                buried,
                self.queue.keys.dead,
            )


def _build_dupefilter(dupefilter_cls: Any, crawler: Crawler) -> Any:
    """From the crawler when the class can; older scrapy-redis ones are built at open."""
    if hasattr(dupefilter_cls, "from_spider"):
        return None
    return build_from_crawler(dupefilter_cls, crawler)
