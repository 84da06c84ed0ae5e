"""The last stage: the Scrapy shell of the MongoDB writer (yuqing_spiders/store/writer.py).

It collects documents, hands each batch to one background thread (so a slow or absent
server never blocks the reactor, and batches stay in order) where `Writer` stores it,
or spools it while MongoDB is away, and turns the writer's counts into `mongo/...`
stats on the reactor thread, where the stats collector is safe to touch. Once a batch
is stored or spooled, `items_durable` tells the leased queue it may acknowledge.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self, TypeVar

from scrapy.exceptions import DropItem
from scrapy.utils.asyncio import is_asyncio_available
from scrapy.utils.defer import deferred_from_coro, maybe_deferred_to_future
from scrapy.utils.log import failure_to_exc_info
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from yuqing_spiders.model.outcome import FATAL_REASON, FATAL_STAT
from yuqing_spiders.model.signals import items_durable
from yuqing_spiders.ops.services import EmbeddedMongo
from yuqing_spiders.ops.ticker import TICKER
from yuqing_spiders.store.connections import MongoOptions, redact_uri
from yuqing_spiders.store.documents import OPINIONS, collection_for, to_document
from yuqing_spiders.store.writer import STAT_KEYS, Writer, open_writer, write_grouped

if TYPE_CHECKING:
    from collections.abc import Callable

    from scrapy.crawler import Crawler
    from scrapy.signalmanager import SignalManager
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)

_T = TypeVar("_T")


def _future_to_deferred(future: Future[_T]) -> Deferred[_T]:
    """For a non-asyncio reactor: fire a Deferred on the reactor thread."""
    from twisted.internet import reactor  # only when a Twisted reactor runs Scrapy

    deferred: Deferred[_T] = Deferred()

    def relay(done: Future[_T]) -> None:
        error = done.exception()
        if error is None:
            deferred.callback(done.result())
        else:
            deferred.errback(error)

    future.add_done_callback(lambda done: reactor.callFromThread(relay, done))
    return deferred


def _every_point(value: str) -> bool:
    """MONGO_METRICS_POINTS: "observed" (default) or "every". Anything else stops the
    crawl (a disabled writer would store nothing)."""
    if value not in ("observed", "every"):
        raise ValueError(f'MONGO_METRICS_POINTS must be "observed" or "every", not {value!r}')
    return value == "every"


class MongoWriterPipeline:
    """Batches documents for `Writer` and runs it in one background thread."""

    def __init__(
        self,
        stats: StatsCollector,
        *,
        uri: str | None,
        database: str,
        batch_size: int = 100,
        flush_interval: float = 2.0,
        retry_interval: float = 5.0,
        mongo_options: MongoOptions | None = None,
        spool_dir: Path | str,
        embedded_dir: Path | str,
        signals: SignalManager | None = None,
        every_point: bool = False,
        stop: Callable[[str], None] | None = None,
    ) -> None:
        self.stats = stats
        # `yuqing run` (no leased queue to give the work back to): called once items
        # could be neither stored nor spooled, to stop the crawl as fatal.
        self.stop = stop
        self.every_point = every_point
        self.signals = signals
        self.uri = uri
        self.database = database
        self.batch_size = max(1, batch_size)
        self.flush_interval = flush_interval
        self.retry_interval = retry_interval
        self.mongo_options = mongo_options or MongoOptions()
        self.spool_dir = Path(spool_dir)
        self.embedded_dir = Path(embedded_dir)
        self.writer: Writer | None = None
        self.embedded: EmbeddedMongo | None = None
        # (collection, document) in arrival order; one flush writes every collection.
        self._buffer: list[tuple[str, dict[str, Any]]] = []
        self._executor: ThreadPoolExecutor | None = None
        self._ticking = False
        self._pending: set[Deferred[None]] = set()
        self._inflight = 0
        # Durability barrier for the leased queue (yuqing_spiders.queue.keeper): items
        # taken so far, and how many of them are stored or spooled.
        self.accepted = 0
        self.durable_through = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        assert crawler.stats is not None
        data_dir = Path(settings.get("YUQING_DATA_DIR") or Path.cwd() / ".yuqing")
        return cls(
            crawler.stats,
            signals=crawler.signals,
            uri=settings.get("MONGO_URI") or None,
            database=settings.get("MONGO_DATABASE") or "yuqing",
            batch_size=settings.getint("MONGO_BATCH_SIZE", 100),
            flush_interval=settings.getfloat("MONGO_FLUSH_INTERVAL", 2.0),
            retry_interval=settings.getfloat("MONGO_RETRY_INTERVAL", 5.0),
            mongo_options=MongoOptions.from_settings(settings),
            spool_dir=settings.get("MONGO_SPOOL_DIR") or data_dir / "spool",
            embedded_dir=data_dir / "mongo",
            every_point=_every_point(settings.get("MONGO_METRICS_POINTS") or "observed"),
            # Workers: the leased scheduler stops on `items_durable(lost=…)` and gives
            # its leases back (queue/scheduler.py); a local run stops here.
            stop=None if settings.getbool("YUQING_DISTRIBUTED") else _stopper(crawler),
        )

    # --- Scrapy hooks -------------------------------------------------------------------

    async def open_spider(self) -> None:
        for key in STAT_KEYS:
            self.stats.inc_value(f"mongo/{key}", 0)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mongo-writer")
        try:
            self.writer = await self._in_thread(self._connect)
            if self.embedded is not None:
                self.stats.set_value("mongo/embedded_server", 1)
            self._apply(await self._in_thread(self.writer.open))
        except BaseException:
            await self._release()
            raise
        # One timer for this interval's flushes of every crawler (ops/ticker.py).
        TICKER.add(self.flush_interval, self._tick)
        self._ticking = True

    async def process_item(self, item: Any) -> Any:
        try:
            doc = to_document(item)
        except ValueError as exc:
            self.stats.inc_value("mongo/invalid_items")
            logger.error("not stored: %s", exc)
            raise DropItem(str(exc)) from None
        collection = collection_for(item)
        # Comments are counted apart: `items_received` stays the opinions' count.
        received = "items_received" if collection == OPINIONS else f"{collection}/received"
        self.stats.inc_value(f"mongo/{received}")
        self._buffer.append((collection, doc))
        self.accepted += 1
        if len(self._buffer) >= self.batch_size:
            # Awaited: when MongoDB is slow, the crawl slows with it instead of piling
            # batches up in memory.
            await self._flush()
        return item

    async def close_spider(self) -> None:
        if self._ticking:
            TICKER.remove(self.flush_interval, self._tick)
            self._ticking = False
        for deferred in list(self._pending):
            await maybe_deferred_to_future(deferred)
        if self.writer is not None:
            await self._flush(force=True)
            self._apply(await self._in_thread(self.writer.close))
            self._log_summary()
        await self._release()

    # --- internals ----------------------------------------------------------------------

    def _connect(self) -> Writer:
        """Runs in the writer thread: starting a server and connecting may block."""
        uri = self.uri
        if uri is None:
            logger.warning(
                "MONGO_URI is not set: starting an embedded MongoDB (SecantusDB) in %s for "
                "this crawl only; set MONGO_URI to write to a real server",
                self.embedded_dir,
            )
            self.embedded = EmbeddedMongo(self.embedded_dir).start()
            uri = self.embedded.url
        # UnusableURI (a ValueError, redacted) when pymongo refuses the URI.
        writer = open_writer(
            uri,
            self.database,
            self.spool_dir,
            retry_interval=self.retry_interval,
            options=self.mongo_options,
            every_point=self.every_point,
        )
        logger.info(
            "writing to MongoDB %s database %s (batches of %d or every %.1fs; spool %s)",
            redact_uri(uri),
            self.database,
            self.batch_size,
            self.flush_interval,
            self.spool_dir,
        )
        return writer

    async def _in_thread(self, func: Callable[..., _T], *args: Any) -> _T:
        """Run `func` in the single writer thread: never on the reactor, always in order."""
        assert self._executor is not None
        future = self._executor.submit(func, *args)
        if is_asyncio_available():
            return await asyncio.wrap_future(future)
        return await _future_to_deferred(future)

    async def _flush(self, *, force: bool = False) -> None:
        assert self.writer is not None
        docs, self._buffer = self._buffer, []
        through = self.accepted
        if not docs and not force and not self.writer.down:
            return
        self._inflight += 1
        try:
            counts = await self._in_thread(write_grouped, self.writer, docs)
        except Exception:
            # Neither stored nor spooled: the leased scheduler sends their requests back.
            self._settled(through, len(docs))
            raise
        finally:
            self._inflight -= 1
        self._apply(counts)
        self._settled(through, counts.get("lost_items", 0))

    def _settled(self, through: int, lost: int) -> None:
        """Every item accepted up to `through` is now stored or spooled (or, `lost`,
        could not be kept): tell the leased scheduler it may acknowledge."""
        # Batches run in order on one thread, so `through` only grows.
        self.durable_through = max(self.durable_through, through)
        if self.signals is not None:
            self.signals.send_catch_log(items_durable, through=through, lost=lost)
        if lost and self.stop is not None:
            self.stop(
                f"{lost} items could be neither stored nor spooled "
                "(MongoDB away and the spool not writable)"
            )

    def _tick(self) -> None:
        """Every MONGO_FLUSH_INTERVAL: write a partly filled batch; while MongoDB is down,
        give it its retry even with nothing new to write."""
        if self._inflight or self.writer is None:
            return
        if not self._buffer and not self.writer.down:
            return
        deferred = deferred_from_coro(self._flush())
        self._pending.add(deferred)
        deferred.addBoth(self._flushed, deferred)

    def _flushed(self, result: Any, deferred: Deferred[None]) -> None:
        self._pending.discard(deferred)
        if isinstance(result, Failure):
            logger.error("timed MongoDB flush failed", exc_info=failure_to_exc_info(result))

    def _apply(self, counts: Counter[str]) -> None:
        for key, value in counts.items():
            if value:
                self.stats.inc_value(f"mongo/{key}", value)

    def _log_summary(self) -> None:
        stats = self.stats.get_stats()
        logger.info(
            "MongoDB writer closed: %d items received, %d inserted, %d updated, %d unchanged, "
            "%d spooled, %d replayed from the spool, %d refused",
            *(
                stats.get(f"mongo/{key}", 0)
                for key in (
                    "items_received",
                    "inserted",
                    "updated",
                    "unchanged",
                    "spooled_items",
                    "spool_replayed_items",
                    "write_errors",
                )
            ),
        )

    async def _release(self) -> None:
        if self.writer is not None and self._executor is not None:
            # Safe after Writer.close too: the client is given back once.
            await self._in_thread(self.writer.release)
        if self.embedded is not None and self._executor is not None:
            await self._in_thread(self.embedded.stop)
            self.embedded = None
        if self._executor is not None:
            self._executor.shutdown(wait=False)
            self._executor = None


def _stopper(crawler: Crawler) -> Callable[[str], None]:
    """Stop a local crawl as fatal once (model/outcome.py): going on would fetch pages
    only to lose them; the command exits 1 with the reason."""

    def stop(reason: str) -> None:
        stats = crawler.stats
        if stats is None or stats.get_value(FATAL_STAT):
            return
        stats.set_value(FATAL_STAT, reason)
        logger.error("stopping: %s", reason)
        engine = crawler.engine
        if engine is not None and engine.spider is not None:
            deferred_from_coro(engine.close_spider_async(reason=FATAL_REASON))

    return stop
