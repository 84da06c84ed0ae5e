"""江西日报 e-paper epaper.jxxw.com.cn.

The e-paper home sends the reader to today's front page
`html/YYYY-MM/DD/node_<n>.htm`; the month index `html/YYYY-MM/navi.xml` names every
issue of the month and its front page. A page (版面) lists all pages of its issue and
its own articles `html/YYYY-MM/DD/content_<node>_<id>.htm`. Article pages carry their
data in the e-paper system's `<!--enpproperty ...-->` comment (title, date, author,
page name; Founder e-paper convention, not publicly documented) and the text in
`#ozoom` / `founder-content`. A print article has a date, not a time: it is stored
as 00:00 Beijing time of its issue day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from parsel import Selector
from scrapy.http import Response, TextResponse

from yuqing_spiders.extract.kit.article import PageParsers, UrlParsers, mark_completeness
from yuqing_spiders.extract.kit.byline import names_from_byline
from yuqing_spiders.extract.kit.errors import PayloadError
from yuqing_spiders.extract.kit.html import first_node, inline_text, paragraphs, squash
from yuqing_spiders.extract.kit.lists import unique_links
from yuqing_spiders.model.items import Author, Media, OpinionItem
from yuqing_spiders.model.timeparse import find_datetime_in_text, parse_datetime

SOURCE = "jxrb"
SITE_NAME = "江西日报"

_BASE = r"^https?://epaper\.jxxw\.com\.cn(?::\d+)?/html/(?P<month>\d{4}-\d{2})/(?P<day>\d{2})/"
PAGE_URL_RE = re.compile(_BASE + r"node_(?P<node>\d+)\.htm$")
ARTICLE_URL_RE = re.compile(_BASE + r"content_(?P<node>\d+)_(?P<id>\d+)\.htm$")
_REFRESH_RE = re.compile(r"url\s*=\s*['\"]?([^'\";\s]+)", re.IGNORECASE)
_ENP_RE = re.compile(r"<!--\s*enpproperty(.*?)/enpproperty\s*-->", re.DOTALL)
_ENP_TAG_RE = re.compile(r"<(\w+)>(.*?)</\1>", re.DOTALL)


@dataclass(frozen=True)
class Issue:
    date: str  # YYYY-MM-DD
    front_page: str


@dataclass
class PageLinks:
    pages: list[str] = field(default_factory=list)  # every page of the issue
    articles: list[str] = field(default_factory=list)  # this page's articles


def front_page_from_home(response: TextResponse) -> str | None:
    """Today's front page: the home's meta refresh, else its first page link."""
    refresh = response.xpath(
        "//meta[translate(@http-equiv, 'REFSH', 'refsh')='refresh']/@content"
    ).get()
    match = _REFRESH_RE.search(refresh or "")
    candidates = [match.group(1)] if match else []
    candidates += response.xpath("//a/@href").getall()
    for href in candidates:
        url = response.urljoin(href.strip())
        if PAGE_URL_RE.match(url):
            return url
    return None


def navi_url(page_url: str) -> str | None:
    """The month index for a page URL: html/YYYY-MM/navi.xml."""
    match = PAGE_URL_RE.match(page_url)
    return urljoin(page_url, "../navi.xml") if match else None


def parse_navi(response: TextResponse) -> list[Issue]:
    """Issues of the month, newest first; PayloadError when it is not the index."""
    try:
        root = Selector(text=response.text, type="xml")
    except ValueError as error:
        raise PayloadError("not_xml", f"navi.xml: {error}") from None
    issues = []
    for period in root.xpath("//period"):
        date = squash(period.xpath("period_date/text()").get())
        front = squash(period.xpath("front_page/text()").get())
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) and front:
            issues.append(Issue(date, urljoin(response.url, front)))
    if not issues and not root.xpath("//navi"):
        raise PayloadError("unexpected_shape", "no <navi> index in navi.xml")
    return sorted(issues, key=lambda issue: issue.date, reverse=True)


def parse_page(response: TextResponse) -> PageLinks:
    hrefs = response.xpath("//a/@href | //area/@href").getall()
    return PageLinks(
        pages=unique_links(response, hrefs, PAGE_URL_RE),
        articles=unique_links(response, hrefs, ARTICLE_URL_RE),
    )


def parse_article(response: Response) -> OpinionItem:
    match = ARTICLE_URL_RE.match(response.url)
    item = OpinionItem(
        url=response.url,
        source=SOURCE,
        platform="news",
        native_id=match["id"] if match else None,
        media=Media(name=SITE_NAME, domain=urlsplit(response.url).hostname),
    )
    if not isinstance(response, TextResponse):
        return mark_completeness(item)
    item.encoding = response.encoding
    enp = _enp_properties(response.text)
    item.title = (
        inline_text(enp.get("title"))
        or squash(" ".join(response.css(".article h1 ::text").getall()))
        or None
    )
    item.published_at = _issue_time(enp.get("date"), match)
    lines = paragraphs(first_node(response, "#ozoom", "founder-content"))
    item.content = "\n".join(lines) or None
    byline = inline_text(enp.get("author"))
    item.author = Author(name=names_from_byline(byline) if byline else None)
    if page := inline_text(enp.get("nodename")):
        item.extra["page"] = page
    return mark_completeness(item)


def _enp_properties(html: str) -> dict[str, str]:
    match = _ENP_RE.search(html)
    return (
        {tag.lower(): value for tag, value in _ENP_TAG_RE.findall(match.group(1))} if match else {}
    )


def _issue_time(enp_date: str | None, url_match: re.Match[str] | None) -> datetime | None:
    moment = find_datetime_in_text(enp_date) if enp_date else None
    if moment is None and url_match is not None:
        moment = parse_datetime(f"{url_match['month']}-{url_match['day']} 00:00")
    return moment


# Pages this module reads whole (`yuqing extract`, search results): found by
# spiders/_base/registry.py, so a new source never edits a table elsewhere.
URL_PARSERS: UrlParsers = [(ARTICLE_URL_RE, parse_article)]

# List pages and API answers (`yuqing extract --file`): found by the same registry.
PAGE_PARSERS: PageParsers = [(PAGE_URL_RE, parse_page)]
