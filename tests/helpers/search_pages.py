"""The search-engine pages the keyword-monitoring fixtures are recorded at.

tests/fixtures/web/README.md, "Keyword monitoring": result pages of
百度资讯, 搜狗 and 360 for the watch list's queries, 百度's wappass captcha and 搜狗's
antispider redirect. Shared by the parser tests and the spider tests.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import quote

from spiders.search import parse as engines

NOW = datetime(2026, 11, 26, 2, 30, tzinfo=UTC)  # 10:30 in Nanchang
BAIDU_Q1 = engines.search_url(engines.BAIDU_NEWS, "南昌")
SOGOU_Q1 = engines.search_url(engines.SOGOU_NEWS, "南昌")
SO360_Q2 = engines.search_url(engines.SO360_NEWS, "青山湖区")
WAPPASS = (
    "https://wappass.baidu.com/static/captcha/tuxing.html?&logid=11652436825613210459"
    "&ak=c27bbc89afca0463650ac9bde68ebe06&backurl=https%3A%2F%2Fwww.baidu.com%2F"
    "&signature=8f0c4e5d2a&timestamp=1795651200"
)
ANTISPIDER = "https://www.sogou.com/antispider/?from=" + quote(
    "/sogou?interation=1728053249&query=" + quote("青山湖区", safe=""), safe=""
)
