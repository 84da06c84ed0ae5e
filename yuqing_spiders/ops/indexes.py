"""Every collection's indexes, created one after another before a crawl writes.

Each component also creates its own indexes when it opens (a no-op when they exist),
but several crawlers open at once and start writing at once. The embedded server
(SecantusDB) can stop answering when a `createIndexes` that creates a new collection
runs while other connections insert (docs/reliability.md), so the commands that start
crawls create all collections here first, from one connection, in order.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

import pymongo.errors

from yuqing_spiders.analysis.event_store import ensure_event_indexes
from yuqing_spiders.ops.alerting.store import ensure_alert_indexes
from yuqing_spiders.ops.crawl_stats import CRAWL_STATS, CRAWL_STATS_INDEXES
from yuqing_spiders.store.documents import ensure_indexes
from yuqing_spiders.store.frontpage import ensure_snapshot_indexes

if TYPE_CHECKING:
    from pymongo.database import Database

logger = logging.getLogger(__name__)


def _crawl_stats_indexes(db: Database) -> None:
    db[CRAWL_STATS].create_indexes(CRAWL_STATS_INDEXES)


STEPS: tuple[Callable[[Database], object], ...] = (
    ensure_indexes,  # opinions, opinion_metrics, comments
    ensure_event_indexes,
    ensure_alert_indexes,
    ensure_snapshot_indexes,
    _crawl_stats_indexes,
)


def prepare_database(db: Database) -> bool:
    """Create the indexes of every collection, in order; False (logged) when the
    server cannot be reached: the components then create their own, as before."""
    try:
        for step in STEPS:
            step(db)
    except pymongo.errors.PyMongoError as error:
        logger.warning("could not prepare the MongoDB indexes before the crawl: %s", error)
        return False
    return True
