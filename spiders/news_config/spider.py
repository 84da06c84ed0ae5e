"""One spider per `type: news_config` entry of settings/sources.yaml, made at import.

Simple news and government sites are configuration, not code (docs/adding-a-source.md):
each entry names its list pages, an article URL pattern and optionally selectors, and
gets a spider class named after its source key, so `scrapy list`, `scrapy crawl <key>`
and `yuqing run -s <key>` treat it like a hand-written spider. A broken entry is
logged with the source and key at fault and gets no spider; the others still do.
Extraction is in spiders/news_config/parse.py.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self

import scrapy
import yaml
from scrapy.http import TextResponse
from scrapy.utils.project import get_project_settings

from spiders._base.spider import YuqingSpider, referer
from spiders.news_config import parse as configured
from spiders.news_config.sites import NEWS_OPTION_KEYS, NewsSite, load_news_sites, news_site
from yuqing_spiders.model.meta import KIND, LIST_PAGE, render_meta
from yuqing_spiders.model.resources import SETTINGS_DIR

if TYPE_CHECKING:
    from scrapy.crawler import Crawler

    from yuqing_spiders.model.items import OpinionItem
    from yuqing_spiders.queue.seeds import Seed

logger = logging.getLogger(__name__)


# List pages that need JavaScript: rendered in chromium (yuqing_spiders/fetch/browser.py),
# read once the page's own requests have settled. Plain values only, so the request
# still travels as JSON through the shared Redis queue.
# What a list page hands to the next one (not Scrapy's own download bookkeeping).
_LIST_META_KEYS = (KIND, "first_url", *render_meta())


class NewsConfigSpider(YuqingSpider):
    """Navigation for a YAML news site: list pages, their next pages, the articles."""

    site: NewsSite
    # Every option of a YAML site is checked by news_site (sites.py), key by key.
    option_keys = NEWS_OPTION_KEYS

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        # Checked again from the crawler's own sources file (a -S override included).
        spider.site = news_site(spider.source)
        # Scrapy's offsite filter and the safe-fetch redirect check read this.
        spider.allowed_domains = list(spider.site.allowed_domains)
        return spider

    def seed_request(self, seed: Seed) -> scrapy.Request:
        request = super().seed_request(seed)
        if seed.kind == "list":
            request.meta["first_url"] = seed.url
            if self.site.playwright:
                request.meta.update(render_meta())
        return request

    def parse(self, response: scrapy.http.Response, **_: Any) -> Iterator[scrapy.Request]:
        """A list page: its article links, then the next list page."""
        if not isinstance(response, TextResponse):
            self._count("not_text")
            return
        response = self._decoded(response)
        number = response.meta.get(LIST_PAGE, 1)
        first_url = response.meta.get("first_url", response.url)
        page = configured.parse_list(response, self.site, page=number, first_url=first_url)
        self._count("list_pages")
        self._count("articles_linked", len(page.article_urls))
        for reason, count in page.skipped.items():
            self._count(reason, count)
            logger.warning("%s: %s on %s", self.name, reason, response.url)
        if not page.article_urls:
            logger.warning("%s: no article links on %s", self.name, response.url)
        for url in page.article_urls:
            yield response.follow(url, self.parse_article, errback=self.on_error)
        if page.next_page and number < self.site.max_list_pages:
            meta = {k: response.meta[k] for k in _LIST_META_KEYS if k in response.meta}
            yield response.follow(
                page.next_page,
                self.parse,
                errback=self.on_error,
                dont_filter=True,
                meta={**meta, LIST_PAGE: number + 1},
            )

    def parse_article(self, response: scrapy.http.Response) -> Iterator[OpinionItem]:
        """An article page: the entry's selectors, the generic extractor for the rest."""
        if isinstance(response, TextResponse):
            response = self._decoded(response)
        item, missed = configured.parse_article_report(response, self.site)
        for name in missed:
            # The template changed under a configured selector: the generic extractor
            # filled in, but the entry wants a look.
            self._count(f"selector_missed/{name}")
        item.found_on = referer(response)
        yield item

    def _decoded(self, response: TextResponse) -> TextResponse:
        """The response in the entry's `encoding`, when it forces one (never a render)."""
        wanted = self.site.encoding
        if not wanted or response.meta.get("playwright") or response.encoding == wanted:
            return response
        self._count("encoding_forced")
        return response.replace(encoding=wanted)

    def _count(self, what: str, value: int = 1) -> None:
        self.crawler.stats.inc_value(f"news_config/{self.name}/{what}", value)


def _class_name(key: str) -> str:
    return "".join(part.capitalize() for part in re.split(r"[^0-9A-Za-z]+", key)) + "Spider"


def _sources_file() -> str:
    path = get_project_settings().get("YUQING_SOURCES_FILE")
    return path or str(SETTINGS_DIR / "sources.yaml")


def generate(path: str) -> dict[str, type[NewsConfigSpider]]:
    """A NewsConfigSpider subclass per valid entry of `path`; errors logged, never raised."""
    try:
        sites, errors = load_news_sites(path)
    except (OSError, yaml.YAMLError) as error:
        logger.error("cannot read %s, no YAML news spiders: %s", path, error)
        return {}
    for message in errors.values():
        logger.error("%s (no spider for this source)", message)
    classes: dict[str, type[NewsConfigSpider]] = {}
    for key, site in sites.items():
        doc = f"{site.name} ({key}): a YAML news site from {Path(path).name}."
        attrs = {"name": key, "__module__": __name__, "__doc__": doc}
        classes[_class_name(key)] = type(_class_name(key), (NewsConfigSpider,), attrs)
    return classes


globals().update(generate(_sources_file()))
