"""Give each request of a platform a cookie session from the shared pool.

Which requests: those whose host is listed for a platform in `COOKIE_POOL_PLATFORMS`
(or that name one in `meta["session_platform"]`); `meta["cookie_pool"] = False` opts
out. Login sessions come first; hosts in a platform's `login_only` list never get a
visitor session; a platform with a visitor handshake (`visitor: true`, Weibo) gets a
visitor cookie fetched on demand when no session is free — one handshake at a time
per platform across all workers (a Redis lock), the others wait for its result.

The cookie is set as the request's Cookie header with Scrapy's cookie jar bypassed
(`dont_merge_cookies`), so sessions never mix; the header is removed again as soon as
the response (or error) is back, so no retry or redirect carries it into the shared
queue. Logs and stats name sessions by id only. Bans are judged by
`middlewares.ban_detection`, which cools the session down through the same pool.
"""

from __future__ import annotations

import logging
import time
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.utils.misc import load_object

from yuqing_spiders.fetch.bans import host_matches
from yuqing_spiders.fetch.delay import sleep
from yuqing_spiders.fetch.sessions import (
    LOGIN,
    VISITOR,
    CookiePool,
    Handshake,
    Session,
    VisitorError,
    configured_cookies,
    ops_prefix,
    strip_cookie,
)
from yuqing_spiders.model import meta
from yuqing_spiders.store.connections import redis_from_settings, redis_url

if TYPE_CHECKING:
    import redis
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

# Hosts whose platform is remembered (least recently asked about go first).
_HOST_CACHE_SIZE = 4096


