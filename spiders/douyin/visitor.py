"""Douyin's anonymous visitor cookie: `ttwid` from ttwid.bytedance.com.

TD and EV (platforms.md §1) POST a small JSON to `ttwid/union/register/` and read the
`ttwid` Set-Cookie; with it, detail, comments and profiles answer without login. A
handshake takes the crawler's download function and returns a Cookie header, or raises
VisitorError (whose message never holds the cookie).
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

from scrapy import Request
from scrapy.http import Response

from spiders.douyin import parse as douyin
from yuqing_spiders.fetch.sessions import VisitorError
from yuqing_spiders.model.meta import ALLOW_EMPTY

Download = Callable[[Request], Awaitable[Response]]

REGISTER_BODY = {
    "region": "cn",
    "aid": 1768,
    "needFid": False,
    "service": "www.ixigua.com",
    "migrate_info": {"ticket": "", "source": "node"},
    "cbUrlProtocol": "https",
    "union": True,
}


async def douyin_visitor(download: Download) -> str:
    request = Request(
        douyin.TTWID_URL,
        method="POST",
        body=json.dumps(REGISTER_BODY),
        headers={"Content-Type": "application/json"},
        dont_filter=True,
        meta={ALLOW_EMPTY: True},  # a short JSON answer: the cookie is in its headers
    )
    response = await download(request)
    if response.status != 200:
        raise VisitorError(f"ttwid register answered HTTP {response.status}")
    cookie = douyin.ttwid_cookie(
        [v.decode("latin-1") for v in response.headers.getlist(b"Set-Cookie")]
    )
    if cookie is None:
        raise VisitorError("ttwid register set no ttwid cookie")
    return cookie
