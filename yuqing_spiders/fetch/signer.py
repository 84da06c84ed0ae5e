"""Request signatures made by a site's own JavaScript, in one warm chromium page per platform.

Douyin (a_bogus), Xiaohongshu (X-s / X-t) and Zhihu (x-zse-96) sign their API calls
with obfuscated scripts that change every few months. Rather than port them, the
crawler loads a page of the site (which loads the signing script) in Debian's chromium
through Playwright and calls the script there, the way public crawlers do it reliably:

- one page per platform, opened on the first signature it needs and kept warm, so a
  signature costs one `page.evaluate`, not a page load;
- a page whose call fails (script gone, page crashed, timeout) is closed and opened
  again once; a second failure raises `SignerError` (the request is not sent unsigned);
- the browser starts only when a signature is needed and closes after
  `BROWSER_IDLE_CLOSE` seconds without one (it costs a few hundred MB);
- while replaying (`YUQING_REPLAY_URL`), every request the page makes is answered by
  the replay site, and `signing_clock` is the fixed `SIGNING_REPLAY_TIME`, so signed
  queries come out as they were recorded.

What to call in the page (a JS function of one JSON argument) is the platform's
setting, so a changed site needs a settings edit, not a code change. Signatures and
cookies are never logged: stats count `signer/<platform>/signed|failed|restarted`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Self

from yuqing_spiders.replay.handler import parse_replay_url

if TYPE_CHECKING:
    from playwright.async_api import Browser, BrowserContext, Page, Playwright, Route
    from playwright.async_api import Request as PageRequest
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


class SignerError(Exception):
    """No signature could be made (message safe to log: it never holds one)."""


def signing_clock(settings: Any) -> float:
    """Now, in epoch seconds, for signatures and search windows; the fixed recording
    time while replaying, so the signed URLs match the fixtures' names."""
    if settings.get("YUQING_REPLAY_URL"):
        return float(settings.getfloat("SIGNING_REPLAY_TIME"))
    return time.time()


@dataclass(frozen=True)
class SigningPage:
    """Where a platform's signing script runs and how to call it."""

    platform: str
    url: str  # a page of the site that loads the signing script
    ready: str  # a JS expression that is truthy once the script has set itself up
    call: str  # a JS function of one argument returning the signature(s), e.g.
    # "(a) => window.byted_acrawler.sign(a)"
    init: str = ""  # a script run before the page's own (to catch a signer it hides)


