"""Bilibili's anonymous visitor cookie: `buvid3` / `buvid4` from `x/frontend/finger/spi`.

Since 2022-08 search answers -412 to a client without `buvid3` (platforms.md §3,
BAC); the spi endpoint hands a visitor pair out without login. A handshake takes the
crawler's download function and returns a Cookie header, or raises VisitorError.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from scrapy import Request
from scrapy.http import Response

from spiders.bilibili import parse as bilibili
from yuqing_spiders.extract.kit.errors import PayloadError
from yuqing_spiders.fetch.sessions import VisitorError

Download = Callable[[Request], Awaitable[Response]]


async def bilibili_visitor(download: Download) -> str:
    response = await download(Request(bilibili.SPI_URL, dont_filter=True))
    if response.status != 200:
        raise VisitorError(f"finger/spi answered HTTP {response.status}")
    try:
        return bilibili.visitor_cookie(response.body.decode("utf-8", "replace"))
    except PayloadError as exc:  # the message names the code, never the cookie
        raise VisitorError(f"finger/spi refused ({exc.reason})") from None
