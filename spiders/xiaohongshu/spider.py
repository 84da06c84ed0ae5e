"""小红书 Xiaohongshu: note search, note pages, comments and replies, author profiles.

Per tick: the start page www.xiaohongshu.com (its visitor cookies a1, webId
stay in the crawl's cookie jar; the signing script runs in it), then every term (the
source's `keywords:`, else the watch-list's search queries) is searched newest first
within the `filter_note_time` preset covering XHS_LOOKBACK_HOURS (search cards carry
no time), paged with one client-made `search_id` while `has_more`, up to the source's
max_list_pages. Each note is read from its page with the card's `xsec_token` (no
signature, no login); comments (XHS_COMMENT_PAGES) with their embedded replies, and
more replies (XHS_REPLY_DEPTH, XHS_REPLY_PAGES), become CommentItems; an author's
profile page is read once per XHS_PROFILE_TTL (Redis).

API calls carry X-s / X-t made by the site's own script in a warm chromium page
(yuqing_spiders/fetch/signer.py); a call that cannot be signed is not sent. Codes
300011-300013 and the verification page are blocks: counted, the source pauses.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any, Self

import scrapy

from spiders._base.social import ProfileCache, SignedSpider, apply_profile
from spiders._base.spider import text_response
from spiders.xiaohongshu import parse as xhs
from yuqing_spiders.fetch.sessions import ops_prefix
from yuqing_spiders.model import meta
from yuqing_spiders.store.connections import redis_if_configured

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response

    from yuqing_spiders.model.sources import SourceConfig

API_META = {meta.ALLOW_EMPTY: True}
API_HEADERS = {
    "Accept": "application/json, text/plain, */*",
    "Origin": "https://www.xiaohongshu.com",
    "Referer": "https://www.xiaohongshu.com/",
}


class XiaohongshuSpider(SignedSpider):
    name = "xiaohongshu"
    block_reason = staticmethod(xhs.block_reason)
    settings_prefix = "XHS"
    allowed_domains = ["xiaohongshu.com"]

    # note id -> {"xsec_token"}: a note page opens only with the token its search card
    # carried, and tracked items are stored by their token-less URL.
    tokens: ProfileCache

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.tokens = ProfileCache(
            redis_if_configured(settings),
            settings.getfloat("XHS_TOKEN_TTL"),
            ops_prefix(settings, "xiaohongshu:xsec_token"),
        )
        return spider

    # --- refresh of a tracked note --------------------------------------------------------
    def refresh_target(self, url: str) -> str | None:
        return xhs.note_id_of(url)

    def refresh_detail(
        self, source: SourceConfig, target: str, extra: dict[str, Any]
    ) -> scrapy.Request:
        """The note page (unsigned, as in the crawl) with the token its card gave."""
        token = (self.tokens.get(target) or {}).get("xsec_token")
        if not token:
            self.count(source, "refresh/no_xsec_token")  # the page may refuse: counted
        return scrapy.Request(
            xhs.note_url(target, token) if token else xhs.canonical_note_url(target),
            callback=self.parse_article,
            errback=self.on_error,
            dont_filter=True,
            meta={meta.SOURCE: source.key, **extra},
        )

    async def _signed(
        self,
        source: SourceConfig,
        uri: str,
        callback: Callable[..., Any],
        *,
        body: str | None = None,
        extra_meta: dict[str, Any] | None = None,
        cb_kwargs: dict[str, Any] | None = None,
    ) -> scrapy.Request | None:
        """An edith API request with X-s / X-t, or None (counted) when unsigned."""
        signature = await self.signature(source, {"uri": uri, "body": body})
        if signature is None:
            return None
        headers = {
            **API_HEADERS,
            "X-s": str(signature.get("X-s")),
            "X-t": str(signature.get("X-t")),
        }
        if body is not None:
            headers["Content-Type"] = "application/json;charset=UTF-8"
        return scrapy.Request(
            xhs.API + uri,
            method="POST" if body is not None else "GET",
            body=body.encode() if body is not None else None,
            callback=callback,
            errback=self.on_error,
            dont_filter=True,
            headers=headers,
            meta={meta.SOURCE: source.key, **API_META, **(extra_meta or {})},
            cb_kwargs=cb_kwargs or {},
        )

    # --- search ---------------------------------------------------------------------------
    async def parse(self, response: Response, **_: Any) -> AsyncIterator[scrapy.Request]:
        """The explore page (visitor cookies); then page 1 of every term."""
        source = self.source_of(response)
        for term in self.search_terms(source):
            if self.paused(source):
                return
            sid = xhs.search_id(int(self.now() * 1000))
            request = await self._search(source, term, 1, sid)
            if request is not None:
                yield request

    async def _search(
        self, source: SourceConfig, term: str, page: int, sid: str
    ) -> scrapy.Request | None:
        size = self.crawler.settings.getint("XHS_PAGE_SIZE")
        body = xhs.search_body(term, page, size, sid, xhs.time_filter(self.lookback / 3600))
        return await self._signed(
            source,
            xhs.SEARCH_URI,
            self.parse_search,
            body=body,
            extra_meta={meta.LIST_PAGE: page, "term": term, "search_id": sid},
        )

    async def parse_search(self, response: Response) -> AsyncIterator[scrapy.Request]:
        source = self.source_of(response)
        term, number = response.meta["term"], response.meta[meta.LIST_PAGE]
        page = self.read(response, source, "search", xhs.parse_search)
        if page is None:
            return
        self.count(source, "search/pages")
        self.count(source, "search/results", len(page.cards))
        self.count_record_errors(page.cards, source.key)
        for card in page.cards:
            yield scrapy.Request(
                xhs.note_url(card["id"], card["xsec_token"]),
                callback=self.parse_article,
                errback=self.on_error,
                dont_filter=True,
                meta={meta.SOURCE: source.key, "term": term},
                cb_kwargs={"card": card},
            )
        more = page.cards and page.has_more and number < self.source.max_list_pages
        if more and not self.paused(source):
            request = await self._search(source, term, number + 1, response.meta["search_id"])
            if request is not None:
                yield request

    # --- notes ----------------------------------------------------------------------------
    async def parse_article(
        self, response: Response, card: dict[str, Any] | None = None
    ) -> AsyncIterator[Any]:
        """A note page: the note, its comments, the author's profile (cached)."""
        source = self.source_of(response)
        item = self.read(response, source, "note", xhs.parse_note_page, card)
        if item is None:
            return
        self.count(source, "notes")
        item.source = source.key
        term = response.meta.get("term")
        item.found_on = f"xiaohongshu search: {term}" if term else None
        token = item.extra.get("xsec_token") or ""
        if token:
            self.tokens.put(str(item.native_id), {"xsec_token": token})
        if item.metrics.comments and self.comment_pages and token:
            request = await self._comments(source, str(item.native_id), token, "", 1)
            if request is not None:
                yield request
        uid = item.author.id
        cached = self.cached_profile(source, uid)
        if cached is not None or not uid:
            if cached is not None:
                apply_profile(item, cached)
            yield item
            return
        self.count(source, "profile/fetched")
        yield scrapy.Request(
            xhs.profile_url(uid),
            callback=self.parse_profile,
            errback=self.on_error,
            dont_filter=True,
            meta={meta.SOURCE: source.key, "term": term},
            cb_kwargs={"note": response.text, "note_url": response.url, "card": card},
        )

    def parse_profile(
        self, response: Response, note: str, note_url: str, card: dict[str, Any] | None
    ) -> Any:
        source = self.source_of(response)
        page = text_response(response).replace(url=note_url, body=note.encode())
        item = xhs.parse_note_page(page, card)
        item.source = source.key
        term = response.meta.get("term")
        item.found_on = f"xiaohongshu search: {term}" if term else None
        profile = self.read(response, source, "profile", xhs.parse_profile_page)
        if profile is not None:
            self.keep_profile(item.author.id, profile)
            apply_profile(item, profile)
        yield item

    # --- comments -------------------------------------------------------------------------
    async def _comments(
        self, source: SourceConfig, note_id: str, token: str, cursor: str, page: int
    ) -> scrapy.Request | None:
        return await self._signed(
            source,
            xhs.comments_uri(note_id, cursor, token),
            self.parse_comments,
            cb_kwargs={"note_id": note_id, "token": token, "cursor": cursor, "page": page},
        )

    async def parse_comments(
        self, response: Response, note_id: str, token: str, cursor: str, page: int
    ) -> AsyncIterator[Any]:
        source = self.source_of(response)
        found = self.read(
            response, source, "comments", xhs.parse_comments, note_id, cursor_sent=cursor
        )
        if found is None:
            return
        self.count(source, "comments/pages")
        self.count_record_errors(found.comments, source.key)
        for comment in found.comments:
            if comment.reply_to and self.reply_depth < 1:
                continue  # embedded replies, not wanted at depth 0
            yield comment
        if self.reply_depth >= 1 and self.reply_pages:
            for root, sub_cursor in found.more_replies:
                request = await self._replies(source, note_id, token, root, sub_cursor, 1)
                if request is not None:
                    yield request
        if found.has_more and page < self.comment_pages:
            request = await self._comments(source, note_id, token, found.cursor, page + 1)
            if request is not None:
                yield request

    async def _replies(
        self, source: SourceConfig, note_id: str, token: str, root: str, cursor: str, page: int
    ) -> scrapy.Request | None:
        return await self._signed(
            source,
            xhs.replies_uri(note_id, root, cursor, token),
            self.parse_replies,
            cb_kwargs={
                "note_id": note_id,
                "token": token,
                "root": root,
                "cursor": cursor,
                "page": page,
            },
        )

    async def parse_replies(
        self, response: Response, note_id: str, token: str, root: str, cursor: str, page: int
    ) -> AsyncIterator[Any]:
        source = self.source_of(response)
        found = self.read(
            response, source, "replies", xhs.parse_comments, note_id, cursor_sent=cursor
        )
        if found is None:
            return
        self.count(source, "replies/pages")
        self.count_record_errors(found.comments, source.key)
        for reply in found.comments:
            reply.reply_to = reply.reply_to or root
            yield reply
        if found.has_more and page < self.reply_pages:
            request = await self._replies(source, note_id, token, root, found.cursor, page + 1)
            if request is not None:
                yield request

    # --- refusals -------------------------------------------------------------------------
