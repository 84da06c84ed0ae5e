"""Xiaohongshu's visitor session: `a1` and `webId` from the first home-page visit
(spiders/_base/visitor.py); the signing script reads `a1` from the same cookies."""

from __future__ import annotations

from spiders._base.visitor import Download, first_visit_cookie
from spiders.xiaohongshu import parse as xhs


async def xhs_visitor(download: Download) -> str:
    return await first_visit_cookie(download, xhs.WEB + "/", ("a1", "webId"))
