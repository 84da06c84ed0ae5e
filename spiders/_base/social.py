"""What the video and Q&A platform spiders share (Bilibili, Douyin, Xiaohongshu, ...).

Each of them searches the watch-list's terms newest first, pages until the search
window (`<P>_LOOKBACK_HOURS` back from now) is covered, reads the posts' comments and
replies to a configured depth, and looks every author's profile up at most once per
`<P>_PROFILE_TTL` across all workers (Redis). `<P>` is the spider's `settings_prefix`;
each platform's settings.py holds its values. Navigation stays in each spider, pure
parsing in its parse.py; this module only holds the book-keeping they have in common.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import TYPE_CHECKING, Any, Self, TypeVar

import scrapy
from scrapy import signals

from spiders._base.guarded import GuardedSpider
from spiders._base.spider import text_response
from yuqing_spiders.extract.kit.errors import PayloadError, api_code
from yuqing_spiders.fetch.sessions import ops_prefix
from yuqing_spiders.fetch.signer import PageSigner, SignerError, SigningPage, signing_clock
from yuqing_spiders.model import meta
from yuqing_spiders.store.connections import redis_if_configured

if TYPE_CHECKING:
    import redis
    from scrapy.crawler import Crawler
    from scrapy.http import Response

    from yuqing_spiders.model.items import OpinionItem
    from yuqing_spiders.model.sources import SourceConfig
    from yuqing_spiders.queue.seeds import Seed

# Where a refresh's item id travels from the start page to the signed detail request.
REFRESH_TARGET = "refresh_target"
_T = TypeVar("_T")

logger = logging.getLogger(__name__)


class ProfileCache:
    """Author profiles (a JSON object each) under `<prefix>:<user id>`, with a TTL.

    Without Redis (a bare `scrapy crawl`) the cache lives in this process only."""

    def __init__(self, client: redis.Redis | None, ttl: float, prefix: str) -> None:
        self.client = client
        self.ttl = max(1, int(ttl))
        self.prefix = prefix
        self._local: dict[str, tuple[float, dict[str, Any]]] = {}

    def get(self, uid: str) -> dict[str, Any] | None:
        if self.client is None:
            found = self._local.get(uid)
            return found[1] if found and found[0] > time.monotonic() else None
        raw = self.client.get(f"{self.prefix}:{uid}")
        return json.loads(raw) if raw else None

    def put(self, uid: str, profile: dict[str, Any]) -> None:
        if self.client is None:
            self._local[uid] = (time.monotonic() + self.ttl, profile)
            return
        data = json.dumps(profile, ensure_ascii=False)
        self.client.set(f"{self.prefix}:{uid}", data, ex=self.ttl)


def apply_profile(item: OpinionItem, profile: dict[str, Any]) -> None:
    """Fill the author fields the post did not show from a cached or fetched profile
    (keys: name, followers, verified, verified_type, ip_location, location)."""
    author = item.author
    for key in ("followers", "verified", "verified_type", "ip_location", "location", "name"):
        if getattr(author, key) is None and profile.get(key) is not None:
            setattr(author, key, profile[key])
    if profile.get("verify_label"):
        item.extra.setdefault("verify_label", profile["verify_label"])


class SocialSpider(GuardedSpider):
    """A GuardedSpider with a search window, comment depth and an author cache."""

    settings_prefix = ""  # BILIBILI, DOUYIN, ...: the names of the platform's settings

    profiles: ProfileCache
    lookback: float  # seconds; 0: no window (page up to max_list_pages)
    comment_pages: int
    reply_depth: int
    reply_pages: int

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        prefix = spider.settings_prefix
        spider.profiles = ProfileCache(
            redis_if_configured(settings),
            settings.getfloat(f"{prefix}_PROFILE_TTL", 24 * 3600),
            ops_prefix(settings, f"{spider.name}:user"),
        )
        spider.lookback = settings.getfloat(f"{prefix}_LOOKBACK_HOURS", 48) * 3600
        spider.comment_pages = settings.getint(f"{prefix}_COMMENT_PAGES", 1)
        spider.reply_depth = settings.getint(f"{prefix}_REPLY_DEPTH", 1)
        spider.reply_pages = settings.getint(f"{prefix}_REPLY_PAGES", 1)
        return spider

    @staticmethod
    def block_reason(error: PayloadError) -> str | None:
        """The block an unreadable answer stands for (the platform's parse module says)."""
        return None

    def refused(
        self, response: Response, source: SourceConfig, error: PayloadError, what: str
    ) -> None:
        """A block pauses the source; other API errors (comments closed, not logged in)
        and unreadable answers are counted."""
        reason = self.block_reason(error)
        if reason is not None:
            self.blocked(response, source, reason)
        elif error.reason == "api_error":
            self.api_error(response, source, f"{what}_{api_code(error)}")
        else:
            self.count(source, f"bad_answer/{what}/{error.reason}")

    # --- time -------------------------------------------------------------------------
    def read(
        self,
        response: Response,
        source: SourceConfig,
        what: str,
        parse: Callable[..., _T],
        *args: Any,
        **kwargs: Any,
    ) -> _T | None:
        """`parse(response as text, *args, **kwargs)`, or None when the answer is
        refused: a block pauses the source, anything else is counted (`refused`)."""
        try:
            return parse(text_response(response), *args, **kwargs)
        except PayloadError as error:
            self.refused(response, source, error, what)
            return None

    def now(self) -> float:
        """Epoch seconds: the signing clock (fixed while replaying recorded answers)."""
        return signing_clock(self.crawler.settings)

    def window_covered(self, oldest: float | None) -> bool:
        """Whether a newest-first result page reached back past the search window."""
        if not self.lookback or oldest is None:
            return False
        return oldest < self.now() - self.lookback

    # --- authors ----------------------------------------------------------------------
    def cached_profile(self, source: SourceConfig, uid: str | None) -> dict[str, Any] | None:
        if not uid:
            return None
        found = self.profiles.get(uid)
        self.count(source, "profile/cache_hit" if found is not None else "profile/cache_miss")
        return found

    def keep_profile(self, uid: str | None, profile: dict[str, Any] | None) -> None:
        if uid and profile is not None:
            self.profiles.put(uid, profile)

    # --- refresh of tracked items -----------------------------------------------------
    # A `refresh` seed (yuqing:track, analysis/tracking.py) carries the item's page URL
    # (www.douyin.com/video/<id>), whose HTML the API parsers cannot read. Each platform
    # re-reads the item through its own detail call instead: `refresh_target` takes the
    # id out of the URL; an unsigned call is built at once (`refresh_detail`); a signed
    # one needs an await, so the seed first fetches the platform's start page (the
    # page whose cookies the signature covers) and signs from its callback.
    refresh_start_setting = ""  # the setting naming that start page, e.g. DOUYIN_SIGN_PAGE

    def refresh_target(self, url: str) -> str | None:
        """The item id a refresh re-reads, from the item's stored URL; None: unknown."""
        return None

    def refresh_start_url(self, source: SourceConfig) -> str:
        """The page a signed refresh fetches first (what it gives signs the detail call)."""
        return str(self.crawler.settings[self.refresh_start_setting])

    def refresh_detail(self, source: SourceConfig, target: str, extra: dict[str, Any]) -> Any:
        """An unsigned detail request for `target`, or None when it must be signed."""
        return None

    async def refresh_signed(
        self, source: SourceConfig, target: str, response: Response, extra: dict[str, Any]
    ) -> scrapy.Request | None:
        """The signed detail request for `target`, made after the start page came."""
        return None

    def refresh_request(self, seed: Seed) -> scrapy.Request:
        source = self.sources.get(seed.source) or self.source
        target = self.refresh_target(seed.url)
        if target is None:
            # No detail call for this URL: the page is fetched and counted, never read
            # by a callback that would take it for something else (a start page).
            self.count(source, "refresh/unsupported")
            return scrapy.Request(
                seed.url,
                callback=self.parse_refresh_unsupported,
                errback=self.on_error,
                dont_filter=True,
                meta={meta.SOURCE: source.key, meta.KIND: "refresh", **seed.meta},
            )
        self.crawler.stats.inc_value("yuqing/refresh_requests")
        self.count(source, "refresh/requests")
        extra = {meta.KIND: "refresh", **seed.meta}
        direct = self.refresh_detail(source, target, extra)
        if direct is not None:
            return direct
        return scrapy.Request(
            self.refresh_start_url(source),
            callback=self.parse_refresh_start,
            errback=self.on_error,
            dont_filter=True,
            meta={meta.SOURCE: source.key, REFRESH_TARGET: target, "refresh_meta": extra},
        )

    def parse_refresh_unsupported(self, response: Response) -> Iterator[Any]:
        """A tracked item this platform cannot re-read: nothing to parse."""
        self.count(self.source_of(response), "refresh/unsupported_fetched")
        yield from ()

    async def parse_refresh_start(self, response: Response) -> AsyncIterator[scrapy.Request]:
        """The start page of a signed refresh: the signed detail request, if signed."""
        source = self.source_of(response)
        request = await self.refresh_signed(
            source, response.meta[REFRESH_TARGET], response, response.meta["refresh_meta"]
        )
        if request is not None:
            yield request


class SignedSpider(SocialSpider):
    """A platform whose API calls carry a signature from the site's own script, run in a
    warm chromium page (fetch/signer.py); the page is named by the settings
    `<PREFIX>_SIGN_PAGE`, `_SIGN_READY`, `_SIGN_CALL` and optional `_SIGN_INIT`."""

    signer: PageSigner
    signing_page: SigningPage

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        prefix = spider.settings_prefix
        spider.signer = PageSigner.from_crawler(crawler)
        spider.signing_page = SigningPage(
            platform=spider.name,
            url=settings[f"{prefix}_SIGN_PAGE"],
            ready=settings[f"{prefix}_SIGN_READY"],
            call=settings[f"{prefix}_SIGN_CALL"],
            init=settings.get(f"{prefix}_SIGN_INIT") or "",
        )
        crawler.signals.connect(spider._close_signer, signal=signals.spider_closed)
        return spider

    async def signature(self, source: SourceConfig, argument: dict[str, Any]) -> Any | None:
        """What the signing page answers for `argument`, or None (counted
        `signer/failed`) when it cannot sign."""
        try:
            return await self.signer.sign(self.signing_page, argument)
        except SignerError:
            self.count(source, "signer/failed")
            return None

    async def _close_signer(self) -> None:
        await self.signer.close()
