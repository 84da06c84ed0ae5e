"""百度贴吧: the configured bars' threads and floors (parse.py has the facts).

Per tick: tbs from the sync call, then each bar of `bars:` through the signed JSON API
(`frs/page_pc`, then `pb/page_pc` per thread). When the API refuses (an error code, no
JSON, a captcha) or answers for another bar or thread than asked, the legacy HTML
pages are used instead, since some clients are still served them. A thread page that
shows 百度安全验证 is rendered once in chromium (`TIEBA_BROWSER_FALLBACK`); if that
fails too the source pauses and the thread is kept, incomplete, from its list row.
Threads are items (reply count in `metrics.comments`), floors 2+ are CommentItems.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import scrapy

from spiders._base.guarded import GuardedSpider
from spiders._base.spider import failed_request, text_response
from spiders.tieba import parse as tieba
from yuqing_spiders.extract.kit.errors import PayloadError
from yuqing_spiders.extract.kit.payload import load_json
from yuqing_spiders.model.meta import LIST_PAGE, SOURCE

if TYPE_CHECKING:
    from scrapy.http import Response
    from twisted.python.failure import Failure

    from yuqing_spiders.model.items import CommentItem, OpinionItem
    from yuqing_spiders.model.sources import SourceConfig

Output = Iterator["OpinionItem | CommentItem | scrapy.Request"]


class TiebaSpider(GuardedSpider):
    name = "tieba"
    option_keys = frozenset({"keywords", "bars", "max_thread_pages"})
    allowed_domains = ["baidu.com", "bcebos.com"]

    @property
    def secret(self) -> str:
        return self.crawler.settings["TIEBA_SIGN_SECRET"]

    def parse(self, response: Response, **_: Any) -> Iterator[scrapy.Request]:
        """The sync call (tbs); then every bar through the JSON API, or legacy pages."""
        response = text_response(response)
        source = self.source_of(response)
        tbs = tieba.parse_tbs(response)
        if tbs is None:
            self._refused(response, source, "no_tbs")
        for bar in source.options.get("bars") or []:
            if self.paused(source):
                return
            if tbs is None:
                yield self._legacy_bar(source, str(bar))
                continue
            yield self._frs(source, str(bar), 1, tbs)

    def _frs(self, source: SourceConfig, bar: str, page: int, tbs: str) -> scrapy.Request:
        return scrapy.FormRequest(
            tieba.FRS_URL,
            formdata=tieba.frs_form(bar, page, tbs, self.secret),
            callback=self.parse_frs,
            errback=self.on_error,
            dont_filter=True,
            meta={SOURCE: source.key, "bar": bar, "tbs": tbs, LIST_PAGE: page},
        )

    def parse_frs(self, response: Response) -> Iterator[scrapy.Request]:
        """A bar's thread list from the API; refused or mismatched → the legacy page."""
        source, bar = self.source_of(response), response.meta["bar"]
        data = self._api_data(response, source)
        page = tieba.parse_frs(data) if data is not None else None
        if page is None or page.bar != bar:
            if page is not None:
                self.count(source, "api_mismatch/frs")
            if not self.paused(source):
                yield self._legacy_bar(source, bar)
            return
        self.count(source, "bar_pages")
        self.count_record_errors(page.threads, source.key)
        for ref in page.threads:
            yield self._pb(source, ref.to_meta(), 1, response.meta["tbs"])
        number = response.meta.get(LIST_PAGE, 1)
        if page.has_more and number < source.max_list_pages and not self.paused(source):
            yield self._frs(source, bar, number + 1, response.meta["tbs"])

    def _pb(self, source: SourceConfig, ref: dict[str, Any], page: int, tbs: str) -> scrapy.Request:
        return scrapy.FormRequest(
            tieba.PB_URL,
            formdata=tieba.pb_form(ref["tid"], page, tbs, self.secret),
            callback=self.parse_pb,
            errback=self.on_error,
            meta={SOURCE: source.key, "thread_ref": ref, "page": page, "tbs": tbs},
        )

    def parse_pb(self, response: Response) -> Output:
        """A thread from the API: item and floors, then its next page."""
        source, ref, page = (
            self.source_of(response),
            response.meta["thread_ref"],
            response.meta["page"],
        )
        data = self._api_data(response, source)
        thread = tieba.parse_pb(data, source.key) if data is not None else None
        if thread is None or thread.tid != ref["tid"] or thread.page != page:
            if thread is not None:
                self.count(source, "api_mismatch/pb")
            yield self._legacy_thread(source, ref, page)
            return
        self.count_record_errors(thread.floors, source.key)
        yield from self._emit(source, thread)
        if page < min(thread.total_pages, int(source.options.get("max_thread_pages", 3))):
            yield self._pb(source, ref, page + 1, response.meta["tbs"])

    # --- legacy HTML ------------------------------------------------------------------
    def _legacy_bar(self, source: SourceConfig, bar: str, page: int = 1) -> scrapy.Request:
        self.count(source, "legacy_bar_requests")
        return scrapy.Request(
            tieba.legacy_bar_url(bar, page),
            callback=self.parse_legacy_bar,
            errback=self.on_error,
            dont_filter=True,
            meta={SOURCE: source.key, "bar": bar, LIST_PAGE: page},
        )

    def parse_legacy_bar(self, response: Response) -> Iterator[scrapy.Request]:
        source = self.source_of(response)
        if tieba.is_antispider(response):
            self.blocked(response, source, "captcha")
            return
        response = text_response(response)
        page = tieba.parse_legacy_bar(response)
        self.count(source, "legacy_bar_pages")
        for ref in page.threads:
            yield self._legacy_thread(source, ref.to_meta(), 1)
        number = response.meta.get(LIST_PAGE, 1)
        if page.has_more and number < source.max_list_pages and not self.paused(source):
            yield self._legacy_bar(source, response.meta["bar"], number + 1)

    def _legacy_thread(
        self, source: SourceConfig, ref: dict[str, Any], page: int
    ) -> scrapy.Request:
        url = tieba.thread_url(ref["tid"]) + (f"?pn={page}" if page > 1 else "")
        return scrapy.Request(
            url,
            callback=self.parse_article,
            errback=self.on_error,
            meta={SOURCE: source.key, "thread_ref": ref, "page": page},
        )

    def parse_article(self, response: Response) -> Output:
        """A legacy thread page (also the callback of refresh seeds for stored threads)."""
        source = self.source_of(response)
        ref = response.meta.get("thread_ref")
        if tieba.is_antispider(response):
            yield from self._captcha(response, source, ref)
            return
        response = text_response(response)
        thread = tieba.parse_legacy_thread(response, source.key)
        if thread.item is None and not thread.floors:
            self.count(source, "threads_unreadable")
            return
        self.count(source, "legacy_thread_pages")
        yield from self._emit(source, thread)
        page = response.meta.get("page", 1)
        if ref and page < min(thread.total_pages, int(source.options.get("max_thread_pages", 3))):
            yield self._legacy_thread(source, ref, page + 1)

    def _captcha(
        self, response: Response, source: SourceConfig, ref: dict[str, Any] | None
    ) -> Output:
        if not response.meta.get("playwright") and self.crawler.settings.getbool(
            "TIEBA_BROWSER_FALLBACK"
        ):
            self.count(source, "captcha_to_browser")
            yield scrapy.Request(
                tieba.thread_url(ref["tid"]) if ref else response.url,
                callback=self.parse_article,
                errback=self.browser_failed,
                dont_filter=True,
                meta={
                    SOURCE: source.key,
                    "thread_ref": ref,
                    "page": response.meta.get("page", 1),
                    "playwright": True,
                },
            )
            return
        self.blocked(response, source, "captcha")
        yield from self._from_list(source, ref)

    def browser_failed(self, failure: Failure) -> Output:
        """Chromium could not show the thread either: a block, like a second captcha."""
        self.on_error(failure)
        request = failed_request(failure)
        source = self.sources.get(request.meta[SOURCE], self.source)
        self.blocked(scrapy.http.Response(request.url, request=request), source, "captcha")
        yield from self._from_list(source, request.meta.get("thread_ref"))

    def _from_list(self, source: SourceConfig, ref: dict[str, Any] | None) -> Output:
        """The thread as its bar's list showed it, stored incomplete (no post text)."""
        if ref and ref.get("title"):
            self.count(source, "threads_from_list_only")
            yield tieba.ref_item(ref, source.key)

    # --- shared ------------------------------------------------------------------------
    def _api_data(self, response: Response, source: SourceConfig) -> dict[str, Any] | None:
        """The API's JSON, or None after counting why it is unusable."""
        if tieba.is_antispider(response):
            self.blocked(response, source, "captcha")
            return None
        try:
            data: Any = load_json(response.text)
        except PayloadError:
            data = None  # api_error names it invalid_json
        error = tieba.api_error(data)
        if error is not None:
            self.api_error(response, source, error)
            return None
        return data

    def _refused(self, response: Response, source: SourceConfig, what: str) -> None:
        if tieba.is_antispider(response):
            self.blocked(response, source, "captcha")
        else:
            self.api_error(response, source, what)

    def _emit(self, source: SourceConfig, thread: tieba.Thread) -> Output:
        if thread.item is not None:
            self.count(source, "threads")
            yield thread.item
        self.count(source, "floors", len(thread.floors))
        yield from thread.floors
