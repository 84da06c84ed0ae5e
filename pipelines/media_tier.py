"""Media tier on every item: who published it, and what kind of site carried it.

`media.tier` describes the **original publisher**: the medium the page names in its 来源
line when the tables know it (a people.com.cn page whose 来源 is 新华社 is central_key
because 新华社 is), else the site's own tier by domain. `media.site_tier` always
describes the site that carried the item, `media.province` the province of the medium
`tier` describes (per-province counts). The event stage's "did a central key medium
publish first" reads `tier`; front-page and reach views read `site_tier`.
Tables and rules: yuqing_spiders/analysis/media.py, data in yuqing_spiders/data/media.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import urlsplit

from yuqing_spiders.analysis.media import MediaTable, load_media_table
from yuqing_spiders.model.items import OpinionItem

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


class MediaTierPipeline:
    def __init__(self, table: MediaTable, stats: StatsCollector) -> None:
        self.table = table
        self.stats = stats
        self._unknown_domains: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        kwargs = {
            key: settings[name]
            for key, name in (("tiers", "MEDIA_TIERS_FILE"), ("names", "MEDIA_NAMES_FILE"))
            if settings.get(name)
        }
        return cls(load_media_table(**kwargs), crawler.stats)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, OpinionItem):
            return item  # comments, front-page snapshots: no medium of their own
        media = item.media
        host = media.domain or urlsplit(item.url).hostname or ""
        site = self.table.by_domain(host)
        named = self.table.by_name(media.name)
        media.site_tier = site.tier if site else None
        chosen = named or site
        if media.tier is None and chosen is not None:
            media.tier = chosen.tier
            media.province = chosen.province
        self._count(item, host, site is not None, named is not None)
        return item

    def _count(self, item: OpinionItem, host: str, by_domain: bool, by_name: bool) -> None:
        basis = "name" if by_name else "domain" if by_domain else "unknown"
        self.stats.inc_value(f"media_tier/basis/{basis}")
        self.stats.inc_value(f"media_tier/tier/{item.media.tier or 'none'}")
        if by_name and item.media.tier != item.media.site_tier:
            # A reprint: the site carries another tier's medium (the signal the event
            # stage needs for "first published by a central key medium").
            self.stats.inc_value("media_tier/publisher_differs_from_site")
        if not by_domain and host not in self._unknown_domains:
            self._unknown_domains.add(host)
            logger.info(
                "media tier: %s is in no table (source %s); add it to media_tiers.csv",
                host,
                item.source,
            )
