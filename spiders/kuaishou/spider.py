"""快手 Kuaishou: keyword search, comments and replies, creator profiles.

Per tick: the start page www.kuaishou.com (the page whose hidden signer is caught,
KUAISHOU_SIGN_INIT); then every term (the source's `keywords:`, else the watch-list's
search queries) is searched on the signed REST feed, paged by `pcursor` with the
first answer's `searchSessionId` until `no_more`, an empty page, results older than
KUAISHOU_LOOKBACK_HOURS or the source's max_list_pages. A search feed holds the whole
video; a tracked video is refreshed through the unsigned GraphQL visionVideoDetail
(its counters, its comments again, the creator's profile as for a search hit).
Comments (KUAISHOU_COMMENT_PAGES) and replies (KUAISHOU_REPLY_DEPTH,
KUAISHOU_REPLY_PAGES) become CommentItems; a creator's profile
(GraphQL visionProfile) is looked up once per KUAISHOU_PROFILE_TTL (Redis).

Only search is signed (`__NS_hxfalcon`, over the body: a retry is signed again); a
search that cannot be signed is not sent. `result` 2 (rate limited) and 2001 (captcha)
are blocks: counted, the source pauses; an empty first page with `result` 1 is the
silent block public reports describe: counted and logged with its body.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

import scrapy

from spiders._base.social import SignedSpider, apply_profile
from spiders.kuaishou import parse as kuaishou
from yuqing_spiders.model import meta

if TYPE_CHECKING:
    from scrapy.http import Response

    from yuqing_spiders.model.items import OpinionItem
    from yuqing_spiders.model.sources import SourceConfig

logger = logging.getLogger(__name__)

API_META = {meta.ALLOW_EMPTY: True}
HEADERS = {
    "Content-Type": "application/json",
    "Origin": "https://www.kuaishou.com",
    "Referer": "https://www.kuaishou.com/search/video",
}


class KuaishouSpider(SignedSpider):
    name = "kuaishou"
    block_reason = staticmethod(kuaishou.block_reason)
    settings_prefix = "KUAISHOU"
    allowed_domains = ["kuaishou.com"]

    def _post(
        self, url: str, body: str, callback: Any, source: SourceConfig, **cb_kwargs: Any
    ) -> scrapy.Request:
        return scrapy.Request(
            url,
            method="POST",
            body=body.encode(),
            callback=callback,
            errback=self.on_error,
            dont_filter=True,  # POSTs of one path differ by their bodies
            headers=HEADERS,
            meta={meta.SOURCE: source.key, **API_META, **cb_kwargs.pop("extra_meta", {})},
            cb_kwargs=cb_kwargs,
        )

    # --- search ---------------------------------------------------------------------------
    async def parse(self, response: Response, **_: Any) -> AsyncIterator[scrapy.Request]:
        source = self.source_of(response)
        for term in self.search_terms(source):
            if self.paused(source):
                return
            request = await self._search(source, term, "", "", 1)
            if request is not None:
                yield request

    async def _search(
        self, source: SourceConfig, term: str, pcursor: str, session_id: str, page: int
    ) -> scrapy.Request | None:
        body = kuaishou.search_body(term, pcursor, session_id)
        argument = {"url": kuaishou.SEARCH_PATH, "body": body}
        signature = await self.signature(source, argument)
        if signature is None:
            return None
        return self._post(
            kuaishou.search_url(str(signature)),
            body,
            self.parse_search,
            source,
            extra_meta={meta.LIST_PAGE: page, "term": term},
        )

    async def parse_search(self, response: Response) -> AsyncIterator[Any]:
        source = self.source_of(response)
        term, number = response.meta["term"], response.meta[meta.LIST_PAGE]
        page = self.read(response, source, "search", kuaishou.parse_search)
        if page is None:
            return
        self.count(source, "search/pages")
        self.count(source, "search/results", len(page.items))
        self.count_record_errors(page.items, source.key)
        if not page.items and number == 1:
            self.count(source, "search/empty_first_page")
            self.say_once(
                source,
                "empty_first_page",
                "kuaishou: no result for %r on page 1 (a silent block?): %s",
                term,
                response.text[:300],
            )
        for item in page.items:
            for out in self._video(source, item, term):
                yield out
        if not page.items or page.pcursor == kuaishou.NO_MORE:
            return
        if self.window_covered(page.oldest):
            self.count(source, "search/window_covered")
        elif number < self.source.max_list_pages and not self.paused(source):
            request = await self._search(source, term, page.pcursor, page.session_id, number + 1)
            if request is not None:
                yield request

    # --- refresh of a tracked video ------------------------------------------------------
    def refresh_target(self, url: str) -> str | None:
        return kuaishou.photo_of(url)

    def refresh_detail(
        self, source: SourceConfig, target: str, extra: dict[str, Any]
    ) -> scrapy.Request:
        """visionVideoDetail is unsigned, like the profile: built at once."""
        body = kuaishou.detail_body(target)
        return self._post(
            kuaishou.GRAPHQL_API, body, self.parse_detail, source, photo=target, extra_meta=extra
        )

    def parse_detail(self, response: Response, photo: str) -> Any:
        source = self.source_of(response)
        item = self.read(response, source, "detail", kuaishou.parse_detail, photo)
        if item is None:
            return
        self.count(source, "refresh/videos")
        yield from self._video(source, item, None)

    def _video(self, source: SourceConfig, item: OpinionItem, term: str | None) -> Any:
        item.source = source.key
        item.found_on = f"kuaishou search: {term}" if term else None
        photo = str(item.native_id)
        if item.metrics.comments and self.comment_pages:
            body = kuaishou.comments_body(photo, "")
            yield self._post(
                kuaishou.COMMENTS_API, body, self.parse_comments, source, photo=photo, page=1
            )
        uid = item.author.id
        cached = self.cached_profile(source, uid)
        if cached is not None or not uid:
            if cached is not None:
                apply_profile(item, cached)
            yield item
            return
        self.count(source, "profile/fetched")
        yield self._post(
            kuaishou.GRAPHQL_API,
            kuaishou.profile_body(uid),
            self.parse_profile,
            source,
            feed_item=_plain(item),
        )

    def parse_profile(self, response: Response, feed_item: dict[str, Any]) -> Any:
        source = self.source_of(response)
        item = _from_plain(feed_item)
        profile = self.read(
            response, source, "profile", kuaishou.parse_profile, str(item.author.id)
        )
        if profile is None:
            self.count(source, "profile/unusable")
        else:
            self.keep_profile(item.author.id, profile)
            apply_profile(item, profile)
        yield item

    # --- comments -------------------------------------------------------------------------
    def parse_comments(self, response: Response, photo: str, page: int) -> Any:
        source = self.source_of(response)
        found = self.read(response, source, "comments", kuaishou.parse_comments, photo)
        if found is None:
            return
        self.count(source, "comments/pages")
        self.count_record_errors(found.comments, source.key)
        yield from found.comments
        if self.reply_depth >= 1:
            for root in found.with_replies:
                body = kuaishou.replies_body(photo, root, "")
                yield self._post(
                    kuaishou.REPLIES_API,
                    body,
                    self.parse_replies,
                    source,
                    photo=photo,
                    root=root,
                    page=1,
                )
        if found.pcursor != kuaishou.NO_MORE and page < self.comment_pages:
            body = kuaishou.comments_body(photo, found.pcursor)
            yield self._post(
                kuaishou.COMMENTS_API, body, self.parse_comments, source, photo=photo, page=page + 1
            )

    def parse_replies(self, response: Response, photo: str, root: str, page: int) -> Any:
        source = self.source_of(response)
        found = self.read(response, source, "replies", kuaishou.parse_comments, photo, root)
        if found is None:
            return
        self.count(source, "replies/pages")
        self.count_record_errors(found.comments, source.key)
        yield from found.comments
        if found.pcursor != kuaishou.NO_MORE and page < self.reply_pages:
            body = kuaishou.replies_body(photo, root, found.pcursor)
            yield self._post(
                kuaishou.REPLIES_API,
                body,
                self.parse_replies,
                source,
                photo=photo,
                root=root,
                page=page + 1,
            )

    # --- refusals -------------------------------------------------------------------------


def _plain(item: OpinionItem) -> dict[str, Any]:
    """A feed item as plain JSON for the queue (what rebuilds it after the profile)."""
    return {
        "photo": {
            "id": item.native_id,
            "caption": item.content,
            "timestamp": int(item.published_at.timestamp() * 1000) if item.published_at else None,
            "realLikeCount": item.metrics.likes,
            "commentCount": item.metrics.comments,
            "viewCount": item.metrics.reads,
            "collectCount": item.extra.get("collects"),
            "duration": item.extra.get("duration"),
        },
        "author": {"id": item.author.id, "name": item.author.name},
        "source": item.source,
        "found_on": item.found_on,
    }


def _from_plain(data: dict[str, Any]) -> OpinionItem:
    item = kuaishou.feed_item(data)
    item.source, item.found_on = data["source"], data["found_on"]
    return item
