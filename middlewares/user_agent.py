"""A browser User-Agent per request, drawn from a list of current browsers.

One fixed User-Agent across thousands of requests is the easiest crawler signature to
block. The list is a data file (``YUQING_UA_FILE``, default
yuqing_spiders/data/user_agents.txt; yuqing_spiders/fetch/user_agents.py reads it).
Precedence per request: ``meta["yuqing_user_agent"]`` (`meta.USER_AGENT`: the cookie
pool pins the agent its cookies were issued to), then a User-Agent header the spider
set itself, then a random one from the list.
Runs before Scrapy's UserAgentMiddleware, which then leaves the header alone.
"""

from __future__ import annotations

import logging
import random
from typing import TYPE_CHECKING, Self

from scrapy.exceptions import NotConfigured

from yuqing_spiders.fetch.user_agents import DEFAULT_FILE, load_user_agents
from yuqing_spiders.model import meta

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


class RotatingUserAgentMiddleware:
    def __init__(self, agents: list[str], stats: StatsCollector) -> None:
        if not agents:
            raise NotConfigured("the User-Agent list is empty")
        self.agents = agents
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not settings.getbool("YUQING_UA_ENABLED"):
            raise NotConfigured("YUQING_UA_ENABLED is off")
        path = settings.get("YUQING_UA_FILE") or DEFAULT_FILE
        agents = load_user_agents(path)
        logger.debug("rotating %d User-Agents from %s", len(agents), path)
        return cls(agents, crawler.stats)

    def process_request(self, request: Request) -> None:
        pinned = request.meta.get(meta.USER_AGENT)
        if pinned:
            request.headers[b"User-Agent"] = pinned
            self.stats.inc_value("user_agent/pinned")
        elif b"User-Agent" in request.headers:
            self.stats.inc_value("user_agent/spider_set")
        else:
            request.headers[b"User-Agent"] = random.choice(self.agents)
            self.stats.inc_value("user_agent/rotated")
