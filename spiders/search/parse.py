"""Result pages of the news search engines, and their captcha pages.

- 百度资讯 `www.baidu.com/s?tn=news&rtt=4&...&wd=<kw>`: result titles
  `h3.news-title_<hash> a` (older `h3.c-title a`), source
  `span.c-color-gray.c-font-normal.c-gap-right` (older `p.c-author`), time
  `span.c-color-gray2.c-font-normal`; hashed class suffixes change, so classes are
  matched by prefix. Links are `baidu.com/link?url=` redirects. Blocked clients get
  the "百度安全验证" page or a redirect to `wappass.baidu.com/static/captcha`.
- 搜狗新闻 `www.sogou.com/sogou?interation=1728053249&query=<kw>`: items
  `div.vrwrap h3.vr-title > a`, next `a#sogou_next`; blocked requests are redirected
  to a URL containing `antispider`.
- 360资讯 `news.so.com/ns?q=<kw>&rank=pdate&pn=<p>`: items `li.res-list` with
  `data-url`, title `h3 a`, summary and `sitename` inside.

A captcha page is recognised by `captcha_reason` and never parsed as results.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any
from urllib.parse import quote, urlsplit

from parsel import Selector
from scrapy.http import HtmlResponse, Response, TextResponse

from yuqing_spiders.extract.kit.html import first_text, node_text, squash
from yuqing_spiders.extract.kit.lists import from_plain_meta, plain_meta
from yuqing_spiders.extract.kit.records import isolated
from yuqing_spiders.model.timeparse import find_datetime_in_text, parse_datetime

BAIDU_NEWS = "https://www.baidu.com/s?tn=news&rtt=4&bsst=1&cl=2&wd={query}&medium=0"
SOGOU_NEWS = "https://www.sogou.com/sogou?interation=1728053249&query={query}"
SO360_NEWS = "https://news.so.com/ns?q={query}&rank=pdate&pn=1"

_BAIDU_CAPTCHA_HOSTS = ("wappass.baidu.com",)
_BAIDU_CAPTCHA_TITLES = ("百度安全验证",)


@dataclass
class SearchResult:
    url: str
    title: str | None = None
    snippet: str | None = None
    published_at: datetime | None = None
    source_name: str | None = None

    # Meta crosses the Redis queue as JSON: plain data out, the record back in.
    def to_meta(self) -> dict[str, Any]:
        return plain_meta(self)

    @classmethod
    def from_meta(cls, data: dict[str, Any] | None) -> SearchResult | None:
        return from_plain_meta(cls, data)


@dataclass
class ResultPage:
    results: list[SearchResult] = field(default_factory=list)
    next_page: str | None = None


def search_url(template: str, query: str) -> str:
    """The engine's URL for `query`, percent-encoded as a browser sends it."""
    return template.format(query=quote(query, safe=""))


def captcha_reason(response: Response) -> str | None:
    """Why `response` is an engine's captcha/antispider page, or None when it is not."""
    parts = urlsplit(response.url)
    host = (parts.hostname or "").lower()
    if host in _BAIDU_CAPTCHA_HOSTS or "/static/captcha" in parts.path:
        return "baidu_wappass"
    if "antispider" in response.url.lower():
        return "sogou_antispider"
    location = (response.headers.get(b"Location") or b"").decode("latin-1").lower()
    if "wappass.baidu.com" in location or "antispider" in location:
        return "captcha_redirect"
    if isinstance(response, HtmlResponse):
        title = squash(response.xpath("//title/text()").get())
        if any(marker in title for marker in _BAIDU_CAPTCHA_TITLES):
            return "baidu_security_check"
    return None


def is_captcha(response: Response) -> bool:
    return captcha_reason(response) is not None


def _class_prefix(prefix: str) -> str:
    """XPath test for a class token starting with `prefix` (hashed suffixes)."""
    return f"contains(concat(' ', normalize-space(@class)), ' {prefix}')"


