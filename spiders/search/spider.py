"""Keyword monitoring: search the watch-list's queries, follow results to articles.

A search source's start URL is the engine's (or site's) own page, fetched first as a
browser would (it sets the cookies the result pages expect, e.g. BAIDUID). Its answer
starts one search per watch-list rule with a `query` (settings/watchlist.yaml), the
first `max_queries` of them. Result pages are parsed by pure functions
(parse.py, parse_sites.py); each result is followed to its
article, which the site's parser reads (else the generic extractor), and the article
itself is matched against the watch-list: it keeps the rules and terms it matches, and
an article that matches none is counted as `search/false_positive` and not stored.

A captcha or antispider page is never read as results: it is counted
(`search/captcha/<engine>`), logged, and the engine is put on a cluster-wide cooldown
(yuqing_spiders/fetch/cooldown.py) during which no worker asks it anything.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any, ClassVar, Self
from urllib.parse import urlsplit

import scrapy
from scrapy.crawler import Crawler
from scrapy.http import Response, TextResponse

from spiders._base.registry import parser_for
from spiders._base.spider import YuqingSpider
from spiders.search.parse import ResultPage, SearchResult, captcha_reason
from yuqing_spiders.analysis.watchlist import Rule, Watchlist, load_watchlist
from yuqing_spiders.extract.generic import extract_article
from yuqing_spiders.extract.kit.errors import PayloadError
from yuqing_spiders.fetch.addresses import site_of
from yuqing_spiders.fetch.cooldown import Cooldown
from yuqing_spiders.model.items import OpinionItem
from yuqing_spiders.model.meta import LIST_PAGE, REDIRECT_ANY_HOST
from yuqing_spiders.store.connections import redis_if_configured

logger = logging.getLogger(__name__)


class SearchSpider(YuqingSpider):
    """Subclasses set `engine` and implement `search_request` and `results`."""

    engine: ClassVar[str]
    option_keys: ClassVar[frozenset[str]] = frozenset({"max_queries"})

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.watchlist = load_watchlist(settings["YUQING_WATCHLIST_FILE"])
        spider.cooldown = Cooldown(redis_if_configured(settings), settings["SEARCH_COOLDOWN_KEY"])
        spider.cooldown_seconds = settings.getfloat("SEARCH_COOLDOWN_SECONDS")
        spider.bad_answer_cooldown = settings.getfloat("SEARCH_BAD_ANSWER_COOLDOWN")
        # The engine's own site; result links leave it on purpose (see _article_request).
        spider.allowed_domains = sorted(
            {site_of(urlsplit(u).hostname or "") for u in spider.source.start_urls}
        )
        return spider

    watchlist: Watchlist
    cooldown: Cooldown
    cooldown_seconds: float  # after a captcha page
    bad_answer_cooldown: float  # after an answer that is not a result page

    # --- what each engine provides ----------------------------------------------------

    def search_request(self, rule: Rule, page: int) -> scrapy.Request:
        raise NotImplementedError

    def results(self, response: Response) -> ResultPage:
        raise NotImplementedError

    # --- navigation ---------------------------------------------------------------------

    def parse(self, response: Response, **_: Any) -> Iterator[scrapy.Request]:
        """The engine's own page (cookies set): one search per watch-list query."""
        if self._blocked(response) or self._cooling_down():
            return
        rules = self.watchlist.searches()
        limit = int(self.source.options.get("max_queries") or len(rules))
        self.crawler.stats.inc_value(f"search/queries/{self.engine}", min(limit, len(rules)))
        for rule in rules[:limit]:
            request = self.search_request(rule, 1)
            request.meta.update({"search_rule": rule.id, "search_query": rule.query, LIST_PAGE: 1})
            yield request

    def parse_results(self, response: Response) -> Iterator[scrapy.Request]:
        if self._blocked(response):
            return
        stats = self.crawler.stats
        try:
            page = self.results(response)
        except PayloadError as exc:
            self._bad_answer(response, exc.reason, exc)
            return
        stats.inc_value(f"search/result_pages/{self.engine}")
        self.count_record_errors(page.results)
        if not page.results:
            stats.inc_value(f"search/empty/{self.engine}")
            logger.info("%s: no results for %r", self.name, response.meta.get("search_query"))
            return
        stats.inc_value(f"search/results/{self.engine}", len(page.results))
        for result in page.results:
            yield self._article_request(response, result)
        depth = response.meta.get(LIST_PAGE, 1)
        if page.next_page and depth < self.source.max_list_pages:
            rule = self.watchlist.rule(response.meta["search_rule"])
            if rule is not None:
                following = self.search_request(rule, depth + 1)
                following.meta.update({**response.meta, LIST_PAGE: depth + 1})
                yield following

    def parse_article(self, response: Response) -> Iterator[OpinionItem]:
        item = self._extract(response)
        result = SearchResult.from_meta(response.meta.get("search_result"))
        if result is not None:
            self._fill_from_result(item, result)
        text = "\n".join(filter(None, (item.title, item.content)))
        matches = self.watchlist.match(text)
        stats = self.crawler.stats
        if not matches:
            stats.inc_value("search/false_positive")
            stats.inc_value(f"search/false_positive/{self.engine}")
            logger.debug(
                "%s: %s does not match the watch-list; not stored", self.name, response.url
            )
            return
        if response.meta.get("search_rule") not in {m.rule for m in matches}:
            stats.inc_value("search/matched_other_rule")
        stats.inc_value(f"search/matched/{self.engine}")
        item.watch = matches
        item.keywords = list(
            dict.fromkeys([*item.keywords, *(t for m in matches for t in m.terms)])
        )
        item.found_on = f"{self.name}:{response.meta.get('search_query')}"
        yield item

    # --- internals ------------------------------------------------------------------------

    def _article_request(self, response: Response, result: SearchResult) -> scrapy.Request:
        return scrapy.Request(
            result.url,
            callback=self.parse_article,
            errback=self.on_error,
            meta={
                # A result points at any news site, often through the engine's redirect
                # (baidu.com/link?url=...): past the offsite filter, any public host.
                "allow_offsite": True,
                REDIRECT_ANY_HOST: True,
                "search_result": result.to_meta(),
                "search_rule": response.meta.get("search_rule"),
                "search_query": response.meta.get("search_query"),
            },
        )

    def _extract(self, response: Response) -> OpinionItem:
        parser = parser_for(response.url)
        if parser is not None and isinstance(response, TextResponse):
            self.crawler.stats.inc_value("search/articles/site_parser")
            return parser(response)
        self.crawler.stats.inc_value("search/articles/generic")
        item = extract_article(response)
        item.source = self.source.key  # a site with no source of its own: found by search
        return item

    def _fill_from_result(self, item: OpinionItem, result: SearchResult) -> None:
        """The result page's title, time and medium where the article page had none."""
        for name, value in (("title", result.title), ("published_at", result.published_at)):
            if not getattr(item, name) and value:
                setattr(item, name, value)
                self.crawler.stats.inc_value(f"search/filled_from_result/{name}")
                item.missing = [m for m in item.missing if m != name]
        if not item.media.name and result.source_name:
            item.media.name = result.source_name
            self.crawler.stats.inc_value("search/filled_from_result/media.name")
        item.complete = not item.missing

    def _cooling_down(self) -> bool:
        left = self.cooldown.remaining(self.engine)
        if left:
            self.crawler.stats.inc_value(f"search/cooldown_skipped/{self.engine}")
            logger.info(
                "%s: %s cools down for %.0fs more; no searches this tick",
                self.name,
                self.engine,
                left,
            )
        return bool(left)

    def _blocked(self, response: Response) -> bool:
        reason = captcha_reason(response)
        if reason is None:
            return False
        self.crawler.stats.inc_value(f"search/captcha/{self.engine}")
        started = self.cooldown.start(self.engine, self.cooldown_seconds, reason)
        logger.warning(
            "%s: %s answered with a captcha page (%s) at %s; %s",
            self.name,
            self.engine,
            reason,
            response.url,
            f"no searches there for {self.cooldown_seconds:.0f}s"
            if started
            else "already cooling down",
        )
        return True

    def _bad_answer(self, response: Response, reason: str, error: Exception) -> None:
        self.crawler.stats.inc_value(f"search/bad_answer/{self.engine}/{reason}")
        self.cooldown.start(self.engine, self.bad_answer_cooldown, f"bad answer: {reason}")
        logger.warning(
            "%s: unusable answer for %r from %s (%s); backing off %.0fs",
            self.name,
            response.meta.get("search_query"),
            response.url,
            error,
            self.bad_answer_cooldown,
        )
