"""What the spiders of crawler-hostile platforms share: blocks, back-off, search terms.

WeChat-via-Sogou, Toutiao, Tieba and the 问政 APIs answer a crawler with captcha
pages, JS challenges and error envelopes rather than HTTP errors. Each parser
recognises its platform's blocks (`is_antispider`, `is_challenge`, ...); the spider
calls `blocked()`, which counts the block, logs it once and pauses the source for
`BLOCK_BACKOFF_SECONDS` on every worker (a Redis key with a TTL, `Cooldown`). While a
source is paused no new list or search page is requested (`paused()`), so the site
sees silence rather than a retry storm; pages already on their way finish.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Self

import redis

from spiders._base.spider import YuqingSpider
from yuqing_spiders.fetch.cooldown import Cooldown
from yuqing_spiders.model.meta import SOURCE
from yuqing_spiders.store.connections import redis_if_configured

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response

    from yuqing_spiders.model.sources import SourceConfig

logger = logging.getLogger(__name__)


class GuardedSpider(YuqingSpider):
    """A YuqingSpider that recognises blocks, backs off, and knows its search terms."""

    option_keys: ClassVar[frozenset[str]] = frozenset({"keywords"})
    cooldown: Cooldown
    backoff_seconds: float
    # (source, topic) pairs already logged: further cases are only counted.
    _said: set[tuple[str, str]]

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        client = redis_if_configured(settings)
        spider.cooldown = Cooldown(client, settings["BLOCK_BACKOFF_KEY"])
        spider.backoff_seconds = settings.getfloat("BLOCK_BACKOFF_SECONDS")
        spider._said = set()
        return spider

    # --- which source -----------------------------------------------------------------
    def source_of(self, response: Response) -> SourceConfig:
        """The source a request was made for (config-driven spiders serve several)."""
        return self.sources.get(response.meta.get(SOURCE, ""), self.source)

    def count(self, source: SourceConfig, what: str, value: int = 1) -> None:
        self.crawler.stats.inc_value(f"{source.key}/{what}", value)

    # --- blocks and back-off ----------------------------------------------------------
    def blocked(self, response: Response, source: SourceConfig, reason: str) -> None:
        """A captcha, ban or challenge page: counted, logged once, the source paused."""
        self.crawler.stats.inc_value(f"yuqing/blocked/{source.key}/{reason}")
        try:
            started = self.cooldown.start(source.key, self.backoff_seconds, reason)
        except redis.RedisError as exc:
            started = False
            logger.warning("%s: back-off not recorded in Redis: %s", source.key, exc)
        if started:
            self.crawler.stats.inc_value(f"yuqing/backoff/started/{source.key}")
        self.say_once(
            source,
            reason,
            "%s: %s at %s; %s pauses for %.0fs (further cases only counted)",
            source.key,
            reason,
            response.url,
            source.key,
            self.backoff_seconds,
        )

    def paused(self, source: SourceConfig) -> bool:
        """Whether the source is backing off; a skipped page is counted."""
        try:
            remaining = self.cooldown.remaining(source.key)
        except redis.RedisError:
            remaining = 0.0  # no shared state: carry on, blocks are still counted
        if remaining > 0:
            self.crawler.stats.inc_value(f"yuqing/backoff/skipped/{source.key}")
            return True
        return False

    def api_error(
        self, response: Response, source: SourceConfig, code: str, *, pause: bool = False
    ) -> None:
        """A JSON API that answered with an error (bad signature, not logged in, ...);
        `pause` backs the source off too, for errors that repeat on every call."""
        self.crawler.stats.inc_value(f"yuqing/api_error/{source.key}/{code}")
        if pause:
            self.blocked(response, source, f"api_{code}")
        self.say_once(
            source,
            f"api:{code}",
            "%s: API error %s from %s (further cases only counted)",
            source.key,
            code,
            response.url,
        )

    def say_once(self, source: SourceConfig, topic: str, message: str, *args: Any) -> None:
        if (source.key, topic) in self._said:
            return
        self._said.add((source.key, topic))
        logger.warning(message, *args)

    # --- search terms -----------------------------------------------------------------
    def search_terms(self, source: SourceConfig) -> list[str]:
        """The source's own `keywords:`, else the watch-list's search queries.

        A platform's own terms win: Sogou and Toutiao reward short, platform-specific
        terms, and the offline replay site has pages for exactly those.
        """
        explicit = source.options.get("keywords")
        if explicit:
            return [str(term) for term in explicit]
        path = self.crawler.settings.get("YUQING_WATCHLIST_FILE")
        if not path or not Path(path).is_file():
            return []
        from yuqing_spiders.analysis.watchlist import load_watchlist

        return [rule.query for rule in load_watchlist(path).searches() if rule.query]
