"""The project's http(s) download handler: plain HTTP, the browser only when asked.

Requests with ``meta["playwright"] = True`` (list pages that need JavaScript, a JS
challenge) are rendered by scrapy-playwright in Debian's chromium, found by path;
every other request is plain HTTP/1.1. The browser starts on the first request that
needs it, not with every crawl: most sources never do, and a Playwright driver per
crawler would cost a process and a second of start-up each. It closes again after
``BROWSER_IDLE_CLOSE`` seconds without a browser request (a chromium holds a few
hundred MB a worker should not keep for a page an hour), and starts again on demand.

With ``YUQING_REPLAY_URL`` set (tests, the offline demo) both paths are answered by the
replay site: plain requests through ``ReplayDownloadHandler``; browser pages through a
route that fetches every request the page makes (document, scripts, XHR) from the
replay server, so the page keeps its real URL and chromium reaches nothing else.
"""

from __future__ import annotations

import asyncio
import http.client
import logging
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy_playwright.handler import ScrapyPlaywrightDownloadHandler

from yuqing_spiders.replay.handler import ReplayDownloadHandler, parse_replay_url
from yuqing_spiders.replay.protocol import SCHEME_HEADER

if TYPE_CHECKING:
    from playwright.async_api import Page, Route
    from playwright.async_api import Request as PageRequest
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

# Headers the replay hop must not forward: they describe the browser's connection.
_HOP_HEADERS = {"host", "connection", "content-length", "accept-encoding", "transfer-encoding"}


class BrowserDownloadHandler(ScrapyPlaywrightDownloadHandler):
    """scrapy-playwright for requests that ask for it, HTTP (or replay) for the rest."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.crawler = crawler
        replay = crawler.settings.get("YUQING_REPLAY_URL")
        self.replay_base = parse_replay_url(replay) if replay else None
        self.replay = ReplayDownloadHandler(crawler) if replay else None
        if replay:
            # Every page request is answered by the route below; a host chromium would
            # still resolve (a redirect's target, a prefetch) must fail, never go out.
            args = list(self.config.launch_options.get("args") or [])
            args.append("--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1")
            self.config.launch_options = {**self.config.launch_options, "args": args}
        self._launched = False
        self._launch_lock = asyncio.Lock()
        self.idle_close = crawler.settings.getfloat("BROWSER_IDLE_CLOSE")
        self._in_flight = 0
        self._last_used = 0.0
        self._idle_timer: asyncio.TimerHandle | None = None

    async def _maybe_launch_in_thread(self) -> None:
        """Engine start: do not start Playwright yet (see the module docstring)."""

    async def download_request(self, request: Request) -> Response:
        if not request.meta.get("playwright"):
            if self.replay is not None:
                return await self.replay.download_request(request)
            return await HTTP11DownloadHandler.download_request(self, request)
        # Counted before the launch check: an idle close must not slip in between.
        self._in_flight += 1
        try:
            await self._ensure_launched()
            if self.replay_base:
                request.meta["playwright_page_init_callback"] = self._route_to_replay
            self.crawler.stats.inc_value("browser/pages")
            return await super().download_request(request)
        finally:
            self._in_flight -= 1
            self._last_used = time.monotonic()
            self._arm_idle_timer()

    async def _ensure_launched(self) -> None:
        async with self._launch_lock:
            if not self._launched:
                await self._launch()
                self._launched = True
                self.crawler.stats.inc_value("browser/launched")

    # --- idle close: the browser lives only while pages are asked for -------------------
    def _arm_idle_timer(self) -> None:
        if self.idle_close <= 0:
            return
        if self._idle_timer is not None:
            self._idle_timer.cancel()
        loop = asyncio.get_running_loop()
        self._idle_timer = loop.call_later(self.idle_close, self._idle_check)

    def _idle_check(self) -> None:
        self._idle_timer = None
        idle = time.monotonic() - self._last_used
        if self._launched and self._in_flight == 0 and idle >= self.idle_close:
            asyncio.ensure_future(self.close_idle())

    async def close_idle(self) -> bool:
        """Close the browser if no page is being rendered; True when it was closed."""
        async with self._launch_lock:
            if not self._launched or self._in_flight:
                return False
            await self._close()
            # scrapy-playwright relaunches only when these are gone.
            for started in ("browser", "browser_provider"):
                if hasattr(self, started):
                    delattr(self, started)
            self._launched = False
        self.crawler.stats.inc_value("browser/idle_closed")
        logger.info("browser closed after %.0fs without a page", self.idle_close)
        return True

    @property
    def launched(self) -> bool:
        return self._launched

    async def close(self) -> None:
        if self._idle_timer is not None:
            self._idle_timer.cancel()
        if self.replay is not None:
            await self.replay.close()
        await super().close()

    # --- replay routing for browser pages ---------------------------------------------
    async def _route_to_replay(self, page: Page, request: Request) -> None:
        # Registered after scrapy-playwright's own route, so it runs first and answers.
        await page.route("**/*", self._answer_from_replay)

    async def _answer_from_replay(self, route: Route, page_request: PageRequest) -> None:
        assert self.replay_base is not None  # routed to the replay site only when it is set
        headers = await page_request.all_headers()
        status, reply_headers, body = await asyncio.to_thread(
            fetch_from_replay,
            self.replay_base,
            page_request.method,
            page_request.url,
            headers,
            page_request.post_data_buffer,
        )
        self.crawler.stats.inc_value("browser/replay_requests")
        await route.fulfill(status=status, headers=reply_headers, body=body)


def fetch_from_replay(
    base: str, method: str, url: str, headers: dict[str, str], body: bytes | None
) -> tuple[int, dict[str, str], bytes]:
    """One request to the replay server for `url`, answered as the real host would."""
    parts = urlsplit(url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    replay = urlsplit(base)
    forward: dict[str, Any] = {k: v for k, v in headers.items() if k.lower() not in _HOP_HEADERS}
    forward["Host"] = parts.netloc
    forward[SCHEME_HEADER] = parts.scheme
    connection = http.client.HTTPConnection(replay.hostname or "", replay.port, timeout=30)
    try:
        connection.request(method, target, body=body, headers=forward)
        response = connection.getresponse()
        data = response.read()
        reply = {k: v for k, v in response.getheaders() if k.lower() not in _HOP_HEADERS}
        return response.status, reply, data
    finally:
        connection.close()
