"""Zhihu's visitor session: `d_c0` (the device cookie x-zse-96 covers) and `_xsrf`
from the first home-page visit (spiders/_base/visitor.py)."""

from __future__ import annotations

from spiders._base.visitor import Download, first_visit_cookie
from spiders.zhihu import parse as zhihu


async def zhihu_visitor(download: Download) -> str:
    return await first_visit_cookie(download, zhihu.WEB + "/", ("d_c0",))
