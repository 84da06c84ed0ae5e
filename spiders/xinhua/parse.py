"""新华网 news.cn / xinhuanet.com, incl. the Jiangxi channel jx.news.cn.

Lists: each channel page loads a static datasource file `ds_<32 hex>.json`
(`{categoryName, datasource: [...]}`); a row's `publishUrl` is absolute,
channel-relative or root-relative, and a `Link` row points through `linkUrls` to
another page (its `publishTime` is when an editor placed it, not the article's time,
so list times are never used). Channels without a known datasource (jx.news.cn,
structure not verified) are read as static pages with article links.
Articles: the 2021 template (`div.head-line span.title`, `div.header-time`,
`div.source`, body `#detail`) and the older xinhuanet one (`.h-title`, `.h-time`,
`.h-info`, `#p-detail`).
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urljoin

from scrapy.http import Response, TextResponse

from yuqing_spiders.extract.generic import find_canonical_url
from yuqing_spiders.extract.kit.article import PageParsers, UrlParsers, mark_completeness, news_item
from yuqing_spiders.extract.kit.byline import (
    author_from_text,
    editor_from_text,
    source_from_text,
    strip_title_suffix,
)
from yuqing_spiders.extract.kit.errors import PayloadError
from yuqing_spiders.extract.kit.html import all_text, first_node, paragraphs
from yuqing_spiders.extract.kit.lists import ListPage, same_host, unique_links
from yuqing_spiders.extract.kit.payload import dig, load_json, response_text
from yuqing_spiders.model.items import Author, OpinionItem
from yuqing_spiders.model.timeparse import find_datetime_in_text

SOURCE = "xinhua"
HOSTS = ("news.cn", "xinhuanet.com")

# 2021+: /<channel>/YYYYMMDD/<hex>/c.html, or at the root for home-page items.
ARTICLE_URL_RE = re.compile(
    r"^https?://(?:[a-z0-9-]+\.)*(?:news\.cn|xinhuanet\.com)(?::\d+)?"
    r"/(?:[a-z0-9_]+/)*(?P<date>20\d{6})/(?P<id>[0-9a-f]{6,32})/c\.html$",
    re.IGNORECASE,
)
# Before 2021: /politics/2022-09/02/c_1128969878.htm
LEGACY_URL_RE = re.compile(
    r"^https?://(?:[a-z0-9-]+\.)*(?:xinhuanet\.com|news\.cn)(?::\d+)?"
    r"/(?:[a-z0-9_]+/)*\d{4}-\d{2}/\d{2}/c_(?P<id>\d+)\.html?$",
    re.IGNORECASE,
)
# "2026 11/25 09:41:02" as the 2021 template spreads it over <span>s.
_HEADER_TIME_RE = re.compile(
    r"(20\d{2})\D{0,3}(\d{1,2})\s*/\s*(\d{1,2})\D{0,3}(\d{1,2}:\d{2}(?::\d{2})?)"
)
_EDITOR_CSS = "#articleEdit, .editor, .p-jc"
_NOISE = ("#articleEdit", ".editor", ".p-jc", ".lb", "#related")


def is_article_url(url: str) -> bool:
    url = url.strip()
    return bool(ARTICLE_URL_RE.match(url) or LEGACY_URL_RE.match(url))


def native_id(url: str) -> str | None:
    match = ARTICLE_URL_RE.match(url.strip()) or LEGACY_URL_RE.match(url.strip())
    return match["id"] if match else None


def row_url(base: str, row: dict) -> str | None:
    """The page a datasource row links to, absolute; None when it names none."""
    links = row.get("linkUrls") if row.get("contentType") == "Link" else None
    target = dig(links, 0, "linkUrl") if isinstance(links, list) else None
    target = target or row.get("publishUrl")
    if not isinstance(target, str) or not target.strip():
        return None
    return urljoin(base, target.strip())


def parse_datasource(response: Response) -> ListPage:
    """Article URLs of a `ds_*.json` channel file; off-site and odd rows are counted."""
    rows = dig(load_json(response_text(response)), "datasource")
    if not isinstance(rows, list):
        raise PayloadError("unexpected_shape", "no `datasource` list in the channel file")
    page = ListPage()
    for row in rows:
        url = row_url(response.url, row) if isinstance(row, dict) else None
        if url is None:
            page.skip("row_without_url")
        elif not same_host(url, HOSTS):
            page.skip("link_off_site")  # a Link row to another medium's page
        elif not is_article_url(url):
            page.skip("not_an_article")  # specials, topic pages, video hubs
        elif url not in page.article_urls:
            page.article_urls.append(url)
    return page


def parse_channel_page(response: TextResponse) -> ListPage:
    """A static channel page (jx.news.cn): its article links."""
    hrefs = response.xpath("//a/@href").getall()
    return ListPage(article_urls=unique_links(response, hrefs, ARTICLE_URL_RE))


def parse_article(response: Response) -> OpinionItem:
    """One article (2021 or legacy template) as an item; incomplete when fields lack."""
    item = news_item(response, SOURCE, native_id(response.url))
    if not isinstance(response, TextResponse):
        return mark_completeness(item)
    item.canonical_url = find_canonical_url(response)
    item.title = _title(response)
    item.published_at = _published_at(response)
    item.media.name = source_from_text(all_text(response, "div.source, .h-info"))
    lines = paragraphs(first_node(response, "#detail", "#p-detail", "#content"), _NOISE)
    item.content = "\n".join(lines) or None
    item.author = Author(name=author_from_text(lines[0]) if lines else None)
    item.editor = editor_from_text(all_text(response, _EDITOR_CSS))
    return mark_completeness(item)


def _title(response: TextResponse) -> str | None:
    for css in ("div.head-line span.title", "div.head-line h1", ".h-title", "#title"):
        if text := all_text(response, css):
            return text
    return strip_title_suffix(response.xpath("//title/text()").get())


def _published_at(response: TextResponse) -> datetime | None:
    spread = all_text(response, "div.header-time")
    match = _HEADER_TIME_RE.search(spread)
    if match:
        year, month, day, clock = match.groups()
        return find_datetime_in_text(f"{year}-{month}-{day} {clock}")
    return find_datetime_in_text(all_text(response, ".h-time, .info, .time"))


# Pages this module reads whole (`yuqing extract`, search results): found by
# spiders/_base/registry.py, so a new source never edits a table elsewhere.
URL_PARSERS: UrlParsers = [
    (ARTICLE_URL_RE, parse_article),
    (LEGACY_URL_RE, parse_article),
]

# List pages and API answers (`yuqing extract --file`): found by the same registry.
PAGE_PARSERS: PageParsers = [
    (re.compile(r"^https?://www\.news\.cn/\w+/ds_[0-9a-f]+\.json"), parse_datasource),
    (re.compile(r"^https?://jx\.news\.cn/\w+/(?:index\.html?)?$"), parse_channel_page),
]
