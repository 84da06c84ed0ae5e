"""Outbound proxies with per-site ban tracking, shared by every worker through Redis.

Each worker knows its proxy URLs (settings or environment, credentials inside the
URL); Redis only ever holds their ids, digests of the URL, so credentials stay on the
nodes that were given them. A proxy banned by one site (a 432 from weibo.cn) is kept
away from that site for a while and still used for the others.

Keys:

    yuqing:proxies:ring                 zset id -> last use (epoch s): rotation order
    yuqing:proxies:banned:<site>:<id>   string reason, expires when the ban ends
    yuqing:proxies:stats:<id>           hash uses, bans, errors
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from yuqing_spiders.model import meta

if TYPE_CHECKING:
    import redis
    from scrapy import Request

KEY_PREFIX = "yuqing:proxies"

# Least recently used proxy among this worker's ones that `site` has not banned.
_PICK = """
local prefix, site, now = ARGV[1], ARGV[2], tonumber(ARGV[3])
local best, best_score = nil, nil
for i = 4, #ARGV do
  local id = ARGV[i]
  if redis.call('EXISTS', prefix .. ':banned:' .. site .. ':' .. id) == 0 then
    local score = tonumber(redis.call('ZSCORE', prefix .. ':ring', id) or '0')
    if best == nil or score < best_score then best, best_score = id, score end
  end
end
if best == nil then return false end
redis.call('ZADD', prefix .. ':ring', now, best)
redis.call('HINCRBY', prefix .. ':stats:' .. best, 'uses', 1)
return best
"""


def redact_proxy(url: str) -> str:
    """A proxy URL fit for logs: user and password replaced by `***`."""
    parts = urlsplit(url)
    if not parts.username and not parts.password:
        return url
    host = parts.hostname or ""
    netloc = f"***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def proxy_id(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()[:12]


@dataclass(frozen=True)
class Proxy:
    id: str
    url: str  # with credentials: goes into request.meta["proxy"] only

    @property
    def label(self) -> str:
        return redact_proxy(self.url)

    def __repr__(self) -> str:
        return f"Proxy(id={self.id!r}, {self.label})"


def site_of(host: str) -> str:
    """The site a ban applies to: the last two labels (m.weibo.cn and s.weibo.cn share
    one ban), three for .com.cn / .gov.cn style names."""
    labels = host.lower().split(".")
    if labels[-1].isdigit() or ":" in host:
        return host.lower()  # an IP address is its own site
    keep = 3 if len(labels) > 2 and labels[-2] in ("com", "gov", "org", "net", "edu") else 2
    return ".".join(labels[-keep:])


class ProxyPool:
    def __init__(self, client: redis.Redis, urls: list[str], prefix: str = KEY_PREFIX) -> None:
        self.client = client
        self.prefix = prefix
        self.proxies = {proxy_id(u): Proxy(proxy_id(u), u) for u in urls}
        self._pick = client.register_script(_PICK)

    def __len__(self) -> int:
        return len(self.proxies)

    def acquire(self, site: str) -> Proxy | None:
        """The next proxy for `site`, or None when every one is banned there."""
        if not self.proxies:
            return None
        found = self._pick(args=[self.prefix, site, time.time(), *self.proxies])
        if not found:
            return None
        return self.proxies[found.decode() if isinstance(found, bytes) else found]

    def ban(self, pid: str, site: str, reason: str, seconds: float) -> None:
        pipe = self.client.pipeline()
        pipe.set(f"{self.prefix}:banned:{site}:{pid}", reason, ex=max(1, int(seconds)))
        pipe.hincrby(f"{self.prefix}:stats:{pid}", "bans", 1)
        pipe.execute()

    def is_banned(self, pid: str, site: str) -> bool:
        return bool(self.client.exists(f"{self.prefix}:banned:{site}:{pid}"))

    def ban_ttl(self, pid: str, site: str) -> int:
        return int(self.client.ttl(f"{self.prefix}:banned:{site}:{pid}"))

    def record_error(self, pid: str) -> None:
        self.client.hincrby(f"{self.prefix}:stats:{pid}", "errors", 1)


def proxy_urls(value: Any) -> list[str]:
    """PROXY_POOL_URLS as a list: a list, or a space/comma separated string (as the
    environment variable of the same name gives it)."""
    if isinstance(value, str):
        value = value.replace(",", " ").split()
    return [str(v).strip() for v in value or () if str(v).strip()]


def strip_proxy(request: Request, *, forget: bool = False) -> None:
    """Remove proxy credentials from a request that is done (retries, the shared
    queue); `forget` also drops the proxy choice so the next attempt picks anew."""
    request.headers.pop(b"Proxy-Authorization", None)
    request.meta.pop("_auth_proxy", None)
    if request.meta.get(meta.PROXY_POOL_ID):
        # HttpProxyMiddleware already replaced it by the URL without credentials;
        # a request that never reached it still has them, so it goes either way.
        proxy = request.meta.get("proxy")
        if forget or (proxy and "@" in str(proxy)):
            request.meta.pop("proxy", None)
        if forget:
            request.meta.pop(meta.PROXY_POOL_ID, None)
