"""知乎 Zhihu: keyword search, answers and articles, comments and replies, author profiles.

Per tick: the start page www.zhihu.com gives the `d_c0` cookie every signature needs
(it travels in request meta and as a cookie, so any worker can sign); then every term
(the source's `keywords:`, else the watch-list's search queries) is searched newest
first within the nearest `time_interval` preset, paged by `offset` until `is_end`, the
results are older than ZHIHU_LOOKBACK_HOURS or the source's max_list_pages. Answers
and articles are read from their API objects (whole text, IP属地); a zvideo is its
search record. Comments (ZHIHU_COMMENT_PAGES) and replies (ZHIHU_REPLY_DEPTH,
ZHIHU_REPLY_PAGES) become CommentItems; an author's profile is looked up once per
ZHIHU_PROFILE_TTL (Redis).

Every API call carries `x-zse-96`, made by the site's own script in a warm chromium
page (yuqing_spiders/fetch/signer.py); a call that cannot be signed is not sent. The
error codes 40362, 10003 (HTTP 403) and 40352 are blocks: counted, the source pauses.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any, Self

import scrapy
from scrapy.http import TextResponse

from spiders._base.social import SignedSpider, apply_profile
from spiders.zhihu import parse as zhihu
from yuqing_spiders.fetch.sessions import CookiePool, ops_prefix
from yuqing_spiders.model import meta
from yuqing_spiders.store.connections import redis_if_configured

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response

    from yuqing_spiders.model.items import OpinionItem
    from yuqing_spiders.model.sources import SourceConfig

# 403 carries error 10003 (a refusal the spider must read); short JSON is an answer.
API_META = {meta.ALLOW_EMPTY: True, "handle_httpstatus_list": [403]}


class ZhihuSpider(SignedSpider):
    name = "zhihu"
    block_reason = staticmethod(zhihu.block_reason)
    settings_prefix = "ZHIHU"
    refresh_start_setting = "ZHIHU_SIGN_PAGE"  # the home page: the d_c0 signed with
    allowed_domains = ["zhihu.com"]

    api_headers: dict[str, str]
    zst_81: str
    # d_c0 -> the cookie-pool session it belongs to: a signed call must send that one.
    sessions: dict[str, str]
    pool: CookiePool | None

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.api_headers = dict(settings.getdict("ZHIHU_API_HEADERS"))
        spider.zst_81 = str(settings.get("ZHIHU_ZST_81") or "")
        spider.sessions = {}
        client = redis_if_configured(settings)
        spider.pool = (
            CookiePool(client, "zhihu", ops_prefix(settings, "cookies")) if client else None
        )
        return spider

    async def _signed(
        self,
        source: SourceConfig,
        url: str,
        d_c0: str,
        callback: Callable[..., Any],
        *,
        extra_meta: dict[str, Any] | None = None,
        cb_kwargs: dict[str, Any] | None = None,
    ) -> scrapy.Request | None:
        """The API request with its x-zse-96, or None (counted) when no signature came."""
        argument = {"source": zhihu.sign_source(url, d_c0, self.zst_81)}
        signature = await self.signature(source, argument)
        if signature is None:
            return None
        headers = {**self.api_headers, "x-zse-96": str(signature), "Referer": zhihu.WEB + "/"}
        if self.zst_81:
            headers["x-zst-81"] = self.zst_81
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.on_error,
            dont_filter=True,  # searched and refreshed on every tick
            headers=headers,
            cookies={"d_c0": d_c0},  # the one signed, whichever worker sends it
            meta={
                meta.SOURCE: source.key,
                "d_c0": d_c0,
                **self._session_meta(d_c0),
                **API_META,
                **(extra_meta or {}),
            },
            cb_kwargs=cb_kwargs or {},
        )

    # --- sessions -------------------------------------------------------------------------
    def home_d_c0(self, response: Response, source: SourceConfig) -> str | None:
        """The d_c0 to sign with after the home page: the cookie-pool session's (the
        pool sends its own cookies, the jar's are bypassed), else the one the page set."""
        sid = response.meta.get(meta.COOKIE_POOL_ID)
        if sid and self.pool is not None:
            d_c0 = zhihu.d_c0_cookie([self.pool.cookie_of(sid) or ""])
            if not d_c0:
                self.count(source, "session_without_d_c0")
                return None
            self.sessions[d_c0] = sid
            return d_c0
        cookies = [v.decode("latin-1") for v in response.headers.getlist(b"Set-Cookie")]
        return zhihu.d_c0_cookie(cookies)

    def _session_meta(self, d_c0: str) -> dict[str, str]:
        sid = self.sessions.get(d_c0)
        return {meta.COOKIE_POOL_FORCE: sid} if sid else {}

    def source_of(self, response: Response) -> SourceConfig:
        # A call signed on another worker names its session: later calls here keep it.
        sid, d_c0 = response.meta.get(meta.COOKIE_POOL_FORCE), response.meta.get("d_c0")
        if sid and d_c0:
            self.sessions.setdefault(d_c0, sid)
        return super().source_of(response)

    # --- search ---------------------------------------------------------------------------
    async def parse(self, response: Response, **_: Any) -> AsyncIterator[scrapy.Request]:
        """The home page: its d_c0 cookie; then page 1 of every term."""
        source = self.source_of(response)
        d_c0 = self.home_d_c0(response, source)
        if not d_c0:
            self.count(source, "no_d_c0")
            self.say_once(source, "d_c0", "zhihu: no d_c0 cookie from %s", response.url)
            return
        for term in self.search_terms(source):
            if self.paused(source):
                return
            request = await self._search(source, d_c0, term, 0, 1)
            if request is not None:
                yield request

    async def _search(
        self, source: SourceConfig, d_c0: str, term: str, offset: int, page: int
    ) -> scrapy.Request | None:
        size = self.crawler.settings.getint("ZHIHU_PAGE_SIZE")
        interval = zhihu.time_interval(self.lookback / 3600)
        url = zhihu.search_url(term, offset, size, interval)
        return await self._signed(
            source,
            url,
            d_c0,
            self.parse_search,
            extra_meta={meta.LIST_PAGE: page, "term": term, "offset": offset},
        )

    async def parse_search(self, response: Response) -> AsyncIterator[Any]:
        source = self.source_of(response)
        d_c0, term = response.meta["d_c0"], response.meta["term"]
        page = self.read(response, source, "search", zhihu.parse_search)
        if page is None:
            return
        self.count(source, "search/pages")
        self.count(source, "search/results", len(page.records))
        self.count_record_errors(page.records, source.key)
        for record in page.records:
            url = zhihu.detail_url(record["kind"], record["id"])
            if url is None:
                origin = {"record": record, "detail": None, "url": None}
                async for out in self._finish(source, d_c0, origin, term):
                    yield out
                continue
            request = await self._signed(
                source,
                url,
                d_c0,
                self.parse_article,
                extra_meta={"term": term},
                cb_kwargs={"record": record},
            )
            if request is not None:
                yield request
        if not page.records or page.is_end:
            return
        number = response.meta[meta.LIST_PAGE]
        if self.window_covered(page.oldest):
            self.count(source, "search/window_covered")
        elif number < self.source.max_list_pages and not self.paused(source):
            size = self.crawler.settings.getint("ZHIHU_PAGE_SIZE")
            offset = response.meta["offset"] + size
            request = await self._search(source, d_c0, term, offset, number + 1)
            if request is not None:
                yield request

    # --- refresh of a tracked answer or article ------------------------------------------
    def refresh_target(self, url: str) -> str | None:
        found = zhihu.detail_of(url)
        return f"{found[0]}:{found[1]}" if found else None

    async def refresh_signed(
        self, source: SourceConfig, target: str, response: Response, extra: dict[str, Any]
    ) -> scrapy.Request | None:
        """The answer or article API object, signed with the home page's d_c0."""
        d_c0 = self.home_d_c0(response, source)
        kind, native = target.split(":", 1)
        url = zhihu.detail_url(kind, native)
        if not d_c0 or url is None:
            self.count(source, "no_d_c0")
            return None
        return await self._signed(source, url, d_c0, self.parse_article, extra_meta=extra)

    # --- answers and articles -------------------------------------------------------------
    async def parse_article(
        self, response: Response, record: dict[str, Any] | None = None
    ) -> AsyncIterator[Any]:
        source = self.source_of(response)
        if self.read(response, source, "detail", zhihu.parse_detail, record) is None:
            return
        self.count(source, "posts")
        origin = {"record": record, "detail": response.text, "url": response.url}
        async for out in self._finish(
            source, response.meta.get("d_c0", ""), origin, response.meta.get("term")
        ):
            yield out

    def _item(self, source: SourceConfig, origin: dict[str, Any], term: str | None) -> OpinionItem:
        """The item from what was read: a detail answer (with its search record), or the
        search record alone; rebuilt from these plain values after a profile lookup."""
        if origin.get("detail"):
            response = TextResponse(origin["url"], body=origin["detail"].encode(), encoding="utf-8")
            item = zhihu.parse_detail(response, origin.get("record"))
        else:
            item = zhihu.record_item(origin["record"])
        item.source = source.key
        item.found_on = f"zhihu search: {term}" if term else None
        return item

    async def _finish(
        self, source: SourceConfig, d_c0: str, origin: dict[str, Any], term: str | None
    ) -> AsyncIterator[Any]:
        """Comments, then the item (after a profile lookup when the cache lacks it)."""
        item = self._item(source, origin, term)
        kind, native = str(item.native_id).split(":", 1)
        if item.metrics.comments and self.comment_pages and d_c0:
            request = await self._comments(source, d_c0, item, kind, native, "", 1)
            if request is not None:
                yield request
        token = item.author.id
        cached = self.cached_profile(source, token)
        if cached is not None or not token or not d_c0:
            if cached is not None:
                apply_profile(item, cached)
            yield item
            return
        self.count(source, "profile/fetched")
        request = await self._signed(
            source,
            zhihu.member_url(token),
            d_c0,
            self.parse_member,
            extra_meta={"term": term},
            cb_kwargs={"origin": origin},
        )
        yield request if request is not None else item

    def parse_member(self, response: Response, origin: dict[str, Any]) -> Any:
        source = self.source_of(response)
        waiting = self._item(source, origin, response.meta.get("term"))
        profile = self.read(response, source, "member", zhihu.parse_member)
        if profile is not None:
            self.keep_profile(waiting.author.id, profile)
            apply_profile(waiting, profile)
        yield waiting

    # --- comments -------------------------------------------------------------------------
    async def _comments(
        self,
        source: SourceConfig,
        d_c0: str,
        item: OpinionItem,
        kind: str,
        native: str,
        offset: str,
        page: int,
    ) -> scrapy.Request | None:
        return await self._signed(
            source,
            zhihu.comments_url(kind, native, offset),
            d_c0,
            self.parse_comments,
            cb_kwargs={
                "item_url": item.url,
                "item_native": str(item.native_id),
                "page": page,
            },
        )

    async def parse_comments(
        self, response: Response, item_url: str, item_native: str, page: int
    ) -> AsyncIterator[Any]:
        source = self.source_of(response)
        d_c0 = response.meta["d_c0"]
        found = self.read(response, source, "comments", zhihu.parse_comments, item_url, item_native)
        if found is None:
            return
        self.count(source, "comments/pages")
        self.count_record_errors(found.comments, source.key)
        for comment in found.comments:
            yield comment
        if self.reply_depth >= 1:
            for root in found.with_replies:
                request = await self._replies(source, d_c0, root, "", item_url, item_native, 1)
                if request is not None:
                    yield request
        if found.next_offset and page < self.comment_pages:
            kind, native = item_native.split(":", 1)
            request = await self._signed(
                source,
                zhihu.comments_url(kind, native, found.next_offset),
                d_c0,
                self.parse_comments,
                cb_kwargs={"item_url": item_url, "item_native": item_native, "page": page + 1},
            )
            if request is not None:
                yield request

    async def _replies(
        self,
        source: SourceConfig,
        d_c0: str,
        root: str,
        offset: str,
        item_url: str,
        item_native: str,
        page: int,
    ) -> scrapy.Request | None:
        return await self._signed(
            source,
            zhihu.replies_url(root, offset),
            d_c0,
            self.parse_replies,
            cb_kwargs={
                "root": root,
                "item_url": item_url,
                "item_native": item_native,
                "page": page,
            },
        )

    async def parse_replies(
        self, response: Response, root: str, item_url: str, item_native: str, page: int
    ) -> AsyncIterator[Any]:
        source = self.source_of(response)
        found = self.read(response, source, "replies", zhihu.parse_comments, item_url, item_native)
        if found is None:
            return
        self.count(source, "replies/pages")
        self.count_record_errors(found.comments, source.key)
        for reply in found.comments:
            reply.reply_to = reply.reply_to or root
            yield reply
        if found.next_offset and page < self.reply_pages:
            request = await self._replies(
                source,
                response.meta["d_c0"],
                root,
                found.next_offset,
                item_url,
                item_native,
                page + 1,
            )
            if request is not None:
                yield request

    # --- refusals -------------------------------------------------------------------------
