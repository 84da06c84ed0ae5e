"""人民网 people.com.cn (incl. jx.people.com.cn): list and article parsers.

Pure functions: a decoded Scrapy response in, a result out. Page facts are in
public facts: pages are GBK; channel lists are static `/GB/<node>/`
pages whose article links sit in a few known blocks (RSSHub `people/index.ts`);
articles come in a new template (`div.rm_txt`, body `.rm_txt_con`) and an older
one (`div.text_title`, body `#rwb_zw` / `.box_con`); the editor is in
`[class^=edit]` (WL `config_people.py`).
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from urllib.parse import urlsplit

from scrapy.http import Response, TextResponse

from yuqing_spiders.extract.kit.article import PageParsers, UrlParsers, mark_completeness
from yuqing_spiders.extract.kit.byline import (
    author_from_text,
    editor_from_text,
    names_from_byline,
    source_from_text,
    strip_title_suffix,
)
from yuqing_spiders.extract.kit.html import (
    first_node,
    first_text,
    node_texts,
    paragraphs,
    squash,
    text_nodes,
    union_query,
)
from yuqing_spiders.extract.kit.lists import ListPage, url_without_query
from yuqing_spiders.model.items import Author, Media, OpinionItem
from yuqing_spiders.model.timeparse import find_datetime_in_text

logger = logging.getLogger(__name__)

SOURCE = "people"

# /n1/ central channels, /n2/ provincial channels; page 2+ of a long article is
# c<node>-<id>-2.html and is deliberately not matched (it is not a separate article).
ARTICLE_URL_RE = re.compile(
    r"^https?://(?P<host>(?:[a-z0-9-]+\.)*people\.com\.cn)(?::\d+)?"
    r"/(?P<kind>n[12])/(?P<year>\d{4})/(?P<mmdd>\d{4})/c(?P<node>\d+)-(?P<id>\d+)\.html"
    r"(?:[?#].*)?$",
    re.IGNORECASE,
)

# Blocks of a channel page that hold its own article links (RSSHub people/index.ts).
LIST_BLOCK_CLASSES = ("p6", "p2j_list", "headingNews", "ej_list_box", "fl", "leftItem")

# Queries below name the few nodes they want first and test their ancestors after
# (`//h1[ancestor::div[...]]`, not `//div[...]//h1`): the same nodes in the same order,
# at half the cost, since lxml then tests a class on a handful of nodes, not on every
# div of the page (issue 13).
# `/descendant::h1[...]` is `//h1[...]` (the predicates are not positional) without the
# detour through every node's children: a third less per query.
_TITLE_XPATHS = (
    "/descendant::h1[ancestor::div[contains(@class, 'rm_txt')]]",
    "/descendant::h1[ancestor::div[contains(@class, 'text_title')]]",
    # Channel templates of their own (health: div.articleCont with an h2 title).
    "/descendant::h2[ancestor::div[contains(@class, 'articleCont')]]",
)


def _has_class(name: str) -> str:
    """The XPath test of CSS `.name`: parsel's translation without its leading
    `@class and`, which changes nothing (an element without a class already fails
    `contains(@class, name)`) but costs ~4 µs a query over a page's divs (issue 13)."""
    return (
        f"contains(@class, '{name}')"
        f" and contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"
    )


# The first meta line and body queries are the new template's, read on nearly every
# page: written as the XPath parsel makes of the CSS in the comment (relative to the
# page's root element, as `.css` is), with `_has_class` and the ancestor test after.
_META_LINE_QUERIES = (
    # "div.rm_txt div.col-1-1"
    f"./descendant-or-self::div[{_has_class('col-1-1')}][ancestor::div[{_has_class('rm_txt')}]]",
    "div.rm_txt .channel",
    "div.text_title div.box01 div.fl",
    "div.box01 div.fl",
    "div.artOri",
)
_BODY_QUERIES = (
    # "div.rm_txt_con"
    f"./descendant-or-self::div[{_has_class('rm_txt_con')}]",
    "div.show_text",
    "#rwb_zw",
    "div.box_con",
    "div.artDet",
)

# "div.rm_txt p.author", "div.text_title p.author", "p.author".
_BYLINE_QUERIES = (
    f"/descendant::p[{_has_class('author')}][ancestor::div[{_has_class('rm_txt')}]]",
    f"/descendant::p[{_has_class('author')}][ancestor::div[{_has_class('text_title')}]]",
    "p.author",
)
# "[class^=edit]": from the class attributes, fewer nodes than every element.
_EDITOR_XPATH = "//@class[starts-with(., 'edit')]/.."
# Inside the body: the print-edition note, "推荐阅读", the editor line, page links.
_BODY_NOISE_CSS = (
    ".paper_num",
    "#rwb_tjyd",
    "[class^=edit]",
    ".zdfy",
    "center",
    "table",
    "script",
    "style",
)
# Each of them tests only a node's own tag or attributes, so one query for all drops
# what they drop one after the other (`union_query`): one evaluation instead of eight.
_BODY_NOISE = union_query(*_BODY_NOISE_CSS)
# RSSHub reads the time off the raw page with this shape when no block has it.
_RAW_TIME_RE = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日\s*\d{1,2}:\d{2}")


def is_article_url(url: str) -> bool:
    """Tell whether `url` is a people.com.cn article page."""
    return bool(ARTICLE_URL_RE.match(url.strip()))


