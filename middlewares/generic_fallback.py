"""The generic extractor behind every site parser (yuqing_spiders/extract/fallback.py).

A spider middleware, so it sees each article item next to the page it came from,
whichever spider and parser made it: a field the site parser left empty is read by
the generic extractor from the same page, and counted as
`extract/fallback/<source>/<field>`. It runs after the spider's own fill-ins (a list
API's time or medium), which are more exact than a generic reading.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from yuqing_spiders.extract.fallback import applies, fallback_stat, fill_from_generic

logger = logging.getLogger(__name__)


class GenericFallbackMiddleware(BaseSpiderMiddleware):
    def get_processed_item(self, item: Any, response: Response | None) -> Any:
        if not isinstance(response, TextResponse) or not applies(item, response):
            return item
        filled = fill_from_generic(item, response)
        for field in filled:
            if self.crawler.stats is not None:
                self.crawler.stats.inc_value(fallback_stat(item.source, field))
        if filled:
            logger.debug("%s: generic extractor filled %s", item.url, ", ".join(filled))
        return item
