"""Recognise bans by platform rules; cool the session and proxy down; retry elsewhere.

Rules are the `BAN_DETECTION_RULES` setting (yuqing_spiders/fetch/bans.py says what they
hold): HTTP 432 or 418 from Weibo, a captcha page, a redirect to a login page. On a
ban or captcha the request's cookie session cools down for `BAN_DETECTION_COOLDOWN`
seconds (or the rule's own) and its proxy is banned for that site, on every worker;
on a login wall a login session is recorded as expired (the crawl-health alert reads
`yuqing:cookies:<platform>:expired`) and a visitor session is dropped. The request
is then retried with another session and proxy, after `BAN_DETECTION_RETRY_DELAY`
seconds (the retry-backoff middleware waits for `yuqing_not_before`), at most
`BAN_DETECTION_MAX_RETRIES` times; then it is given up, logged and counted.

Stats: `ban/<platform>/<verdict>`, `ban/<platform>/retried`, `ban/<platform>/gave_up`,
`cookie_pool/<platform>/banned|expired|dropped`, `proxy_pool/banned`.
"""

from __future__ import annotations

import logging
import time
from functools import lru_cache
from typing import TYPE_CHECKING, Self
from urllib.parse import urlsplit

from scrapy.exceptions import IgnoreRequest, NotConfigured

from yuqing_spiders.fetch.bans import BAN, LOGIN, BanRule, rule_for, rules_from_settings, verdict
from yuqing_spiders.fetch.proxies import ProxyPool, site_of
from yuqing_spiders.fetch.sessions import LOGIN as LOGIN_SESSION
from yuqing_spiders.fetch.sessions import CookiePool, ops_prefix, strip_session
from yuqing_spiders.model import meta
from yuqing_spiders.store.connections import redis_if_configured

if TYPE_CHECKING:
    import redis
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

# (host, platform) pairs whose ban rule is remembered (least recently used go first).
_RULE_CACHE_SIZE = 4096


class BanDetectionMiddleware:
    def __init__(
        self,
        crawler: Crawler,
        client: redis.Redis | None,
        rules: list[BanRule],
        *,
        cooldown: float,
        max_retries: int,
        retry_delay: float,
        prefix: str = "yuqing",
    ) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.client = client
        self.rules = rules
        self.cooldown = cooldown
        self.max_retries = max_retries
        self.retry_delay = retry_delay
        self.cookie_prefix = f"{prefix}:cookies"
        self.proxies = ProxyPool(client, [], f"{prefix}:proxies") if client is not None else None
        self._expired_said: set[str] = set()
        # The rule of each (host, named platform) seen: the rules are fixed, and a crawl
        # asks about a few hosts for every response (issue 13).
        self._rule = lru_cache(maxsize=_RULE_CACHE_SIZE)(self._rule_uncached)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("BAN_DETECTION_ENABLED"):
            raise NotConfigured("BAN_DETECTION_ENABLED is off")
        return cls(
            crawler,
            redis_if_configured(settings),
            rules_from_settings(settings.getdict("BAN_DETECTION_RULES")),
            cooldown=settings.getfloat("BAN_DETECTION_COOLDOWN"),
            max_retries=settings.getint("BAN_DETECTION_MAX_RETRIES"),
            retry_delay=settings.getfloat("BAN_DETECTION_RETRY_DELAY"),
            prefix=ops_prefix(settings, "").rstrip(":"),
        )

    def process_response(self, request: Request, response: Response) -> Request | Response:
        if request.meta.get(meta.COOKIE_POOL_SKIP) or request.meta.get(meta.BAN_DETECTION) is False:
            return response
        host = urlsplit(request.url).hostname or ""
        platform = request.meta.get(meta.SESSION_PLATFORM)
        # Only a name (or none) is remembered: any other meta value is looked up as before.
        cached = platform is None or isinstance(platform, str)
        rule = self._rule(host, platform) if cached else rule_for(self.rules, host, platform)
        found = verdict(rule, response) if rule else None
        if rule is None or found is None:
            return response
        self.stats.inc_value(f"ban/{rule.platform}/{found}")
        self._punish(request, rule, found, host)
        return self._retry(request, rule, found, response.status)

    def _rule_uncached(self, host: str, platform: str | None) -> BanRule | None:
        """`rule_for` the host and named platform (`_rule` remembers it per pair)."""
        return rule_for(self.rules, host, platform)

    # --- consequences ------------------------------------------------------------------
    def _punish(self, request: Request, rule: BanRule, found: str, host: str) -> None:
        sid, platform = (
            request.meta.get(meta.COOKIE_POOL_ID),
            request.meta.get(meta.COOKIE_POOL_PLATFORM),
        )
        if self.client is not None and sid and platform:
            pool = CookiePool(self.client, platform, self.cookie_prefix)
            self._punish_session(pool, sid, found, rule)
        pid = request.meta.get(meta.PROXY_POOL_ID)
        if self.proxies is not None and pid and found != LOGIN:
            self.proxies.ban(pid, site_of(host), found, rule.cooldown or self.cooldown)
            self.stats.inc_value("proxy_pool/banned")
            logger.info("proxy %s banned by %s (%s)", pid, site_of(host), found)

    def _punish_session(self, pool: CookiePool, sid: str, found: str, rule: BanRule) -> None:
        platform = pool.platform
        kind = pool.kind_of(sid)
        if found != LOGIN:
            pool.cool_down(sid, found, rule.cooldown or self.cooldown)
            self.stats.inc_value(f"cookie_pool/{platform}/banned")
            logger.info("cookie session %s of %s cooling down (%s)", sid, platform, found)
        elif kind == LOGIN_SESSION:
            if pool.expire(sid, "login wall"):
                self.stats.inc_value(f"cookie_pool/{platform}/expired")
                logger.warning(
                    "cookie session %s of %s has expired (the site asks to log in); "
                    "log in again and replace that cookie",
                    sid,
                    platform,
                )
        else:
            pool.drop(sid)
            self.stats.inc_value(f"cookie_pool/{platform}/dropped")

    def _retry(self, request: Request, rule: BanRule, found: str, status: int) -> Request:
        done = int(request.meta.get(meta.BAN_RETRIES, 0))
        if done >= self.max_retries or request.meta.get(meta.COOKIE_POOL_FORCE):
            self.stats.inc_value(f"ban/{rule.platform}/gave_up")
            logger.error(
                "%s: gave up on %s after %d retries (%s, HTTP %d)",
                rule.platform,
                request.url,
                done,
                found,
                status,
            )
            raise IgnoreRequest(f"{rule.platform} {found}")
        retry = request.copy()
        strip_session(retry)
        retry.meta[meta.BAN_RETRIES] = done + 1
        if self.retry_delay > 0:
            retry.meta[meta.NOT_BEFORE] = time.time() + self.retry_delay * (done + 1)
        retry.dont_filter = True
        self.stats.inc_value(f"ban/{rule.platform}/retried")
        if found == BAN:
            logger.debug(
                "%s: %s banned (HTTP %d), retry %d", rule.platform, request.url, status, done + 1
            )
        return retry
