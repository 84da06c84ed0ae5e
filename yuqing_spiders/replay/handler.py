"""Scrapy download handler that sends every http(s) request to the replay server.

Installed only when replay is on (settings wire it as ``DOWNLOAD_HANDLERS`` for http
and https next to ``YUQING_REPLAY_URL``). The request goes to the replay server with
the real host in ``Host`` and the real scheme in ``X-Replay-Scheme``; the response
comes back with the original URL and request, so middlewares, spiders and pipelines
only ever see real URLs and the replay server is invisible to them.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, NoReturn
from urllib.parse import urldefrag, urlsplit

from scrapy import Request
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.exceptions import NotConfigured
from scrapy.utils.httpobj import urlparse_cached

from yuqing_spiders.replay.protocol import MISS_HEADER, SCHEME_HEADER

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

SETTING = "YUQING_REPLAY_URL"
# Routing meta that would send the replay request somewhere other than the replay
# server: an environment proxy (HttpProxyMiddleware) or a bind address meant for the
# internet-facing interface.
_ROUTING_META = ("proxy", "_auth_proxy", "bindaddress")


class ReplayDownloadHandler(HTTP11DownloadHandler):
    """HTTP/1.1 handler whose every connection goes to the replay server."""

    def __init__(self, crawler: Crawler) -> None:
        self._replay_base = parse_replay_url(crawler.settings.get(SETTING))
        super().__init__(crawler)
        logger.info("replay: all http(s) downloads go to %s", self._replay_base)

    async def download_request(self, request: Request) -> Response:
        replay_request = self.to_replay_request(request)
        stats = self.crawler.stats
        if stats is not None:
            stats.inc_value("replay/requests")
        response = await super().download_request(replay_request)
        if response.headers.get(MISS_HEADER) and stats is not None:
            stats.inc_value("replay/misses")
            logger.warning("replay: no fixture for %s", request.url)
        # The same URL http11 itself would give the response (fragment dropped).
        real_url = urldefrag(request.url)[0]
        return response.replace(url=real_url, request=request)

    def to_replay_request(self, request: Request) -> Request:
        """Return the request as sent to the replay server: same method, body, headers."""
        parts = urlparse_cached(request)
        target = parts.path or "/"
        if parts.params:
            target += ";" + parts.params
        if parts.query:
            target += "?" + parts.query
        headers = request.headers.copy()
        headers.pop(b"Proxy-Authorization", None)
        # Without userinfo; the port stays, the server strips it when looking up.
        headers[b"Host"] = parts.netloc.rpartition("@")[2]
        headers[SCHEME_HEADER.encode()] = parts.scheme
        meta = {k: v for k, v in request.meta.items() if k not in _ROUTING_META}
        # Plain Request: subclasses (FormRequest, JsonRequest) re-encode in __init__, and
        # their replace() passes their own attributes (dumps_kwargs) to any `cls`.
        kwargs = {name: getattr(request, name) for name in Request.attributes}
        kwargs.update(url=self._replay_base + target, headers=headers, meta=meta)
        return Request(**kwargs)


def parse_replay_url(value: object) -> str:
    """Validate ``YUQING_REPLAY_URL`` and return it as ``http://HOST:PORT``.

    Raises NotConfigured when it is unset or not a plain http URL, so the crawler
    never falls back to downloading from the live sites by accident.
    """
    if not value:
        _refuse(
            f"ReplayDownloadHandler needs {SETTING} (e.g. http://127.0.0.1:8123); "
            "start a replay server or remove the handler from DOWNLOAD_HANDLERS"
        )
    parts = urlsplit(str(value).strip())
    try:
        port = parts.port
    except ValueError:
        port = None
    if parts.scheme != "http" or not parts.hostname or port is None:
        _refuse(f"{SETTING} must look like http://127.0.0.1:PORT, got {value!r}")
    if parts.path not in ("", "/") or parts.query:
        _refuse(f"{SETTING} must have no path or query, got {value!r}")
    return f"http://{parts.hostname}:{port}"


def _refuse(message: str) -> NoReturn:
    # Scrapy swallows NotConfigured from a download handler at startup and only
    # reports it on the first request; say it loudly now as well.
    logger.error("replay: %s", message)
    raise NotConfigured(message)
