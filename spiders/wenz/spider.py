"""问政江西: message pages walked by increasing id from the last one seen.

No list of messages is known, but ids only grow. Per tick, after
the home page: try `last id + 1` in the month of the last message, then in the next
month (ids cross month folders); a page found is stored and becomes the last id
(`WENZ_LAST_ID_KEY` / `WENZ_LAST_MONTH_KEY`, Redis hashes keyed by source, only ever
raised); a 404 or a "no such message" page in both months is a miss. The walk ends
after `max_misses` misses in a row or `max_ids` ids per tick; a failed request (not
a miss) ends it too, so no id is skipped for a network error.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Self

import redis
import scrapy

from spiders._base.guarded import GuardedSpider
from spiders._base.spider import failed_request, text_response
from spiders.wenz import parse as wenz
from yuqing_spiders.model.meta import SOURCE
from yuqing_spiders.store.connections import redis_if_configured

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from twisted.python.failure import Failure

    from yuqing_spiders.model.items import OpinionItem
    from yuqing_spiders.model.sources import SourceConfig

logger = logging.getLogger(__name__)

# Raise (id, month) only when the id is higher: two walks can never move it back.
_RAISE = """
local current = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if tonumber(ARGV[2]) > current then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
  redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
  return 1
end
return 0
"""


class WalkState:
    """The last id and month seen per source: Redis when there is one, else memory."""

    def __init__(self, client: redis.Redis | None, id_key: str, month_key: str) -> None:
        self.client = client
        self.id_key, self.month_key = id_key, month_key
        self._memory: dict[str, tuple[int, str]] = {}

    def load(self, source: str) -> tuple[int, str] | None:
        if self.client is None:
            return self._memory.get(source)
        last, month = (
            self.client.hget(self.id_key, source),
            self.client.hget(self.month_key, source),
        )
        if not (last and month):
            return None
        return int(last), month.decode() if isinstance(month, bytes) else month

    def raise_to(self, source: str, last: int, month: str) -> bool:
        if self.client is None:
            if last <= self._memory.get(source, (0, ""))[0]:
                return False
            self._memory[source] = (last, month)
            return True
        return bool(self.client.eval(_RAISE, 2, self.id_key, self.month_key, source, last, month))


class WenzSpider(GuardedSpider):
    name = "wenz"
    option_keys = frozenset({"keywords", "max_ids", "max_misses", "start_id", "start_month"})
    allowed_domains = ["wenz.jxnews.com.cn"]

    state: WalkState

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        client = redis_if_configured(settings)
        if client is None:
            logger.warning("wenz: REDIS_URL unset, the last id seen is kept for this run only")
        spider.state = WalkState(
            client, settings["WENZ_LAST_ID_KEY"], settings["WENZ_LAST_MONTH_KEY"]
        )
        return spider

    def parse(self, response: Response, **_: Any) -> Iterator[scrapy.Request]:
        """The home page (the site answers), then the walk from the last id seen."""
        source = self.source_of(response)
        try:
            saved = self.state.load(source.key)
        except redis.RedisError as exc:
            logger.error("%s: cannot read the last id (%s); no walk this tick", source.key, exc)
            self.count(source, "walk_state_unavailable")
            return
        last, month = saved or (int(source.options["start_id"]), str(source.options["start_month"]))
        self.count(source, "walks")
        yield self._probe(
            source, {"id": last + 1, "month": month, "step": 0, "misses": 0, "walked": 0}
        )

    def _probe(self, source: SourceConfig, walk: dict[str, Any]) -> scrapy.Request:
        month = walk["month"] if walk["step"] == 0 else wenz.next_month(walk["month"])
        return scrapy.Request(
            wenz.view_url(walk["id"], month),
            callback=self.parse_view,
            errback=self.probe_failed,
            dont_filter=True,  # a miss today may be a message tomorrow
            meta={SOURCE: source.key, "walk": walk, "handle_httpstatus_list": [404]},
        )

    def parse_view(self, response: Response) -> Iterator[OpinionItem | scrapy.Request]:
        source, walk = self.source_of(response), response.meta["walk"]
        if response.status == 404 and walk["step"] == 0:
            yield self._probe(source, {**walk, "step": 1})  # perhaps in the next month's folder
            return
        if not wenz.is_message(response):
            yield from self._miss(source, walk, "gone" if response.status == 200 else "not_found")
            return
        response = text_response(response)  # a message page is text (is_message)
        month = wenz.next_month(walk["month"]) if walk["step"] else walk["month"]
        self._remember(source, walk["id"], month)
        self.count(source, "messages")
        yield wenz.parse_view(response, source.key)
        walked = walk["walked"] + 1
        if walked >= int(source.options.get("max_ids", 50)):
            self.count(source, "walk_end/max_ids")
            return
        yield self._probe(
            source, {"id": walk["id"] + 1, "month": month, "step": 0, "misses": 0, "walked": walked}
        )

    def _miss(
        self, source: SourceConfig, walk: dict[str, Any], why: str
    ) -> Iterator[scrapy.Request]:
        self.count(source, f"misses/{why}")
        misses = walk["misses"] + 1
        if misses >= int(source.options.get("max_misses", 5)):
            self.count(source, "walk_end/misses")
            logger.info(
                "%s: walk ends at id %d after %d misses in a row", source.key, walk["id"], misses
            )
            return
        yield self._probe(source, {**walk, "id": walk["id"] + 1, "step": 0, "misses": misses})

    def probe_failed(self, failure: Failure) -> None:
        """A request that failed (not a miss): the walk stops here, resumed next tick."""
        self.on_error(failure)
        source = self.sources.get(failed_request(failure).meta[SOURCE], self.source)
        self.count(source, "walk_end/failure")

    def _remember(self, source: SourceConfig, last: int, month: str) -> None:
        try:
            self.state.raise_to(source.key, last, month)
        except redis.RedisError as exc:
            self.count(source, "walk_state_unsaved")
            self.say_once(source, "state", "%s: last id %d not saved: %s", source.key, last, exc)
