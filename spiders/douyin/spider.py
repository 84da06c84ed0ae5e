"""抖音 Douyin: keyword search, video detail, comments and replies, creator profiles.

Per tick: the start page www.douyin.com (the page the signing script runs in), then
every term (the source's `keywords:`, else the watch-list's search queries) is
searched newest first within the nearest publish-time preset, paged by `offset` +
`search_id` until `has_more` ends, the results are older than DOUYIN_LOOKBACK_HOURS
or the source's max_list_pages. Each video is read from aweme/detail; comments
(DOUYIN_COMMENT_PAGES) and replies (DOUYIN_REPLY_DEPTH, DOUYIN_REPLY_PAGES) become
CommentItems; a creator's profile is looked up once per DOUYIN_PROFILE_TTL (Redis).

Every call carries `a_bogus`, made by the site's own script in a warm chromium page
(yuqing_spiders/fetch/signer.py); a request that cannot be signed is not sent
(counted). The signature covers the User-Agent, so signed requests pin
DOUYIN_USER_AGENT. An empty 200, the body `blocked` and the `verify_check` search
wall are blocks: counted, the source pauses (parse.py has the page facts).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Any, Self

import scrapy

from spiders._base.social import SignedSpider, apply_profile
from spiders._base.spider import text_response
from spiders.douyin import parse as douyin
from yuqing_spiders.model import meta

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Response

    from yuqing_spiders.model.sources import SourceConfig

API_META = {meta.ALLOW_EMPTY: True}  # an empty 200 is a block the spider must see


class DouyinSpider(SignedSpider):
    name = "douyin"
    block_reason = staticmethod(douyin.block_reason)
    settings_prefix = "DOUYIN"
    refresh_start_setting = "DOUYIN_SIGN_PAGE"
    allowed_domains = ["douyin.com", "bytedance.com"]  # ttwid: the visitor cookie

    user_agent: str

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.user_agent = settings["DOUYIN_USER_AGENT"]
        return spider

    # --- signed requests ------------------------------------------------------------------
    async def _signed(
        self,
        source: SourceConfig,
        api: str,
        params: str,
        callback: Callable[..., Any],
        *,
        extra_meta: dict[str, Any] | None = None,
        cb_kwargs: dict[str, Any] | None = None,
    ) -> scrapy.Request | None:
        """The request with its a_bogus, or None (counted) when no signature came."""
        argument = {"params": params, "body": "", "ua": self.user_agent}
        a_bogus = await self.signature(source, argument)
        if a_bogus is None:
            return None
        return scrapy.Request(
            douyin.signed_url(api, params, str(a_bogus)),
            callback=callback,
            errback=self.on_error,
            dont_filter=True,  # lists and counters are asked for again on every tick
            headers={"Referer": "https://www.douyin.com/", "Accept": "application/json"},
            meta={
                meta.SOURCE: source.key,
                meta.USER_AGENT: self.user_agent,  # the one the signature covers
                **API_META,
                **(extra_meta or {}),
            },
            cb_kwargs=cb_kwargs or {},
        )

    # --- search ---------------------------------------------------------------------------
    async def parse(self, response: Response, **_: Any) -> AsyncIterator[scrapy.Request]:
        """The start page; then page 1 of every term."""
        source = self.source_of(response)
        for term in self.search_terms(source):
            if self.paused(source):
                return
            request = await self._search(source, term, 0, "", 1)
            if request is not None:
                yield request

    async def _search(
        self, source: SourceConfig, term: str, offset: int, search_id: str, page: int
    ) -> scrapy.Request | None:
        size = self.crawler.settings.getint("DOUYIN_PAGE_SIZE")
        preset = douyin.publish_preset(self.lookback / 3600)
        params = douyin.search_params(term, offset, size, search_id, preset)
        return await self._signed(
            source,
            douyin.SEARCH_API,
            params,
            self.parse_search,
            extra_meta={meta.LIST_PAGE: page, "term": term},
        )

    async def parse_search(self, response: Response) -> AsyncIterator[scrapy.Request]:
        source = self.source_of(response)
        term, number = response.meta["term"], response.meta[meta.LIST_PAGE]
        page = self.read(response, source, "search", douyin.parse_search)
        if page is None:
            return
        self.count(source, "search/pages")
        self.count(source, "search/results", len(page.awemes))
        self.count_record_errors(page.awemes, source.key)
        for aweme in page.awemes:
            request = await self._signed(
                source,
                douyin.DETAIL_API,
                douyin.detail_params(aweme["aweme_id"]),
                self.parse_article,
                extra_meta={"term": term},
            )
            if request is not None:
                yield request
        if not page.awemes or not page.has_more:
            return
        if self.window_covered(page.oldest):
            self.count(source, "search/window_covered")
        elif number < self.source.max_list_pages and not self.paused(source):
            request = await self._search(source, term, page.cursor, page.search_id, number + 1)
            if request is not None:
                yield request

    # --- refresh of a tracked video ------------------------------------------------------
    def refresh_target(self, url: str) -> str | None:
        return douyin.aweme_id_of(url)

    async def refresh_signed(
        self, source: SourceConfig, target: str, response: Response, extra: dict[str, Any]
    ) -> scrapy.Request | None:
        """aweme/detail, signed like the crawl's: counters, comments, the profile."""
        return await self._signed(
            source,
            douyin.DETAIL_API,
            douyin.detail_params(target),
            self.parse_article,
            extra_meta=extra,
        )

    # --- videos ---------------------------------------------------------------------------
    async def parse_article(self, response: Response) -> AsyncIterator[Any]:
        """aweme/detail: the video, its comments, the creator's profile (cached)."""
        source = self.source_of(response)
        item = self.read(response, source, "detail", douyin.parse_detail)
        if item is None:
            return
        self.count(source, "videos")
        self._finish(item, source, response)
        if item.metrics.comments and self.comment_pages:
            request = await self._comments(source, str(item.native_id), 0, 1)
            if request is not None:
                yield request
        sec_uid = item.author.id
        cached = self.cached_profile(source, sec_uid)
        if cached is not None or not sec_uid:
            if cached is not None:
                apply_profile(item, cached)
            yield item
            return
        self.count(source, "profile/fetched")
        request = await self._signed(
            source,
            douyin.PROFILE_API,
            douyin.profile_params(sec_uid),
            self.parse_profile,
            extra_meta={"term": response.meta.get("term")},
            cb_kwargs={"detail": response.text},
        )
        yield request if request is not None else item

    def parse_profile(self, response: Response, detail: str) -> Any:
        """user/profile/other: the creator's profile, cached; then the waiting video."""
        source = self.source_of(response)
        item = douyin.parse_detail(text_response(response).replace(body=detail.encode()))
        self._finish(item, source, response)
        profile = self.read(response, source, "profile", douyin.parse_profile)
        if profile is not None:
            self.keep_profile(item.author.id, profile)
            apply_profile(item, profile)
            # The profile's follower count is the creator's own, not the post's copy.
            item.author.followers = profile.get("followers") or item.author.followers
        yield item

    def _finish(self, item: Any, source: SourceConfig, response: Response) -> None:
        item.source = source.key
        term = response.meta.get("term")
        item.found_on = f"douyin search: {term}" if term else None

    # --- comments -------------------------------------------------------------------------
    async def _comments(
        self, source: SourceConfig, aweme_id: str, cursor: int, page: int
    ) -> scrapy.Request | None:
        return await self._signed(
            source,
            douyin.COMMENTS_API,
            douyin.comments_params(aweme_id, cursor),
            self.parse_comments,
            cb_kwargs={"aweme_id": aweme_id, "page": page},
        )

    async def parse_comments(
        self, response: Response, aweme_id: str, page: int
    ) -> AsyncIterator[Any]:
        source = self.source_of(response)
        found = self.read(response, source, "comments", douyin.parse_comments, aweme_id)
        if found is None:
            return
        self.count(source, "comments/pages")
        self.count_record_errors(found.comments, source.key)
        for comment in found.comments:
            yield comment
        if self.reply_depth >= 1:
            for root in found.with_replies:
                request = await self._replies(source, aweme_id, root, 0, 1)
                if request is not None:
                    yield request
        if found.has_more and page < self.comment_pages:
            request = await self._comments(source, aweme_id, found.cursor, page + 1)
            if request is not None:
                yield request

    async def _replies(
        self, source: SourceConfig, aweme_id: str, root: str, cursor: int, page: int
    ) -> scrapy.Request | None:
        return await self._signed(
            source,
            douyin.REPLIES_API,
            douyin.replies_params(aweme_id, root, cursor),
            self.parse_replies,
            cb_kwargs={"aweme_id": aweme_id, "root": root, "page": page},
        )

    async def parse_replies(
        self, response: Response, aweme_id: str, root: str, page: int
    ) -> AsyncIterator[Any]:
        source = self.source_of(response)
        found = self.read(response, source, "replies", douyin.parse_comments, aweme_id)
        if found is None:
            return
        self.count(source, "replies/pages")
        self.count_record_errors(found.comments, source.key)
        for reply in found.comments:
            yield reply
        if found.has_more and page < self.reply_pages:
            request = await self._replies(source, aweme_id, root, found.cursor, page + 1)
            if request is not None:
                yield request

    # --- refusals -------------------------------------------------------------------------
