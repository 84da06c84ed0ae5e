"""Refuse requests to private, loopback and link-local addresses and off-site redirects.

The rules are yuqing_spiders/fetch/addresses.py's. This middleware runs first among the
downloader middlewares, so it sees every request — the spiders' and the ones the
redirect and meta-refresh middlewares build — before anything is sent. A refused
request is counted (`safe_fetch/refused/<why>`), logged, and dropped (IgnoreRequest).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Self
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest

from yuqing_spiders.fetch.addresses import (
    ALLOWED_SCHEMES,
    host_in,
    host_refusal,
    loopback_allowed,
    site_of,
)
from yuqing_spiders.model import meta

if TYPE_CHECKING:
    from scrapy import Request, Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class SafeFetchMiddleware:
    def __init__(self, crawler: Crawler, allow_loopback: bool) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.allow_loopback = allow_loopback

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler, loopback_allowed(crawler.settings))

    def process_request(self, request: Request) -> None:
        why = self.refusal(request, self.crawler.spider)
        if why is None:
            return
        self.stats.inc_value("safe_fetch/refused")
        self.stats.inc_value(f"safe_fetch/refused/{why}")
        logger.warning("refused to fetch %s (%s)", request.url, why.replace("_", " "))
        raise IgnoreRequest(f"safe fetch: {why}")

    def refusal(self, request: Request, spider: Spider | None) -> str | None:
        """Why `request` may not be fetched, or None."""
        parts = urlsplit(request.url)
        if parts.scheme not in ALLOWED_SCHEMES:
            return "scheme"
        host = parts.hostname or ""
        if why := host_refusal(host, allow_loopback=self.allow_loopback):
            return why
        chain = request.meta.get("redirect_urls")
        if chain and not request.meta.get(meta.REDIRECT_ANY_HOST):
            start = urlsplit(chain[0]).hostname or ""
            allowed = getattr(spider, "allowed_domains", None) or ()
            if site_of(host) != site_of(start) and not host_in(host, allowed):
                return "offsite_redirect"
        return None