class CookiePoolMiddleware:
    def __init__(
        self,
        crawler: Crawler,
        client: redis.Redis,
        platforms: dict[str, dict[str, Any]],
        *,
        cookies_dir: str | None,
        visitor_ttl: float,
        wait: float,
        lock_seconds: float,
        prefix: str = "yuqing:cookies",
    ) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.client = client
        self.platforms = platforms
        self.cookies_dir = cookies_dir
        self.visitor_ttl = visitor_ttl
        self.wait = wait
        self.lock_seconds = lock_seconds
        self.pools = {name: CookiePool(client, name, prefix) for name in platforms}
        self._said: set[str] = set()
        # The platform of each host seen: the platforms are fixed, and every request
        # asks (issue 13).
        self._platform_of_host = lru_cache(maxsize=_HOST_CACHE_SIZE)(self._host_platform)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("COOKIE_POOL_ENABLED"):
            raise NotConfigured("COOKIE_POOL_ENABLED is off")
        if not redis_url(settings):
            # The pool is shared state; without Redis there is nothing to share it in.
            logger.warning("cookie pool off: REDIS_URL is not set (requests go without cookies)")
            raise NotConfigured("the cookie pool needs REDIS_URL")
        middleware = cls(
            crawler,
            redis_from_settings(settings),
            settings.getdict("COOKIE_POOL_PLATFORMS"),
            cookies_dir=settings.get("COOKIE_POOL_DIR") or None,
            visitor_ttl=settings.getfloat("COOKIE_POOL_VISITOR_TTL"),
            wait=settings.getfloat("COOKIE_POOL_WAIT"),
            lock_seconds=settings.getfloat("COOKIE_POOL_HANDSHAKE_LOCK"),
            prefix=ops_prefix(settings, "cookies"),
        )
        crawler.signals.connect(middleware.load_cookies, signal=signals.spider_opened)
        return middleware

    def load_cookies(self) -> None:
        """Put this worker's configured login cookies into the shared pool."""
        for name, pool in self.pools.items():
            found = configured_cookies(name, self.cookies_dir)
            usable = pool.load(found)
            self.stats.set_value(f"cookie_pool/{name}/configured", len(found))
            if found:
                logger.info(
                    "cookie pool %s: %d login cookies configured, %d usable (not expired)",
                    name,
                    len(found),
                    len(usable),
                )

    # --- which platform, which kinds -------------------------------------------------------
    def platform_of(self, request: Request) -> str | None:
        named = request.meta.get(meta.SESSION_PLATFORM)
        if named in self.platforms:
            return named
        return self._platform_of_host(urlsplit(request.url).hostname or "")

    def _host_platform(self, host: str) -> str | None:
        for name, spec in self.platforms.items():
            if host_matches(host, spec.get("hosts", ())):
                return name
        return None

    def _kinds(self, platform: str, host: str) -> tuple[str, ...]:
        spec = self.platforms[platform]
        if host_matches(host, spec.get("login_only", ())):
            return (LOGIN,)
        return (LOGIN, VISITOR) if self._handshake(platform) else (LOGIN,)

    def _handshake(self, platform: str) -> Handshake | None:
        """The platform's visitor handshake: `visitor:` names it by dotted path (it
        lives in the platform's source folder, e.g. spiders.weibo.visitor.weibo_visitor)."""
        path = self.platforms[platform].get("visitor")
        return load_object(path) if isinstance(path, str) and path else None

    # --- Scrapy hooks ----------------------------------------------------------------------
    async def process_request(self, request: Request) -> None:
        if request.meta.get(meta.COOKIE_POOL_SKIP) or request.meta.get(meta.COOKIE_POOL) is False:
            return
        platform = self.platform_of(request)
        if platform is None:
            return
        host = urlsplit(request.url).hostname or ""
        session = await self._session(platform, self._kinds(platform, host), request)
        request.headers[b"Cookie"] = session.cookie
        request.meta.update(
            {
                meta.COOKIE_POOL_ID: session.id,
                meta.COOKIE_POOL_PLATFORM: platform,
                meta.COOKIE_POOL_KIND: session.kind,
            }
        )
        request.meta["dont_merge_cookies"] = True
        self.stats.inc_value(f"cookie_pool/{platform}/assigned/{session.kind}")

    def process_response(self, request: Request, response: Response) -> Response:
        strip_cookie(request)
        sid, platform = (
            request.meta.get(meta.COOKIE_POOL_ID),
            request.meta.get(meta.COOKIE_POOL_PLATFORM),
        )
        if sid and platform in self.pools and 200 <= response.status < 300:
            # Reached here: ban detection found nothing wrong — the passive health check.
            self.pools[platform].mark_ok(sid)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        strip_cookie(request)

    # --- getting a session -----------------------------------------------------------------
    async def _session(self, platform: str, kinds: tuple[str, ...], request: Request) -> Session:
        pool = self.pools[platform]
        forced = request.meta.get(meta.COOKIE_POOL_FORCE) or ""
        session = pool.acquire(kinds, only=forced)
        if session is None and forced:
            self.stats.inc_value(f"cookie_pool/{platform}/forced_unavailable")
            raise IgnoreRequest(f"session {forced} is cooling down or expired")
        if session is None and VISITOR in kinds:
            session = await self._visitor(platform)  # one try per request, not a storm
        deadline = time.monotonic() + self.wait
        while session is None and time.monotonic() < deadline:
            # Every session cools down (or another worker is fetching a visitor cookie):
            # wait for one instead of knocking again.
            await sleep(min(1.0, self.wait))
            session = pool.acquire(kinds)
        if session is None:
            self.stats.inc_value(f"cookie_pool/{platform}/no_session")
            self._say_once(
                f"no-session:{platform}",
                "cookie pool %s: no usable session (all cooling down or expired); "
                "requests are given up and counted until one is free",
                platform,
            )
            raise IgnoreRequest(f"no usable {platform} session")
        return session

    async def _visitor(self, platform: str) -> Session | None:
        """One visitor handshake for the whole cluster; others wait for its cookie."""
        pool = self.pools[platform]
        lock = f"{pool.key}:handshake"
        if not self.client.set(lock, "1", nx=True, ex=max(1, int(self.lock_seconds))):
            self.stats.inc_value(f"cookie_pool/{platform}/handshake_waits")
            return None  # another worker is at it: the caller waits and looks again
        try:
            handshake = self._handshake(platform)
            assert handshake is not None  # VISITOR is among the kinds only with one
            cookie = await handshake(self._download)
        except VisitorError as exc:
            self.stats.inc_value(f"cookie_pool/{platform}/handshake_failed")
            logger.warning("cookie pool %s: visitor handshake failed: %s", platform, exc)
            return None
        except Exception as exc:  # the download itself failed (timeout, refused, ...)
            self.stats.inc_value(f"cookie_pool/{platform}/handshake_failed")
            logger.warning(
                "cookie pool %s: visitor handshake failed: %s", platform, type(exc).__name__
            )
            return None
        finally:
            self.client.delete(lock)
        sid = pool.add(cookie, kind=VISITOR, origin="visitor handshake", ttl=self.visitor_ttl)
        self.stats.inc_value(f"cookie_pool/{platform}/handshakes")
        logger.info("cookie pool %s: new visitor session %s", platform, sid)
        return pool.acquire((VISITOR,), only=sid or "")

    async def _download(self, request: Request) -> Response:
        request.meta[meta.COOKIE_POOL_SKIP] = True
        assert self.crawler.engine is not None
        return await self.crawler.engine.download_async(request)

    def _say_once(self, key: str, message: str, *args: Any) -> None:
        if key not in self._said:
            self._said.add(key)
            logger.warning(message, *args)
