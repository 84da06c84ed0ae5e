"""Front-page placement: poll home pages (or the JSON that fills them) and hot lists.

Each answer becomes one `FrontPageSnapshot` (site, page, seen_at, ranked canonical
links) which pipelines/frontpage.py stores in `frontpage_snapshots`, in the Redis
current set, and on already stored articles. Which site a page belongs to and how it
is read is in spiders/frontpage/parse.py. POST sources (腾讯 getPCList, 搜狐
blockdata) name their channel or product in the start URL's query, as their list
spiders do.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import scrapy
from scrapy.http import Response

from spiders._base.spider import YuqingSpider
from spiders.frontpage import parse as frontpage
from spiders.sohu import parse as sohu
from spiders.sohu.api import block_request
from spiders.tencent import parse as tencent
from spiders.tencent.api import list_request
from yuqing_spiders.extract.kit.errors import PayloadError
from yuqing_spiders.model.items import FrontPageSnapshot
from yuqing_spiders.model.meta import KIND
from yuqing_spiders.queue.seeds import Seed

logger = logging.getLogger(__name__)


class FrontPageSpider(YuqingSpider):
    """Home pages of key news sites and commercial portals."""

    name = "frontpage"

    def seed_request(self, seed: Seed) -> scrapy.Request:
        if seed.url.startswith(tencent.LIST_API):
            request: scrapy.Request = list_request(self, seed.url)
        elif seed.url.startswith(sohu.BLOCK_API):
            request = block_request(self, seed.url)
        else:
            request = super().seed_request(seed)
            request.meta["page_url"] = seed.url
        request.meta.update({KIND: seed.kind, **seed.meta})
        return request

    def parse(self, response: Response, **_: Any) -> Iterator[FrontPageSnapshot]:
        page = response.meta.get("page_url", response.url)
        site = frontpage.site_of(page)
        stats = self.crawler.stats
        try:
            site, links = frontpage.parse_board(response)
        except PayloadError as exc:
            reason = exc.reason
            stats.inc_value(f"frontpage/bad_page/{site}/{reason}")
            logger.warning(
                "%s: unusable front page %s (%s); next poll next tick", self.name, page, exc
            )
            return
        if not links:
            # A front page with no link is a changed layout, not an empty front page.
            stats.inc_value(f"frontpage/empty/{site}")
            logger.warning("%s: no links on front page %s", self.name, page)
            return
        stats.inc_value(f"frontpage/polls/{site}")
        self.count_record_errors(links)
        stats.inc_value(f"frontpage/links/{site}", len(links))
        yield FrontPageSnapshot(site=site, page=page, seen_at=datetime.now(UTC), links=links)


class HotListSpider(FrontPageSpider):
    """Hot lists, the front pages of platforms: Weibo, Baidu realtime, Toutiao."""

    name = "hotlists"
