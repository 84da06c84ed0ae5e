"""哔哩哔哩 Bilibili: keyword search, video detail, comments and replies, up主 cards.

Per tick: the start page `x/web-interface/nav` gives the day's WBI keys; every term
(the source's `keywords:`, else the watch-list's search queries) is searched newest
first (`order=pubdate`, WBI-signed) and paged until the results are older than
BILIBILI_LOOKBACK_HOURS, the site's page count or the source's max_list_pages. Each
video is read from `view/detail` (unsigned), which also carries the up主's card; an
up主 it lacks is looked up once per BILIBILI_PROFILE_TTL (`x/web-interface/card`,
cached in Redis). Comments (BILIBILI_COMMENT_PAGES, WBI-signed) and their replies
(BILIBILI_REPLY_DEPTH, BILIBILI_REPLY_PAGES) become CommentItems for `comments`.
The WBI keys travel in request meta: in distributed mode another worker may make
the signed requests. -412 / -352 / -799 are blocks: counted, the source pauses.

A tracked video is refreshed through `view/detail` and its comment pages: with the keys
this process read from nav within BILIBILI_WBI_KEYS_TTL at once, else after fetching
nav for them (nav unreadable: the counters alone, counted `bad_answer/nav/...`).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import scrapy

from spiders._base.social import SocialSpider, apply_profile
from spiders._base.spider import text_response
from spiders.bilibili import parse as bilibili
from yuqing_spiders.extract.kit.errors import PayloadError
from yuqing_spiders.model import meta

if TYPE_CHECKING:
    from scrapy.http import Response

    from yuqing_spiders.model.items import OpinionItem
    from yuqing_spiders.model.sources import SourceConfig

Keys = list[str]  # [img_key, sub_key], JSON-able for the queue
HEADERS = {"Referer": "https://www.bilibili.com/", "Origin": "https://www.bilibili.com"}
# Short JSON answers ({"code":0,"data":{"replies":[]}}) are answers, not empty pages.
API_META = {meta.ALLOW_EMPTY: True}


class BilibiliSpider(SocialSpider):
    name = "bilibili"
    block_reason = staticmethod(bilibili.block_reason)
    settings_prefix = "BILIBILI"
    allowed_domains = ["bilibili.com"]

    # The WBI keys this process read last, and when (monotonic): the refresh of a
    # tracked video signs its comment pages with them while they are fresh.
    _wbi: tuple[float, Keys] | None = None

    def parse(self, response: Response, **_: Any) -> Iterator[scrapy.Request]:
        """nav: the WBI keys, then page 1 of every term."""
        source = self.source_of(response)
        keys = self._nav_keys(response, source)
        if keys is None:
            return
        for term in self.search_terms(source):
            if self.paused(source):
                return
            yield self._search(source, keys, term, 1)

    # --- search ---------------------------------------------------------------------------
    def _search(self, source: SourceConfig, keys: Keys, term: str, page: int) -> scrapy.Request:
        size = self.crawler.settings.getint("BILIBILI_PAGE_SIZE")
        url = bilibili.search_url(term, page, (keys[0], keys[1]), int(self.now()), size)
        return scrapy.Request(
            url,
            callback=self.parse_search,
            errback=self.on_error,
            dont_filter=True,  # searched again on every tick
            headers=HEADERS,
            meta={
                meta.SOURCE: source.key,
                meta.LIST_PAGE: page,
                "term": term,
                "wbi": keys,
                **API_META,
            },
        )

    def parse_search(self, response: Response) -> Iterator[scrapy.Request]:
        """A result page: a detail request per video, then the next page if the window
        is not covered yet."""
        source = self.source_of(response)
        keys, term, number = (
            response.meta["wbi"],
            response.meta["term"],
            response.meta[meta.LIST_PAGE],
        )
        page = self.read(response, source, "search", bilibili.parse_search)
        if page is None:
            return
        self.count(source, "search/pages")
        self.count(source, "search/results", len(page.cards))
        self.count_record_errors(page.cards, source.key)
        for card in page.cards:
            yield self._detail(source, keys, card, term)
        if not page.cards:
            return
        if self.window_covered(page.oldest):
            self.count(source, "search/window_covered")
        elif number < min(page.pages, self.source.max_list_pages) and not self.paused(source):
            yield self._search(source, keys, term, number + 1)

    def _nav_keys(self, response: Response, source: SourceConfig) -> Keys | None:
        """nav's WBI keys (kept for refreshes), or None, counted and said once."""
        try:
            keys = list(bilibili.wbi_keys(text_response(response)))
        except PayloadError as error:
            self.count(source, f"bad_answer/nav/{error.reason}")
            self.say_once(source, "nav", "bilibili: no WBI keys in %s (%s)", response.url, error)
            return None
        self._wbi = (time.monotonic(), keys)
        return keys

    # --- refresh of a tracked video ------------------------------------------------------
    def refresh_target(self, url: str) -> str | None:
        return bilibili.bvid_of(url)

    def refresh_start_url(self, source: SourceConfig) -> str:
        return source.start_urls[0] if source.start_urls else bilibili.NAV_URL

    def refresh_detail(
        self, source: SourceConfig, target: str, extra: dict[str, Any]
    ) -> scrapy.Request | None:
        """view/detail at once when this process holds fresh WBI keys (its comment
        pages are signed with them); None: nav first (`refresh_signed`)."""
        ttl = self.crawler.settings.getfloat("BILIBILI_WBI_KEYS_TTL")
        if self._wbi is None or time.monotonic() - self._wbi[0] > ttl:
            return None
        return self._refresh(source, target, self._wbi[1], extra)

    async def refresh_signed(
        self, source: SourceConfig, target: str, response: Response, extra: dict[str, Any]
    ) -> scrapy.Request | None:
        """nav came: view/detail with its keys, or without (the counters alone)."""
        return self._refresh(source, target, self._nav_keys(response, source), extra)

    def _refresh(
        self, source: SourceConfig, target: str, keys: Keys | None, extra: dict[str, Any]
    ) -> scrapy.Request:
        wbi = {"wbi": keys} if keys else {}
        return scrapy.Request(
            bilibili.detail_url(target),
            callback=self.parse_article,
            errback=self.on_error,
            dont_filter=True,
            headers=HEADERS,
            meta={meta.SOURCE: source.key, **API_META, **wbi, **extra},
        )

    # --- videos ---------------------------------------------------------------------------
    def _detail(
        self, source: SourceConfig, keys: Keys, card: dict[str, Any], term: str
    ) -> scrapy.Request:
        return scrapy.Request(
            bilibili.detail_url(card["bvid"]),
            callback=self.parse_article,
            errback=self.on_error,
            dont_filter=True,  # a re-crawl refreshes the counters
            headers=HEADERS,
            meta={meta.SOURCE: source.key, "wbi": keys, "term": term, **API_META},
            cb_kwargs={"card": card},
        )

    def parse_article(
        self, response: Response, card: dict[str, Any] | None = None
    ) -> Iterator[OpinionItem | scrapy.Request]:
        """view/detail: the video (also the refresh of a tracked one), its comments, and
        the up主's card when the answer lacks it and the cache does not know it."""
        source = self.source_of(response)
        item = self.read(response, source, "detail", bilibili.parse_detail, card)
        if item is None:
            return
        self.count(source, "videos")
        self._finish(item, source, response)
        yield from self._comments(source, response.meta.get("wbi"), item, 1, 0)
        uid = item.author.id
        profile = item.extra.pop("profile", None)
        if profile is not None:
            self.keep_profile(uid, profile)
        elif (cached := self.cached_profile(source, uid)) is not None:
            apply_profile(item, cached)
        elif uid:
            self.count(source, "profile/fetched")
            yield scrapy.Request(
                bilibili.card_url(uid),
                callback=self.parse_card,
                errback=self.on_error,
                dont_filter=True,
                headers=HEADERS,
                meta={meta.SOURCE: source.key, "term": response.meta.get("term"), **API_META},
                cb_kwargs={"detail": response.text, "card": card},
            )
            return
        yield item

    def parse_card(
        self, response: Response, detail: str, card: dict[str, Any] | None
    ) -> Iterator[OpinionItem]:
        """x/web-interface/card: the up主's profile, cached; then the waiting video."""
        source = self.source_of(response)
        item = bilibili.parse_detail(text_response(response).replace(body=detail.encode()), card)
        self._finish(item, source, response)
        profile = self.read(response, source, "card", bilibili.parse_card)
        if profile is None:
            self.count(source, "profile/unreadable")
        else:
            self.keep_profile(item.author.id, profile)
            apply_profile(item, profile)
        yield item

    def _finish(self, item: OpinionItem, source: SourceConfig, response: Response) -> None:
        item.source = source.key
        term = response.meta.get("term")
        item.found_on = f"bilibili search: {term}" if term else None

    # --- comments -------------------------------------------------------------------------
    def _comments(
        self, source: SourceConfig, keys: Keys | None, item: OpinionItem, page: int, cursor: int
    ) -> Iterator[scrapy.Request]:
        aid = item.extra.get("aid")
        if not keys or not aid or not item.metrics.comments or page > self.comment_pages:
            return
        yield scrapy.Request(
            bilibili.comments_url(int(aid), cursor, (keys[0], keys[1]), int(self.now())),
            callback=self.parse_comments,
            errback=self.on_error,
            dont_filter=True,
            headers={**HEADERS, "Referer": item.url},
            meta={meta.SOURCE: source.key, "wbi": keys, **API_META},
            cb_kwargs={"bvid": item.native_id, "aid": int(aid), "page": page},
        )

    def parse_comments(self, response: Response, bvid: str, aid: int, page: int) -> Iterator[Any]:
        source = self.source_of(response)
        found = self.read(
            response, source, "comments", bilibili.parse_comments, bvid, first=page == 1
        )
        if found is None:
            return
        self.count(source, "comments/pages")
        self.count_record_errors(found.comments, source.key)
        yield from found.comments
        if self.reply_depth >= 1:
            for root in found.with_replies:
                yield self._replies(source, bvid, aid, root, 1)
        keys = response.meta["wbi"]
        if not found.is_end and found.next and page < self.comment_pages:
            yield scrapy.Request(
                bilibili.comments_url(aid, found.next, (keys[0], keys[1]), int(self.now())),
                callback=self.parse_comments,
                errback=self.on_error,
                dont_filter=True,
                headers=HEADERS,
                meta={meta.SOURCE: source.key, "wbi": keys, **API_META},
                cb_kwargs={"bvid": bvid, "aid": aid, "page": page + 1},
            )

    def _replies(
        self, source: SourceConfig, bvid: str, aid: int, root: str, page: int
    ) -> scrapy.Request:
        return scrapy.Request(
            bilibili.replies_url(aid, root, page),
            callback=self.parse_replies,
            errback=self.on_error,
            dont_filter=True,
            headers=HEADERS,
            meta={meta.SOURCE: source.key, **API_META},
            cb_kwargs={"bvid": bvid, "aid": aid, "root": root, "page": page},
        )

    def parse_replies(
        self, response: Response, bvid: str, aid: int, root: str, page: int
    ) -> Iterator[Any]:
        source = self.source_of(response)
        found = self.read(response, source, "replies", bilibili.parse_replies, bvid)
        if found is None:
            return
        replies, pages = found
        self.count(source, "replies/pages")
        self.count_record_errors(replies, source.key)
        yield from replies
        if page < min(pages, self.reply_pages):
            yield self._replies(source, bvid, aid, root, page + 1)

    # --- refusals -------------------------------------------------------------------------
