"""User-Agent rotation: drawn from the data file, pinned by meta, kept when the spider set one."""

from __future__ import annotations

import pytest
import scrapy
from scrapy.exceptions import NotConfigured
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from middlewares.user_agent import RotatingUserAgentMiddleware
from yuqing_spiders.fetch.user_agents import DEFAULT_FILE, load_user_agents


def make(**settings) -> RotatingUserAgentMiddleware:
    crawler = get_crawler(settings_dict={"YUQING_UA_ENABLED": True, **settings})
    crawler.stats.open_spider()
    return build_from_crawler(RotatingUserAgentMiddleware, crawler)


def test_shipped_list_has_current_desktop_and_mobile_browsers():
    agents = load_user_agents(DEFAULT_FILE)
    assert len(agents) >= 8
    assert all(a.startswith("Mozilla/5.0 (") for a in agents)
    assert any("Mobile" in a for a in agents)
    assert any("Windows NT" in a for a in agents)


def test_requests_get_agents_from_the_list():
    middleware = make()
    seen = set()
    for _ in range(200):
        request = scrapy.Request("http://www.nc.gov.cn/")
        middleware.process_request(request)
        seen.add(request.headers[b"User-Agent"].decode())
    assert seen <= set(middleware.agents)
    assert len(seen) > 1  # rotated, not one fixed agent
    assert middleware.stats.get_value("user_agent/rotated") == 200


def test_meta_pins_and_spider_header_wins_over_rotation():
    middleware = make()
    pinned = scrapy.Request("http://weibo.com/", meta={"yuqing_user_agent": "CookieBound/1.0"})
    middleware.process_request(pinned)
    assert pinned.headers[b"User-Agent"] == b"CookieBound/1.0"
    own = scrapy.Request("http://api.example.cn/", headers={"User-Agent": "okhttp/4.12"})
    middleware.process_request(own)
    assert own.headers[b"User-Agent"] == b"okhttp/4.12"
    assert middleware.stats.get_value("user_agent/pinned") == 1
    assert middleware.stats.get_value("user_agent/spider_set") == 1


def test_list_file_comments_and_blanks_are_skipped(tmp_path):
    path = tmp_path / "agents.txt"
    path.write_text("# browsers\n\nAgent/1\n  Agent/2  \n# end\n")
    assert make(YUQING_UA_FILE=str(path)).agents == ["Agent/1", "Agent/2"]
    path.write_text("# nothing\n")
    with pytest.raises(NotConfigured, match="empty"):
        make(YUQING_UA_FILE=str(path))
    with pytest.raises(NotConfigured):
        make(YUQING_UA_ENABLED=False)
