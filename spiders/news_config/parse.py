"""List and article parsers for the YAML news sites (`type: news_config`).

The entry (spiders/news_config/sites.py) says where the article links are and,
optionally, where each field is; what it does not say, the generic extractor finds.
`parse_article_report` also tells which configured selectors found nothing, so the
spider can count a template change before the field empties for good.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import yaml
from scrapy.http import Response, TextResponse

from spiders.news_config.sites import FIELDS, NewsSite, load_news_sites
from yuqing_spiders.extract.generic import extract_article
from yuqing_spiders.extract.kit.article import (
    PageParser,
    PageParsers,
    UrlParsers,
    mark_completeness,
)
from yuqing_spiders.extract.kit.byline import (
    author_from_text,
    editor_from_text,
    names_from_byline,
    source_from_text,
)
from yuqing_spiders.extract.kit.html import first_text, paragraphs, select
from yuqing_spiders.extract.kit.lists import ListPage, unique_links, url_without_query
from yuqing_spiders.extract.listing import extract_links
from yuqing_spiders.model.items import Media, OpinionItem
from yuqing_spiders.model.resources import SETTINGS_DIR
from yuqing_spiders.model.timeparse import find_datetime_in_text, parse_datetime

logger = logging.getLogger(__name__)

DEFAULT_SOURCES_FILE = SETTINGS_DIR / "sources.yaml"

_HREF_RE = re.compile(r"""href\s*=\s*["']([^"'<>\s]+)["']""", re.IGNORECASE)


def parse_list(response: TextResponse, site: NewsSite, *, page: int, first_url: str) -> ListPage:
    """Article links of a list page (page order, once each) and the next list page.

    `page` is this page's number (1 = the start URL), `first_url` the channel's page 1,
    to which a next-page template is joined.
    """
    result = ListPage(article_urls=unique_links(response, _hrefs(response, site), _pattern(site)))
    if not result.article_urls and site.list_selector is not None:
        # A redesigned list: all article links on the page beat none; counted by the spider.
        result.skip("list_selector_empty")
        hrefs = response.xpath("//a/@href").getall()
        result.article_urls = unique_links(response, hrefs, _pattern(site))
    if not result.article_urls:
        # No link fits the entry's article pattern (the site moved its articles): the
        # main list as the generic list extractor reads it, counted for a look.
        result.article_urls = [entry.url for entry in extract_links(response)]
        if result.article_urls:
            result.skip("generic_list")
    result.next_page = _next_page(response, site, page, first_url)
    return result


def parse_article(response: TextResponse, site: NewsSite) -> OpinionItem:
    return parse_article_report(response, site)[0]


def parse_article_report(response: Response, site: NewsSite) -> tuple[OpinionItem, list[str]]:
    """(item, names of configured fields whose selector found nothing)."""
    item = _base_item(response, site)
    if not isinstance(response, TextResponse):
        return mark_completeness(item), []  # no selector could run on a non-text body
    found = {name: _field(response, site, name) for name in site.selectors}
    missed = [name for name, value in found.items() if not value]
    if any(not found.get(name) for name in FIELDS):
        _fill_from_generic(item, extract_article(response))
    for name, value in found.items():
        if value:
            _set(item, name, value)
    if not item.media.name:
        item.media.name = site.name  # a page naming no 来源 is the site's own
    if item.author.name and item.author.name == item.editor:
        item.author.name = None  # the 责任编辑 is the editor, never the author
    item.encoding = response.encoding
    return mark_completeness(item), missed


def site_page_parsers(path: str | Path) -> PageParsers:
    """(start URL, list parser) of every valid YAML site, for `yuqing extract`."""
    try:
        sites, _ = load_news_sites(path)
    except (OSError, yaml.YAMLError) as error:
        logger.error("cannot read %s; YAML lists use the generic list reader: %s", path, error)
        return []
    return [
        (re.compile(re.escape(url) + "$"), _list_parser(site, url))
        for site in sites.values()
        for url in site.start_urls
    ]


def _list_parser(site: NewsSite, first_url: str) -> PageParser:
    def parse(response: TextResponse) -> ListPage:
        return parse_list(response, site, page=1, first_url=first_url)

    parse.__qualname__ = f"configured.parse_list[{site.key}]"
    return parse


def site_parsers(path: str | Path) -> UrlParsers:
    """(article pattern, parser) of every valid YAML site, for the extract registry."""
    try:
        sites, _ = load_news_sites(path)
    except (OSError, yaml.YAMLError) as error:
        logger.error("cannot read %s; YAML sites use the generic extractor: %s", path, error)
        return []
    return [(site.article_pattern, _site_parser(site)) for site in sites.values()]


# --- internals ------------------------------------------------------------------------


def _site_parser(site: NewsSite) -> Callable[[TextResponse], OpinionItem]:
    def parse(response: TextResponse) -> OpinionItem:
        return parse_article(response, site)

    parse.__qualname__ = f"configured.parse_article[{site.key}]"  # named in debug logs
    return parse


def _pattern(site: NewsSite) -> re.Pattern[str]:
    return site.article_pattern


def _hrefs(response: TextResponse, site: NewsSite) -> list[str]:
    if site.links_from == "text":
        # Lists kept in scripts or XML islands (JCMS <datastore>, document.write).
        return _HREF_RE.findall(response.text)
    if site.list_selector is None:
        return response.xpath("//a/@href").getall()
    return [
        h
        for node in select(response, site.list_selector)
        for h in node.xpath(".//a/@href").getall()
    ]


def _next_page(response: TextResponse, site: NewsSite, page: int, first_url: str) -> str | None:
    rule = site.next_page
    if rule is None:
        return None
    if rule.template is not None:
        # List page `page + 1`; the template's {page} is `first` on list page 2.
        return urljoin(first_url, rule.template.format(page=rule.first + page - 1))
    href = first_text(response, rule.link) if rule.link else None
    if not href or href.lower().startswith(("javascript:", "#")):
        return None
    target = response.urljoin(href)
    # The last page of many CMSs links "下一页" to itself.
    return None if url_without_query(target) == url_without_query(response.url) else target


def _base_item(response: Response, site: NewsSite) -> OpinionItem:
    url = response.url
    match = site.article_pattern.search(url)
    native = match.groupdict().get("id") if match else None
    return OpinionItem(
        url=url,
        source=site.key,
        platform="news",
        native_id=native,
        media=Media(domain=urlsplit(url).hostname),
    )


def _fill_from_generic(item: OpinionItem, generic: OpinionItem) -> None:
    item.canonical_url = generic.canonical_url
    item.title = generic.title
    item.published_at = generic.published_at
    item.media.name = generic.media.name
    item.author = generic.author
    item.editor = generic.editor
    item.content = generic.content


def _field(response: TextResponse, site: NewsSite, name: str) -> str | datetime | None:
    query = site.selectors[name]
    if name == "content":
        blocks = select(response, query)
        lines = [line for block in blocks for line in paragraphs(block, site.drop)]
        return "\n".join(lines) or None
    text = first_text(response, query)
    if not text:
        return None
    if name == "published_at":
        return find_datetime_in_text(text, tz=site.tz) or parse_datetime(text, tz=site.tz)
    if name == "source":
        return source_from_text(text) or text.removeprefix("来源").strip(" ：:") or None
    if name == "author":
        return author_from_text(text) or names_from_byline(text) or None
    if name == "editor":
        return editor_from_text(text) or names_from_byline(text) or None
    return text


def _set(item: OpinionItem, name: str, value: str | datetime) -> None:
    if name == "source":
        item.media.name = str(value)
    elif name == "author":
        item.author.name = str(value)
    else:
        setattr(item, name, value)


def __getattr__(name: str) -> Any:
    """`URL_PARSERS` of every `type: news_config` site, read from sources.yaml the
    first time the registry asks (not on every import of this module)."""
    if name == "URL_PARSERS":
        parsers: UrlParsers = site_parsers(DEFAULT_SOURCES_FILE)
        globals()["URL_PARSERS"] = parsers
        return parsers
    if name == "PAGE_PARSERS":
        pages: PageParsers = site_page_parsers(DEFAULT_SOURCES_FILE)
        globals()["PAGE_PARSERS"] = pages
        return pages
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
