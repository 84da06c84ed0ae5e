"""微信公众号 articles through 搜狗微信 search (parse.py has the page facts).

Per tick: the Sogou home page (cookies of a first visit), then one article search per
term, up to `max_list_pages` pages. For each result page the link cookies are
collected in Sogou's order (SUID css → JSESSIONID → SUV pixel, with the page's SNUID),
then every result link is decoded to its mp.weixin.qq.com article, which is parsed.
A captcha anywhere pauses the source (spiders/_base/guarded.py).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import scrapy

from spiders._base.guarded import GuardedSpider
from spiders._base.spider import failed_request, text_response
from spiders.weixin import parse as weixin
from yuqing_spiders.model.meta import ALLOW_EMPTY, LIST_PAGE, SOURCE

if TYPE_CHECKING:
    from scrapy.http import Response
    from scrapy.http.request import VerboseCookie
    from twisted.python.failure import Failure

    from yuqing_spiders.model.items import OpinionItem

logger = logging.getLogger(__name__)

# The link cookies, in the order Sogou's pages set them (ZC transform_token_url.py).
_COOKIE_STEPS = ("suid", "jsession", "suv")


class WeixinSpider(GuardedSpider):
    name = "weixin"
    allowed_domains = ["sogou.com", "mp.weixin.qq.com"]

    def parse(self, response: Response, **_: Any) -> Iterator[scrapy.Request]:
        """The Sogou home page (its cookies), then one search per term."""
        source = self.source_of(response)
        for term in self.search_terms(source):
            if self.paused(source):
                return
            yield self._search(weixin.search_url(term), source.key, term, 1)

    def _search(self, url: str, source: str, term: str, page: int) -> scrapy.Request:
        return scrapy.Request(
            url,
            callback=self.parse_search,
            errback=self.on_error,
            dont_filter=True,  # a search page is new every tick
            meta={SOURCE: source, "term": term, LIST_PAGE: page},
        )

    def parse_search(self, response: Response) -> Iterator[scrapy.Request]:
        """A result page: its links (after the cookie steps), then the next page."""
        source = self.source_of(response)
        if weixin.is_antispider(response):
            self.blocked(response, source, "antispider")
            return
        response = text_response(response)
        page = weixin.parse_search(response)
        self.count(source, "search_pages")
        self.count_record_errors(page.results, source.key)
        self.count(source, "search_results", len(page.results))
        if page.results:
            chain = {
                SOURCE: source.key,
                "term": response.meta["term"],
                "search_url": response.url,
                "links": [r.link for r in page.results],
                "pixel": weixin.suv_pixel_url(page.uigs),
            }
            # SNUID rides on the first step's cookies, for all of .sogou.com as Sogou sets
            # it: the jar keeps it for the link requests, and nothing logs it.
            snuid: list[VerboseCookie] | None = (
                [{"name": "SNUID", "value": page.snuid, "domain": ".sogou.com", "path": "/"}]
                if page.snuid
                else None
            )
            yield self._cookie_step(0, chain, snuid)
        number = response.meta[LIST_PAGE]
        if page.next_page and number < source.max_list_pages and not self.paused(source):
            yield self._search(page.next_page, source.key, response.meta["term"], number + 1)

    def _cookie_step(
        self, step: int, chain: dict[str, Any], cookies: list[VerboseCookie] | None = None
    ) -> scrapy.Request:
        url = (weixin.SUID_CSS_URL, weixin.JSESSION_URL, chain["pixel"])[step]
        return scrapy.Request(
            url,
            callback=self.after_cookie_step,
            errback=self.cookie_step_failed,
            cookies=cookies or [],
            dont_filter=True,
            headers={"Referer": chain["search_url"]},
            # A css, an empty page and a 1x1 gif: small by nature, not broken.
            meta={**chain, "step": step, ALLOW_EMPTY: True},
        )

    def after_cookie_step(self, response: Response) -> Iterator[scrapy.Request]:
        yield from self._next_step(response.meta)

    def cookie_step_failed(self, failure: Failure) -> Iterator[scrapy.Request]:
        """A cookie step that failed is counted; the links are still tried."""
        meta = failed_request(failure).meta
        source = self.sources.get(meta[SOURCE], self.source)
        self.count(source, f"cookie_step_failed/{_COOKIE_STEPS[meta['step']]}")
        yield from self._next_step(meta)

    def _next_step(self, meta: dict[str, Any]) -> Iterator[scrapy.Request]:
        chain = {k: meta[k] for k in (SOURCE, "term", "search_url", "links", "pixel")}
        if meta["step"] + 1 < len(_COOKIE_STEPS):
            yield self._cookie_step(meta["step"] + 1, chain)
            return
        for link in chain["links"]:
            yield scrapy.Request(
                weixin.link_request_url(link, weixin.link_k(link)),
                callback=self.parse_link,
                errback=self.on_error,
                headers={"Referer": chain["search_url"]},
                meta={SOURCE: chain[SOURCE], "term": chain["term"]},
            )

    def parse_link(self, response: Response) -> Iterator[scrapy.Request]:
        """Sogou's link page: the article URL from its `url += '...'` fragments."""
        source = self.source_of(response)
        if weixin.is_antispider(response):
            self.blocked(response, source, "antispider")
            return
        target = weixin.decode_link_page(response.text)
        if target is None:
            self.count(source, "links_undecoded")
            logger.info("%s: no article URL in link page %s", source.key, response.url)
            return
        self.count(source, "links_decoded")
        yield scrapy.Request(
            target,
            callback=self.parse_article,
            errback=self.on_error,
            meta={SOURCE: source.key, "term": response.meta.get("term")},
        )

    def parse_article(self, response: Response) -> Iterator[OpinionItem]:
        """The mp.weixin.qq.com article; captcha, deleted and expired pages are counted."""
        response = text_response(response)
        source = self.source_of(response)
        state = weixin.article_block(response)
        if state == "captcha":
            self.blocked(response, source, "mp_captcha")
            return
        if state is not None:
            self.count(source, f"articles_unavailable/{state}")
            return
        item = weixin.parse_article(response)
        item.source = source.key
        term = response.meta.get("term")
        item.found_on = f"weixin.sogou.com search: {term}" if term else None
        self.count(source, "articles")
        yield item
