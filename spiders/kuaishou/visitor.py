"""Kuaishou's visitor session: the `did` device cookie of the first home-page visit
(spiders/_base/visitor.py). Unverified live: public crawlers send `did` with every web
call; whether search answers a visitor at all needs a live check (docs/platforms.md)."""

from __future__ import annotations

from spiders._base.visitor import Download, first_visit_cookie
from spiders.kuaishou import parse as kuaishou


async def kuaishou_visitor(download: Download) -> str:
    return await first_visit_cookie(download, kuaishou.WEB + "/", ("did",))
