"""Where a crawl may fetch from: public addresses, and redirects that stay on site.

A page, a redirect or a meta refresh can point anywhere: at the office's own network
(10.0.0.0/8, the cloud metadata service at 169.254.169.254, a router's admin page on
192.168.x.x) or at the machine itself. The crawl fetches only public addresses;
loopback (127.0.0.1) only where the replay site serves the fixtures — replay mode
(`YUQING_REPLAY_URL`) and the tests (`YUQING_FETCH_ALLOW_LOOPBACK`). A redirect that
leaves the site it started on is followed only to a host the spider allows
(`allowed_domains`) or for a request that expects it (a search engine's result link,
meta `REDIRECT_ANY_HOST`). middlewares/safe_fetch.py applies these rules to every
request (redirects and meta refreshes come back through it as new requests);
`SafeResolver` applies the address rule to what DNS answers, so a public name that
resolves to a private address is refused too.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import urlsplit
from urllib.request import getproxies

from scrapy.resolver import CachingThreadedResolver
from twisted.internet.error import DNSLookupError

from yuqing_spiders.fetch.proxies import proxy_urls

if TYPE_CHECKING:
    from collections.abc import Sequence

    from scrapy.crawler import Crawler
    from twisted.internet.base import ReactorBase
    from twisted.internet.defer import Deferred

ALLOWED_SCHEMES = frozenset({"http", "https"})
# Names that mean this machine without asking DNS.
_LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost")
# Second-level labels under which a country's sites register (sina.com.cn, nc.gov.cn).
_SECOND_LEVEL = frozenset({"com", "net", "org", "gov", "edu", "ac", "mil", "co"})


def loopback_allowed(settings: Any) -> bool:
    """Loopback is fetched only when replaying or told so (tests); never live."""
    return settings.getbool("YUQING_FETCH_ALLOW_LOOPBACK") or bool(
        settings.get("YUQING_REPLAY_URL")
    )


def address_refusal(address: str, *, allow_loopback: bool) -> str | None:
    """Why `address` (an IP literal) may not be fetched, or None when it may."""
    literal = address.strip("[]")
    if ":" not in literal and literal.strip("0123456789."):
        # Neither IPv6 (a colon) nor IPv4 (digits and dots only): a name, as ip_address
        # would say, without its two exceptions per request.
        return None  # a name: judged once DNS answers (SafeResolver)
    try:
        ip = ipaddress.ip_address(literal)
    except ValueError:
        return None  # a name: judged once DNS answers (SafeResolver)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if ip.is_loopback:
        return None if allow_loopback else "loopback"
    if ip.is_link_local:
        return "link_local"
    if ip.is_private or ip.is_unspecified or ip.is_reserved or ip.is_multicast:
        return "private"
    return None if ip.is_global else "private"


def host_refusal(host: str, *, allow_loopback: bool) -> str | None:
    """Why a URL's host may not be fetched before any DNS lookup, or None."""
    name = host.lower().rstrip(".")
    if name in _LOCAL_NAMES or name.endswith(".localhost"):
        return None if allow_loopback else "loopback"
    return address_refusal(name, allow_loopback=allow_loopback)


def site_of(host: str) -> str:
    """The registered site of `host`: news.sina.com.cn -> sina.com.cn, www.163.com -> 163.com."""
    labels = host.lower().rstrip(".").split(".")
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def host_in(host: str, domains: Iterable[str]) -> bool:
    """Whether `host` is one of `domains` or a subdomain of one."""
    host = host.lower().rstrip(".")
    return any(host == d or host.endswith(f".{d}") for d in (x.lower() for x in domains))


def trusted_hosts(settings: Any) -> frozenset[str]:
    """Proxy hosts (PROXY_POOL_URLS, the http(s)_proxy environment Scrapy also reads)
    and YUQING_FETCH_PRIVATE_HOSTS: resolved without the address check."""
    urls = [*proxy_urls(settings.get("PROXY_POOL_URLS")), *getproxies().values()]
    hosts = {urlsplit(u if "://" in u else f"http://{u}").hostname for u in urls if u}
    hosts |= {str(h) for h in settings.getlist("YUQING_FETCH_PRIVATE_HOSTS")}
    return frozenset(h.lower() for h in hosts if h)


class SafeResolver(CachingThreadedResolver):
    """Scrapy's resolver (DNS_RESOLVER) that refuses names resolving to addresses the
    crawl may not fetch (see the module doc); counted `safe_fetch/refused/dns_<why>`."""

    allow_loopback: bool = False
    crawler: Crawler | None = None
    # Hosts the crawl reaches on purpose though they may be private: the proxies it
    # sends requests through (a proxy on the office network is normal), and any
    # listed in YUQING_FETCH_PRIVATE_HOSTS.
    trusted: frozenset[str] = frozenset()

    @classmethod
    def from_crawler(cls, crawler: Crawler, reactor: ReactorBase) -> Self:
        resolver = super().from_crawler(crawler, reactor)
        resolver.allow_loopback = loopback_allowed(crawler.settings)
        resolver.crawler = crawler
        resolver.trusted = trusted_hosts(crawler.settings)
        return resolver

    def getHostByName(self, name: str, timeout: Sequence[int] = ()) -> Deferred[str]:
        found = super().getHostByName(name, timeout)
        if name.lower() in self.trusted:
            return found
        return found.addCallback(self._checked, name)

    def _checked(self, address: str, name: str) -> str:
        why = address_refusal(address, allow_loopback=self.allow_loopback)
        if why is None:
            return address
        if self.crawler is not None and self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"safe_fetch/refused/dns_{why}")
        raise DNSLookupError(f"{name} resolves to a {why} address; not fetched")