def canonical_url(url: str) -> str:
    """The site's own form of an article URL: http, lower-case host, no query or fragment."""
    parts = urlsplit(url.strip())
    return f"http://{(parts.hostname or '').lower()}{parts.path}"


def native_id(url: str) -> str | None:
    """The article id from `.../c<node>-<id>.html`, e.g. '41401779'."""
    match = ARTICLE_URL_RE.match(url.strip())
    return match["id"] if match else None


def parse_list(response: TextResponse) -> ListPage:
    """Article links (absolute, de-duplicated, page order) and the '下一页' link."""
    urls = _article_links(response, response.xpath(_list_links_xpath()).getall())
    if not urls:
        # A redesigned channel page: better every article link on it than none.
        logger.info("no article links in the list blocks of %s; taking all links", response.url)
        urls = _article_links(response, response.xpath("//a/@href").getall())
    return ListPage(article_urls=urls, next_page=_next_page(response))


def parse_article(response: Response) -> OpinionItem:
    """One article page as an item; incomplete (never an exception) when fields are missing."""
    url = response.url
    host = (urlsplit(url).hostname or "").lower() or None
    item = OpinionItem(
        url=url,
        source=SOURCE,
        platform="news",
        canonical_url=canonical_url(url) if is_article_url(url) else url_without_query(url),
        native_id=native_id(url),
        media=Media(domain=host),
    )
    if not isinstance(response, TextResponse):
        return mark_completeness(item)
    item.encoding = response.encoding
    meta_line = _meta_line(response)
    item.title = _title(response)
    item.published_at = _published_at(response, meta_line)
    item.media.name = _source(response, meta_line)
    # <br> separates lines inside one <p> on older pages: `paragraphs` splits there.
    lines = paragraphs(first_node(response, *_BODY_QUERIES), (_BODY_NOISE,))
    item.content = "\n".join(lines) or None
    item.author = Author(name=_author(response, lines))
    item.editor = _editor(response)
    return mark_completeness(item)


# --- list internals -------------------------------------------------------------------


def _list_links_xpath() -> str:
    """Links inside any list block, in document order (one XPath keeps the order)."""
    tests = " or ".join(
        f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"
        for name in LIST_BLOCK_CLASSES
    )
    return f"//a[ancestor::*[{tests}]]/@href"


def _article_links(response: TextResponse, hrefs: list[str]) -> list[str]:
    seen: set[str] = set()
    urls: list[str] = []
    for href in hrefs:
        absolute = url_without_query(response.urljoin(href.strip()))
        if not is_article_url(absolute):
            continue
        key = canonical_url(absolute)  # http and https links name the same article
        if key not in seen:
            seen.add(key)
            urls.append(absolute)
    return urls


def _next_page(response: TextResponse) -> str | None:
    href = response.xpath("//a[normalize-space(.)='下一页']/@href").get()
    if not href or href.strip().lower().startswith(("javascript:", "#")):
        return None
    target = response.urljoin(href.strip())
    # The last page of some channels links "下一页" to itself.
    if url_without_query(target) == url_without_query(response.url):
        return None
    return target


# --- article internals ----------------------------------------------------------------


def _title(response: TextResponse) -> str | None:
    return first_text(response, *_TITLE_XPATHS, "//h1") or strip_title_suffix(
        response.xpath("//title/text()").get()
    )


def _meta_line(response: TextResponse) -> str:
    """The '2026年11月25日09:41 | 来源：人民网' line under the title, or ''."""
    return first_text(response, *_META_LINE_QUERIES, where=_is_meta_line) or ""


def _is_meta_line(text: str) -> bool:
    return "来源" in text or find_datetime_in_text(text) is not None


def _published_at(response: TextResponse, meta_line: str) -> datetime | None:
    found = find_datetime_in_text(meta_line)
    if found is None:
        raw = _RAW_TIME_RE.search(response.text)
        found = find_datetime_in_text(raw.group(0)) if raw else None
    return found


def _source(response: TextResponse, meta_line: str) -> str | None:
    """The medium after '来源：'; the old template links it inside the title block."""
    found = source_from_text(meta_line)
    if found:
        return found
    link = response.css("div.text_title div.box01 a::text").get()
    return squash(link) or None


def _author(response: TextResponse, lines: list[str]) -> str | None:
    """The byline line (p.author), else a '（记者 X）' byline in the first paragraph."""
    for query in _BYLINE_QUERIES:
        byline = squash(" ".join(text_nodes(response, query)))
        if byline and (found := author_from_text(byline) or names_from_byline(byline)):
            return found
    if lines:
        return author_from_text(lines[0])
    return None


def _editor(response: TextResponse) -> str | None:
    for text in node_texts(response, _EDITOR_XPATH):
        if found := editor_from_text(text):
            return found
    return None


# Pages this module reads whole (`yuqing extract`, search results): found by
# spiders/_base/registry.py, so a new source never edits a table elsewhere.
URL_PARSERS: UrlParsers = [(ARTICLE_URL_RE, parse_article)]

# List pages and API answers (`yuqing extract --file`): found by the same registry.
PAGE_PARSERS: PageParsers = [
    # Channel lists: /GB/<node>/ and their index<N>.html pages.
    (re.compile(r"^https?://[\w.]*people\.com\.cn/GB/\d+/(?:index\d*\.html)?$"), parse_list),
]
