"""百家号 baijiahao.baidu.com: author pages, their feed, and articles (§3.6).

Article `baijiahao.baidu.com/s?id=<id>`: body `[data-testid=article]` (RSSHub
`baidu/baijiahao.ts`); title, time and account are read the generic way (meta tags,
the line under the title). Author page `baijiahao.baidu.com/u?app_id=<id>` carries
`window.runtime = {...}` with `user.uk`; the account's feed is
`mbd.baidu.com/webpage?tab=article&num=<n>&uk=<uk>&source=pc&type=newhome&action=dynamic&format=json`
→ `data.list[].itemData` (`title, url`, `dynamic_ctime`). Live, the feed wants the
`ab_sr` cookie (a fingerprint posted to miao.baidu.com); most 百家号 articles are
also reached through 百度资讯 search.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from scrapy.http import Response, TextResponse

from yuqing_spiders.extract.generic import (
    extract_article,
    find_author,
    find_meta_line,
    find_published_at,
    find_source,
    find_title,
)
from yuqing_spiders.extract.kit.article import PageParsers, UrlParsers, mark_completeness, news_item
from yuqing_spiders.extract.kit.errors import PayloadError
from yuqing_spiders.extract.kit.html import BODY_NOISE, first_node, paragraphs, squash
from yuqing_spiders.extract.kit.lists import ListEntry, query_value
from yuqing_spiders.extract.kit.payload import (
    dig,
    load_assigned_json,
    load_json,
    require_list,
    response_text,
)
from yuqing_spiders.extract.kit.records import isolated
from yuqing_spiders.model.items import Author, OpinionItem
from yuqing_spiders.model.timeparse import parse_datetime

SOURCE = "baijiahao"
ARTICLE_URL_RE = re.compile(r"^https?://baijiahao\.baidu\.com/s\?(?:.*&)?id=(?P<id>\d{10,22})\b")
AUTHOR_URL_RE = re.compile(r"^https?://baijiahao\.baidu\.com/u\?(?:.*&)?app_id=(?P<app>\d+)")
FEED_URL = "https://mbd.baidu.com/webpage"


def canonical_url(url: str) -> str:
    match = ARTICLE_URL_RE.match(url.strip())
    return f"https://baijiahao.baidu.com/s?id={match['id']}" if match else url


def native_id(url: str) -> str | None:
    match = ARTICLE_URL_RE.match(url.strip())
    return match["id"] if match else None


def author_uk(response: Response) -> tuple[str, str | None]:
    """(uk, nickname) from an author page's `window.runtime`; PayloadError without it."""
    runtime = load_assigned_json(response_text(response), "window.runtime")
    uk = dig(runtime, "user", "uk")
    if not uk:
        raise PayloadError("unexpected_shape", "window.runtime/user/uk")
    return str(uk), squash(dig(runtime, "user", "nickname")) or None


def feed_url(uk: str, count: int = 10) -> str:
    query = {
        "tab": "article",
        "num": count,
        "uk": uk,
        "source": "pc",
        "type": "newhome",
        "action": "dynamic",
        "format": "json",
    }
    return f"{FEED_URL}?{urlencode(query)}"


def parse_feed(response: Response) -> list[ListEntry]:
    data = load_json(response_text(response))
    if str(data.get("errno", "0")) != "0":
        # The feed answers without the ab_sr cookie with an error number, not a list.
        raise PayloadError("api_error", f"errno {data.get('errno')}: {data.get('errmsg')}")
    return isolated(require_list(data, "data", "list"), _feed_entry, SOURCE)


def _feed_entry(row: dict[str, Any]) -> ListEntry | None:
    item = row.get("itemData") or {}
    url = (item.get("url") or "").strip()
    if not ARTICLE_URL_RE.match(url):
        return None  # dynamics and videos
    return ListEntry(
        url=canonical_url(url),
        title=squash(item.get("title")) or None,
        published_at=parse_datetime(item.get("dynamic_ctime") or row.get("dynamic_ctime")),
        native_id=native_id(url),
    )


def parse_article(response: Response) -> OpinionItem:
    url = response.url
    item = news_item(response, SOURCE, native_id(url), canonical_url(url))
    if not isinstance(response, TextResponse):
        return mark_completeness(item)
    lines = paragraphs(first_node(response, "[data-testid=article]"), BODY_NOISE)
    if not lines:
        # The React template changed: the generic extractor keeps the item alive.
        generic = extract_article(response)
        generic.source, generic.canonical_url, generic.native_id = (
            SOURCE,
            item.canonical_url,
            item.native_id,
        )
        return generic
    item.title = find_title(response)
    meta_line = find_meta_line(response, item.title)
    item.published_at = find_published_at(response, meta_line, item.title)
    # The account's name sits in a CSS-module class with a hashed suffix (authorName_xxxx);
    # '来源：' lines cut names that end in 发布, a word the generic reader stops at.
    account = response.xpath("//*[contains(@class, 'authorName')]//text()").get()
    item.media.name = squash(account) or find_source(response, meta_line)
    item.content = "\n".join(lines)
    item.author = Author(name=find_author(response, meta_line, item.content) or item.media.name)
    return mark_completeness(item)


def app_id(url: str) -> str | None:
    """The account of an author page URL."""
    return query_value(url, "app_id")


# Pages this module reads whole (`yuqing extract`, search results): found by
# spiders/_base/registry.py, so a new source never edits a table elsewhere.
URL_PARSERS: UrlParsers = [(ARTICLE_URL_RE, parse_article)]

# List pages and API answers (`yuqing extract --file`): found by the same registry.
PAGE_PARSERS: PageParsers = [
    (re.compile(r"^https?://mbd\.baidu\.com/webpage\?"), parse_feed),
]
