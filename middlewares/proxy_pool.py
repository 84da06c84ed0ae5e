"""Send requests through the configured proxies, rotating and avoiding banned ones.

Proxies are `PROXY_POOL_URLS` (a list, or a space/comma separated string from the
environment variable of the same name), credentials inside the URL. With none
configured the middleware is off. Each request takes the least recently used proxy
that its site has not banned (yuqing_spiders/fetch/proxies.py, shared through Redis); it
goes into `meta["proxy"]`, where Scrapy's HttpProxyMiddleware (750, after this one)
turns the credentials into a Proxy-Authorization header. A ban (ban_detection) keeps
the proxy away from that site for a while; a proxy that cannot be reached is kept
away for `PROXY_POOL_ERROR_BAN` seconds. When every proxy is banned for a site the
request goes direct if `PROXY_POOL_ALLOW_DIRECT`, else it is given up and counted.
Requests that set their own `meta["proxy"]`, or ask for the browser (whose proxy is
per context), are left alone.

Logs and stats show a proxy's id and its URL without credentials; retries and
redirects never carry the Proxy-Authorization header into the shared queue.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Self
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest, NotConfigured

from yuqing_spiders.fetch.proxies import ProxyPool, proxy_urls, site_of, strip_proxy
from yuqing_spiders.fetch.sessions import ops_prefix
from yuqing_spiders.model import meta
from yuqing_spiders.store.connections import redis_from_settings, redis_url

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)


class ProxyPoolMiddleware:
    def __init__(
        self,
        crawler: Crawler,
        pool: ProxyPool,
        *,
        allow_direct: bool,
        error_ban: float,
    ) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.pool = pool
        self.allow_direct = allow_direct
        self.error_ban = error_ban
        self._said: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        urls = proxy_urls(settings.get("PROXY_POOL_URLS"))
        if not urls:
            raise NotConfigured("no PROXY_POOL_URLS")
        if not redis_url(settings):
            raise NotConfigured("the proxy pool needs REDIS_URL")
        pool = ProxyPool(redis_from_settings(settings), urls, ops_prefix(settings, "proxies"))
        logger.info("proxy pool: %s", ", ".join(p.label for p in pool.proxies.values()))
        return cls(
            crawler,
            pool,
            allow_direct=settings.getbool("PROXY_POOL_ALLOW_DIRECT"),
            error_ban=settings.getfloat("PROXY_POOL_ERROR_BAN"),
        )

    def process_request(self, request: Request) -> None:
        if request.meta.get("playwright") or request.meta.get(meta.PROXY_POOL) is False:
            return
        if "proxy" in request.meta and not request.meta.get(meta.PROXY_POOL_ID):
            return  # the request chose its own proxy (or None: direct)
        site = site_of(urlsplit(request.url).hostname or "")
        current = request.meta.get(meta.PROXY_POOL_ID)
        if current and not self.pool.is_banned(current, site):
            self._set(request, current)  # a plain retry keeps its proxy
            return
        proxy = self.pool.acquire(site)
        if proxy is None:
            self._exhausted(request, site)
            return
        self._set(request, proxy.id)
        self.stats.inc_value("proxy_pool/assigned")

    def _set(self, request: Request, pid: str) -> None:
        request.meta["proxy"] = self.pool.proxies[pid].url
        request.meta[meta.PROXY_POOL_ID] = pid

    def _exhausted(self, request: Request, site: str) -> None:
        self.stats.inc_value("proxy_pool/exhausted")
        if site not in self._said:
            self._said.add(site)
            logger.warning("proxy pool: every proxy is banned by %s", site)
        if self.allow_direct:
            strip_proxy(request, forget=True)
            request.meta["proxy"] = None  # direct, also past environment proxies
            self.stats.inc_value("proxy_pool/direct")
            return
        raise IgnoreRequest(f"every proxy is banned by {site}")

    def process_response(self, request: Request, response: Response) -> Response:
        strip_proxy(request)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        pid = request.meta.get(meta.PROXY_POOL_ID)
        strip_proxy(request)
        if pid and pid in self.pool.proxies:
            # Unreachable or refusing: keep it away from this site; the retry middleware
            # retries the request, which then takes another proxy.
            site = site_of(urlsplit(request.url).hostname or "")
            self.pool.record_error(pid)
            self.pool.ban(pid, site, type(exception).__name__, self.error_ban)
            self.stats.inc_value(f"proxy_pool/errors/{type(exception).__name__}")
            logger.info("proxy %s failed for %s: %s", pid, site, type(exception).__name__)
