"""The generic list-page extractor: the links and titles of a page's main list.

For list pages nobody wrote selectors for (YAML sites without `list_selector`) and
the portals' HTML channel pages when their JSON feed fails. A channel page holds
many lists (navigation, hot ranking, footer links); the main one is the container
whose links carry the most headline-like titles (a headline is a sentence, a
navigation link a word), on the page's own site, each line often with a date.
"""

from __future__ import annotations

import re
from urllib.parse import urldefrag, urlsplit

from parsel import Selector
from scrapy.http import TextResponse

from yuqing_spiders.extract.kit.html import node_text, single_root, squash
from yuqing_spiders.extract.kit.lists import ListEntry
from yuqing_spiders.model.timeparse import find_datetime_in_text

# A link whose text is at least this long reads as a headline, not a menu entry.
_HEADLINE_CHARS = 8
# A main list has at least this many headline links (a channel's first page may hold
# only one story; a page with none is not a list).
_MIN_LIST_LINKS = 1
# Containers that never hold the main list.
_FURNITURE_RE = re.compile(
    r"nav|menu|footer|foot|header|top-?bar|breadcrumb|crumb|friend|links?-?box|copyright|"
    r"rank|hot|paihang",
    re.IGNORECASE,
)
_CONTAINERS = "//ul | //ol | //tbody | //div | //section | //dl"
# An article URL: a path that ends in a page or an id, not a channel folder.
_ARTICLE_PATH_RE = re.compile(
    r"(?<!/index)(?<!/default)(?:\.s?html?|\.php|/\d{4,}[^/]*|\?.*\bid=\w+)$"
)


def extract_links(response: TextResponse) -> list[ListEntry]:
    """The main list's entries (absolute URL, title, a date beside it when shown), page
    order, once each; [] when the page has no list of headlines.

    A container's score is the number of its child lines (li, tr, dd, a div per line)
    that hold a headline link on the site, article-like URLs counting full: a wrapper
    around the main list and a sidebar has two lines, not thirty. Sibling containers
    of the same kind (a long list printed as several `ul`s) join the winner."""
    response = single_root(response)
    best: Selector | None = None
    best_score = 0.0
    for container in response.xpath(_CONTAINERS):
        if _is_furniture(container):
            continue
        score = _score([link for line in _lines(container) if (link := _line_link(response, line))])
        if score > best_score:
            best, best_score = container, score
    if best is None:
        return []
    entries: list[ListEntry] = []
    seen: set[str] = set()
    for container in _with_like_siblings(best):
        for line in _lines(container):
            link = _line_link(response, line)
            if link and link[0] not in seen:
                seen.add(link[0])
                entries.append(_entry(line, *link))
    return entries if len(entries) >= _MIN_LIST_LINKS else []


def _lines(container: Selector) -> list[Selector]:
    return container.xpath("./*[not(self::script or self::style)]")


def _with_like_siblings(container: Selector) -> list[Selector]:
    """The container and the siblings of its tag and class ("ul.list" × 4)."""
    tag = container.root.tag
    cls = container.xpath("@class").get()
    test = f"[@class={_xpath_literal(cls)}]" if cls else "[not(@class)]"
    siblings = container.xpath(f"../{tag}{test}")
    return list(siblings) or [container]


def _xpath_literal(text: str) -> str:
    return f"'{text}'" if "'" not in text else f'"{text}"'


def _is_furniture(container: Selector) -> bool:
    names = " ".join(container.xpath("@class | @id").getall())
    if _FURNITURE_RE.search(names):
        return True
    return bool(container.xpath("ancestor::nav | ancestor::header | ancestor::footer"))


def _line_link(response: TextResponse, line: Selector) -> tuple[str, str] | None:
    """(URL, title) of the first headline link on the site in one list line."""
    host = (urlsplit(response.url).hostname or "").split(".", 1)[-1]
    for anchor in line.xpath("self::a[@href] | .//a[@href]"):
        title = squash(anchor.xpath("@title").get()) or node_text(anchor)
        href = (anchor.xpath("@href").get() or "").strip()
        if len(title) < _HEADLINE_CHARS or href.lower().startswith(("javascript:", "#", "mailto:")):
            continue
        url = urldefrag(response.urljoin(href))[0]
        # The site's own articles: its host or a sibling subdomain (news.x.cn, www.x.cn).
        if (urlsplit(url).hostname or "").endswith(host):
            return url, title
    return None


def _score(links: list[tuple[str, str]]) -> float:
    if len(links) < _MIN_LIST_LINKS:
        return 0.0
    articles = sum(1 for url, _ in links if _is_article_url(url))
    return articles + 0.25 * (len(links) - articles)


def _is_article_url(url: str) -> bool:
    parts = urlsplit(url)
    return bool(_ARTICLE_PATH_RE.search(parts.path + (f"?{parts.query}" if parts.query else "")))


def _entry(line: Selector, url: str, title: str) -> ListEntry:
    """One entry, with the date printed in the same list line, if any."""
    published = find_datetime_in_text(node_text(line).replace(title, " "))
    return ListEntry(url=url, title=title, published_at=published)
