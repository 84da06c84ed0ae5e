"""Anonymous visitor cookies for platforms that hand them out (Weibo).

m.weibo.cn's WAF answers 432 to requests without the SUB + SUBP pair; a visitor gets
one from passport.weibo.com in two steps: `GET visitor/genvisitor`
gives a `tid`, `POST visitor/genvisitor2` (cb=visitor_gray_callback, tid, from=weibo)
gives `sub` and `subp`. A handshake is an async function that takes the crawler's
download function and returns a Cookie header, or raises VisitorError.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from scrapy import FormRequest, Request
from scrapy.http import Response

from spiders.weibo import parse as weibo
from yuqing_spiders.fetch.sessions import VisitorError

Download = Callable[[Request], Awaitable[Response]]

WEIBO_GENVISITOR = "https://passport.weibo.com/visitor/genvisitor?cb=gen_callback"
WEIBO_GENVISITOR2 = "https://passport.weibo.com/visitor/genvisitor2"


def _text(response: Response, step: str) -> str:
    if response.status != 200:
        raise VisitorError(f"{step} answered HTTP {response.status}")
    return response.body.decode("utf-8", "replace")


async def weibo_visitor(download: Download) -> str:
    first = await download(Request(WEIBO_GENVISITOR, dont_filter=True))
    try:
        tid = weibo.parse_genvisitor(_text(first, "genvisitor"))
        second = await download(
            FormRequest(
                WEIBO_GENVISITOR2,
                formdata={"cb": "visitor_gray_callback", "tid": tid, "from": "weibo"},
                dont_filter=True,
            )
        )
        return weibo.parse_genvisitor2(_text(second, "genvisitor2"))
    except ValueError as exc:  # unreadable answers; the text never holds the cookie
        raise VisitorError(str(exc)) from None
