"""Front-page placement: store each poll, flag the items that were on a front page.

Two stages, because a poll is not an opinion:

- `FrontPageSnapshotPipeline` (first, before normalisation) takes the
  `FrontPageSnapshot`s of spiders/frontpage/spider.py: it records the poll in Redis (the
  site's current set and each link's placements, yuqing_spiders/store/frontpage.py),
  writes it to `frontpage_snapshots`, pushes the placement onto articles already in
  `opinions`, and drops the snapshot (counted, logged at DEBUG) so no opinion stage
  ever sees it. Every other item passes untouched.
- `FrontPagePipeline` (after the event stage) gives an opinion the placements its
  canonical URL has had (`front_page`), and — since a front page saw it before yuqing
  fetched it — that first sighting as its `first_seen_at`. The event stage reads the
  placements in its own Redis call and leaves them on the item (their sites join the
  event's front pages there); without it, this stage reads them itself.

An article that passes the second stage just before a poll lists it and reaches
MongoDB just after the poll's update is flagged by the next poll of that site.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Self

import redis
from pymongo.errors import PyMongoError
from scrapy.exceptions import DropItem, NotConfigured

from yuqing_spiders.analysis.plumbing import in_thread
from yuqing_spiders.model.items import FrontPageSnapshot, OpinionItem
from yuqing_spiders.store.connections import (
    redis_from_settings,
    redis_url,
    release_mongo,
    shared_mongo,
)
from yuqing_spiders.store.frontpage import (
    FrontPageStore,
    attached_placements,
    ensure_snapshot_indexes,
    first_seen_of,
    parse_placements,
    store_snapshot,
)

if TYPE_CHECKING:
    from pymongo import MongoClient
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


def _store(crawler: Crawler) -> FrontPageStore | None:
    settings = crawler.settings
    if not redis_url(settings):
        return None
    return FrontPageStore(
        redis_from_settings(settings),
        settings["FRONTPAGE_REDIS_PREFIX"],
        settings.getint("FRONTPAGE_PLACEMENT_TTL"),
        settings.getint("FRONTPAGE_CURRENT_TTL"),
    )


class FrontPageSnapshotPipeline:
    def __init__(self, crawler: Crawler, store: FrontPageStore | None) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.store = store
        self.mongo_uri = crawler.settings.get("MONGO_URI")
        self.database = crawler.settings.get("MONGO_DATABASE") or "yuqing"
        self.client: MongoClient[dict[str, Any]] | None = None
        self._warned = False
        self._indexed = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler, _store(crawler))

    async def open_spider(self) -> None:
        if self.mongo_uri:
            self.client = shared_mongo(self.crawler.settings)

    async def close_spider(self) -> None:
        if self.client is not None:
            release_mongo(self.client)
            self.client = None

    async def process_item(self, item: Any) -> Any:
        if not isinstance(item, FrontPageSnapshot):
            return item
        if self.store is None or self.client is None:
            self.stats.inc_value("frontpage/snapshots_not_stored")
            if not self._warned:
                self._warned = True
                logger.error("front-page snapshots need REDIS_URL and MONGO_URI; not stored")
            raise DropItem("front-page snapshot not stored", log_level="DEBUG")
        try:
            flagged = await in_thread(self._save, item)
        except (redis.RedisError, PyMongoError) as exc:
            self.stats.inc_value("frontpage/store_errors")
            logger.error("front-page poll of %s at %s not stored: %s", item.site, item.page, exc)
            raise DropItem("front-page snapshot store failed", log_level="DEBUG") from None
        self.stats.inc_value("frontpage/snapshots_stored")
        self.stats.inc_value(f"frontpage/snapshots_stored/{item.site}")
        self.stats.inc_value("frontpage/stored_items_flagged", flagged)
        raise DropItem("front-page snapshot stored", log_level="DEBUG")

    def _save(self, snapshot: FrontPageSnapshot) -> int:
        """In a thread: Redis first (later crawls are flagged), then MongoDB."""
        assert self.store is not None
        assert self.client is not None
        new = self.store.record_poll(snapshot)
        db = self.client[self.database]
        if not self._indexed:
            ensure_snapshot_indexes(db)
            self._indexed = True
        flagged = store_snapshot(db, snapshot, first_seen_of(snapshot, self.store))
        logger.debug(
            "front page %s: %d links, %d new placements", snapshot.site, len(snapshot.links), new
        )
        return flagged


class FrontPagePipeline:
    def __init__(self, crawler: Crawler, store: FrontPageStore) -> None:
        self.stats = crawler.stats
        self.store = store

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        store = _store(crawler)
        if store is None:
            raise NotConfigured("front-page flags need REDIS_URL (the current front-page sets)")
        return cls(crawler, store)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, OpinionItem) or not item.canonical_url:
            return item
        read, raw = attached_placements(item)
        try:
            if read:  # the event stage read the key in its own call
                placements = parse_placements(raw)
                self.stats.inc_value("frontpage/read_with_event")
            else:
                placements = self.store.placements(item.canonical_url)
        except redis.RedisError as exc:
            self.stats.inc_value("frontpage/lookup_errors")
            logger.warning("front-page lookup for %s failed: %s", item.url, exc)
            return item
        except (ValueError, KeyError, TypeError) as exc:  # not what the poll script writes
            self.stats.inc_value("frontpage/unreadable")
            logger.warning("front-page placements of %s unreadable: %r", item.url, exc)
            return item
        known = {p.site for p in item.front_page}
        added = [p for p in placements if p.site not in known]
        if not added:
            return item
        item.front_page = [*item.front_page, *added]
        self.stats.inc_value("frontpage/flagged")
        earliest = min((p.seen_at for p in added if p.seen_at), default=None)
        if earliest and (item.first_seen_at is None or earliest < item.first_seen_at):
            item.first_seen_at = earliest
        return item