class PageSigner:
    """The warm signing pages of one crawler (one per platform), started on demand."""

    def __init__(
        self,
        *,
        launch_options: dict[str, Any],
        context_options: dict[str, Any] | None = None,
        replay_url: str | None = None,
        idle_close: float = 120.0,
        timeout: float = 15.0,
        stats: Callable[[], StatsCollector | None] | None = None,
    ) -> None:
        self.launch_options = dict(launch_options)
        self.context_options = dict(context_options or {})
        self.replay_base = parse_replay_url(replay_url) if replay_url else None
        if self.replay_base:
            # Everything is answered by the route; a host chromium would still resolve
            # itself (a prefetch) must fail, never go out.
            args = list(self.launch_options.get("args") or [])
            args.append("--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1")
            self.launch_options["args"] = args
        self.idle_close = idle_close
        self.timeout = timeout
        self.stats = stats
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None
        self._context: BrowserContext | None = None
        self._pages: dict[str, Page] = {}
        self._lock = asyncio.Lock()
        self._busy = 0
        self._last_used = 0.0
        self._idle_timer: asyncio.TimerHandle | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        contexts = settings.getdict("PLAYWRIGHT_CONTEXTS")
        return cls(
            launch_options=settings.getdict("PLAYWRIGHT_LAUNCH_OPTIONS"),
            context_options=contexts.get("default") or {},
            replay_url=settings.get("YUQING_REPLAY_URL"),
            idle_close=settings.getfloat("BROWSER_IDLE_CLOSE"),
            timeout=settings.getfloat("SIGNING_TIMEOUT"),
            # The crawler's stats exist once the crawl starts, after spiders are built.
            stats=lambda: crawler.stats,
        )

    @property
    def running(self) -> bool:
        return self._browser is not None

    def open_pages(self) -> list[str]:
        return sorted(self._pages)

    # --- signing --------------------------------------------------------------------------
    async def sign(self, target: SigningPage, argument: Any) -> Any:
        """`target.call(argument)` in the platform's warm page; one restart on failure."""
        self._busy += 1
        try:
            for attempt in (1, 2):
                try:
                    page = await self._page(target)
                    result = await asyncio.wait_for(
                        page.evaluate(target.call, argument), self.timeout
                    )
                except Exception as exc:  # noqa: BLE001 - any page failure means: reopen
                    self._inc(f"signer/{target.platform}/failed")
                    logger.warning(
                        "signer %s: attempt %d failed (%s)",
                        target.platform,
                        attempt,
                        type(exc).__name__,
                    )
                    await self._drop_page(target.platform)
                    if attempt == 2:
                        raise SignerError(f"{target.platform}: no signature") from None
                    self._inc(f"signer/{target.platform}/restarted")
                    continue
                if not result:
                    await self._drop_page(target.platform)
                    raise SignerError(f"{target.platform}: the signing script returned nothing")
                self._inc(f"signer/{target.platform}/signed")
                return result
        finally:
            self._busy -= 1
            self._last_used = time.monotonic()
            self._arm_idle_timer()
        raise SignerError(f"{target.platform}: no signature")  # not reached

    async def _page(self, target: SigningPage) -> Page:
        async with self._lock:
            page = self._pages.get(target.platform)
            if page is not None and not page.is_closed():
                return page
            context = await self._ensure_context()
            page = await context.new_page()
            try:
                if target.init:
                    await page.add_init_script(target.init)
                await page.goto(target.url, timeout=self.timeout * 1000)
                await page.wait_for_function(target.ready, timeout=self.timeout * 1000)
            except Exception:
                await page.close()
                raise
            self._pages[target.platform] = page
            self._inc(f"signer/{target.platform}/pages_opened")
            return page

    async def _ensure_context(self) -> BrowserContext:
        if self._context is not None and self._browser is not None and self._browser.is_connected():
            return self._context
        await self._shutdown()
        from playwright.async_api import async_playwright

        self._playwright = await async_playwright().start()
        self._browser = await self._playwright.chromium.launch(**self.launch_options)
        self._context = await self._browser.new_context(**self.context_options)
        if self.replay_base:
            await self._context.route("**/*", self._answer_from_replay)
        self._inc("signer/browser_launched")
        logger.info("signer: chromium started")
        return self._context

    async def _drop_page(self, platform: str) -> None:
        async with self._lock:
            page = self._pages.pop(platform, None)
            if page is not None and not page.is_closed():
                # A crashed page may not close cleanly; it is dropped either way.
                with contextlib.suppress(Exception):
                    await page.close()

    # --- idle close -----------------------------------------------------------------------
    def _arm_idle_timer(self) -> None:
        if self.idle_close <= 0:
            return
        if self._idle_timer is not None:
            self._idle_timer.cancel()
        self._idle_timer = asyncio.get_running_loop().call_later(self.idle_close, self._idle)

    def _idle(self) -> None:
        self._idle_timer = None
        if self._busy == 0 and time.monotonic() - self._last_used >= self.idle_close:
            asyncio.ensure_future(self.close_idle())

    async def close_idle(self) -> bool:
        """Close the browser if no signature is being made; True when it was closed."""
        if self._busy or not self.running:
            return False
        async with self._lock:
            await self._shutdown()
        self._inc("signer/idle_closed")
        logger.info("signer: chromium closed after %.0fs idle", self.idle_close)
        return True

    async def close(self) -> None:
        if self._idle_timer is not None:
            self._idle_timer.cancel()
            self._idle_timer = None
        async with self._lock:
            await self._shutdown()

    async def _shutdown(self) -> None:
        self._pages.clear()
        browser, playwright = self._browser, self._playwright
        self._context = self._browser = self._playwright = None
        if browser is not None:
            with contextlib.suppress(Exception):  # a crashed browser is gone anyway
                await browser.close()
        if playwright is not None:
            await playwright.stop()

    # --- replay ---------------------------------------------------------------------------
    async def _answer_from_replay(self, route: Route, request: PageRequest) -> None:
        from yuqing_spiders.fetch.browser import fetch_from_replay

        assert self.replay_base is not None  # routed only while replaying
        status, headers, body = await asyncio.to_thread(
            fetch_from_replay,
            self.replay_base,
            request.method,
            request.url,
            await request.all_headers(),
            request.post_data_buffer,
        )
        await route.fulfill(status=status, headers=headers, body=body)

    def _inc(self, key: str) -> None:
        stats = self.stats() if self.stats is not None else None
        if stats is not None:
            stats.inc_value(key)