def parse_baidu(response: TextResponse, now: datetime | None = None) -> ResultPage:
    titles = response.xpath(
        f"//h3[{_class_prefix('news-title')} or {_class_prefix('c-title')}]/a[@href]"
    )
    return ResultPage(
        results=isolated(titles, partial(_baidu_result, response, now), "search_baidu"),
        next_page=_next(response, "//div[@id='page']//a[contains(., '下一页')]/@href"),
    )


def _baidu_result(response: TextResponse, now: datetime | None, link: Selector) -> SearchResult:
    boxes = link.xpath(
        "ancestor::div[contains(@class, 'c-container') or contains(@class, 'result')][1]"
    )
    box = boxes[0] if boxes else link
    source = first_text(
        box,
        f".//span[{_class_prefix('c-color-gray')} and not({_class_prefix('c-color-gray2')})]",
    )
    shown = first_text(box, f".//span[{_class_prefix('c-color-gray2')}]")
    author_line = first_text(box, ".//p[contains(@class, 'c-author')]")
    if not source and author_line:
        # The old template: "江西日报  2026年11月24日 08:20" in one line.
        source = squash(re.split(r"\s{2,}|\d", author_line, maxsplit=1)[0]) or None
        shown = author_line
    return SearchResult(
        url=response.urljoin(link.attrib["href"].strip()),
        title=node_text(link) or None,
        snippet=first_text(
            box,
            f".//*[{_class_prefix('c-font-normal')} and {_class_prefix('c-color-text')}]",
        ),
        published_at=_shown_time(shown, now),
        source_name=source,
    )


def parse_sogou(response: TextResponse, now: datetime | None = None) -> ResultPage:
    return ResultPage(
        results=isolated(
            response.css("div.vrwrap"), partial(_sogou_result, response, now), "search_sogou"
        ),
        next_page=_next(response, "//a[@id='sogou_next']/@href"),
    )


def _sogou_result(
    response: TextResponse, now: datetime | None, box: Selector
) -> SearchResult | None:
    link = box.css("h3.vr-title > a")
    if not link or not link.attrib.get("href"):
        return None
    meta = box.css("p.news-from span::text").getall()
    return SearchResult(
        url=response.urljoin(link.attrib["href"].strip()),
        title=node_text(link[0]) or None,
        snippet=first_text(
            box, ".//p[contains(@class, 'star-wiki') or contains(@class, 'str-text')]"
        ),
        source_name=squash(meta[0]) if meta else None,
        published_at=_shown_time(meta[-1], now) if len(meta) > 1 else None,
    )


def parse_so360(response: TextResponse, now: datetime | None = None) -> ResultPage:
    return ResultPage(
        results=isolated(
            response.css("li.res-list"), partial(_so360_result, response, now), "search_so360"
        ),
        next_page=_next(response, "//div[@id='page']//a[@id='snext']/@href"),
    )


def _so360_result(
    response: TextResponse, now: datetime | None, box: Selector
) -> SearchResult | None:
    url = box.attrib.get("data-url") or box.css("h3 a::attr(href)").get()
    if not url:
        return None
    shown = box.css(".posttime::attr(title)").get() or first_text(box, ".//*[@class='posttime']")
    return SearchResult(
        url=response.urljoin(url.strip()),
        title=first_text(box, ".//h3//a") or None,
        snippet=first_text(box, ".//p[contains(@class, 'content')]"),
        source_name=first_text(box, ".//*[contains(@class, 'sitename')]"),
        published_at=_shown_time(shown, now),
    )


def _shown_time(text: str | None, now: datetime | None) -> datetime | None:
    """Engines show '3小时前', '11月25日 09:41' or '2026年11月24日 08:20'."""
    if not text:
        return None
    return find_datetime_in_text(text, now=now) or parse_datetime(squash(text), now=now)


def _next(response: TextResponse, xpath: str) -> str | None:
    href = response.xpath(xpath).get()
    return response.urljoin(href.strip()) if href and href.strip() else None
