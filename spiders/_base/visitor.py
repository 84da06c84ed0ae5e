"""A visitor session from a platform's first page view: the cookies it sets.

Kuaishou (`did`), Xiaohongshu (`a1`, `webId`) and Zhihu (`d_c0`, `_xsrf`) hand an
anonymous browser its device cookies on the first visit of the home page; that is the
visitor handshake of their cookie-pool entries (middlewares/cookie_pool.py), so a
pool without login cookies still serves them instead of dropping every request. A
handshake takes the crawler's download function and returns a Cookie header, or
raises VisitorError (whose message names cookies, never their values).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from http.cookies import CookieError, SimpleCookie

from scrapy import Request
from scrapy.http import Response

from yuqing_spiders.fetch.sessions import VisitorError
from yuqing_spiders.model.meta import ALLOW_EMPTY

Download = Callable[[Request], Awaitable[Response]]


def set_cookie_pairs(headers: Iterable[str]) -> dict[str, str]:
    """name -> value of the cookies set by `Set-Cookie` header values."""
    found: dict[str, str] = {}
    for header in headers:
        jar: SimpleCookie = SimpleCookie()
        try:
            jar.load(header)
        except CookieError:
            continue  # one malformed header costs that cookie only
        found.update({name: morsel.value for name, morsel in jar.items()})
    return found


async def first_visit_cookie(download: Download, url: str, required: tuple[str, ...]) -> str:
    """The Cookie header made of what `url` sets; VisitorError without `required`."""
    request = Request(url, dont_filter=True, meta={ALLOW_EMPTY: True})
    response = await download(request)
    if response.status != 200:
        raise VisitorError(f"first visit answered HTTP {response.status}")
    cookies = set_cookie_pairs(v.decode("latin-1") for v in response.headers.getlist(b"Set-Cookie"))
    missing = [name for name in required if not cookies.get(name)]
    if missing:
        raise VisitorError(f"first visit set no {', '.join(missing)} cookie")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())
