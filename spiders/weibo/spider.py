"""新浪微博 Sina Weibo: keyword search, long text, comments, author profiles.

Start page `m.weibo.cn/api/config` (sources.yaml) says whether the session the pool
gave is logged in; then every keyword (the source's `keywords:`, else the
watch-list's search queries) is searched on s.weibo.com when a login session is
available (and WEIBO_PC_SEARCH), else on m.weibo.cn's container API with a visitor
cookie. A query whose first page shows as many pages as the site serves
(WEIBO_PAGE_CAP) is split into days, hours, provinces, Jiangxi's cities
(spiders/weibo/search.py) and the narrower queries are searched instead; posts
are merged by mid. Long posts (and every s.weibo.com hit) are read from the detail
page; comments (WEIBO_COMMENT_PAGES pages) become CommentItems for `comments`; an
author whose followers a post does not show is looked up once per
WEIBO_USER_CACHE_TTL. Sessions, bans and proxies are the downloader middlewares'
business. Extraction is in spiders/weibo/parse.py.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Self

import scrapy

from spiders._base.spider import YuqingSpider
from spiders.weibo import parse as weibo
from spiders.weibo.profiles import ProfileCache, apply_profile
from spiders.weibo.search import PROVINCES, Slice, mobile_url, pages_of, pc_url, split
from yuqing_spiders.analysis.watchlist import load_watchlist
from yuqing_spiders.extract.kit.errors import PayloadError
from yuqing_spiders.extract.kit.payload import load_json, response_text
from yuqing_spiders.fetch.sessions import LOGIN, CookiePool, ops_prefix
from yuqing_spiders.model import meta
from yuqing_spiders.model.identity import opinion_id
from yuqing_spiders.model.timeparse import parse_datetime
from yuqing_spiders.store.connections import redis_if_configured

if TYPE_CHECKING:
    from datetime import datetime

    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

PROFILE_URL = "https://m.weibo.cn/api/container/getIndex?containerid=100505{uid}"
COMMENTS_URL = "https://m.weibo.cn/comments/hotflow?id={mid}&mid={mid}"
XHR_HEADERS = {
    "Accept": "application/json, text/plain, */*",
    "X-Requested-With": "XMLHttpRequest",
    "MWeibo-Pwa": "1",
}
# API answers may be short and still right ({"ok":0,"msg":"快来发表你的评论吧"}): the
# bad-response check must not retry them as empty pages; unreadable JSON is counted here.
API_META = {meta.ALLOW_EMPTY: True}


class WeiboSpider(YuqingSpider):
    name = "weibo"
    option_keys = frozenset({"keywords"})
    allowed_domains = ["weibo.cn", "weibo.com"]

    # Set by from_crawler from the settings; no pool without Redis.
    pool: CookiePool | None
    profiles: ProfileCache
    page_cap: int
    lookback_days: int
    provinces: tuple[str, ...]
    home: str
    home_cities: int
    search_type: str
    comment_pages: int
    pc_search: bool
    watchlist_file: str
    seen: set[str]  # mids handled this crawl (slices overlap at their edges)
    _said: set[str]  # what _say_once has logged

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        client = redis_if_configured(settings)
        cookies = ops_prefix(settings, "cookies")
        spider.pool = CookiePool(client, "weibo", cookies) if client is not None else None
        spider.profiles = ProfileCache(
            client, settings.getfloat("WEIBO_USER_CACHE_TTL"), ops_prefix(settings, "weibo:user")
        )
        spider.page_cap = settings.getint("WEIBO_PAGE_CAP")
        spider.lookback_days = settings.getint("WEIBO_LOOKBACK_DAYS")
        spider.provinces = tuple(settings.getlist("WEIBO_SLICE_PROVINCES") or PROVINCES)
        spider.home = str(settings.get("WEIBO_HOME_PROVINCE"))
        spider.home_cities = settings.getint("WEIBO_HOME_CITIES")
        spider.search_type = str(settings.get("WEIBO_SEARCH_TYPE"))
        spider.comment_pages = settings.getint("WEIBO_COMMENT_PAGES")
        spider.pc_search = settings.getbool("WEIBO_PC_SEARCH")
        spider.watchlist_file = settings.get("YUQING_WATCHLIST_FILE")
        spider.seen = set()
        spider._said = set()
        return spider

    def keywords(self) -> list[str]:
        listed = self.source.options.get("keywords")
        if listed:
            return [str(k) for k in listed]
        try:
            return [r.query for r in load_watchlist(self.watchlist_file).searches() if r.query]
        except (OSError, ValueError) as exc:
            logger.error("weibo: no keywords (watch-list unreadable: %s)", exc)
            return []

    # --- start page: which session, which site ---------------------------------------------
    def parse(self, response: Response, **_: Any) -> Iterator[scrapy.Request]:
        """`m.weibo.cn/api/config`: logged in or not; then the keyword searches."""
        data = self._json(response, "config")
        state = weibo.parse_login_state(data) if data is not None else None
        logged_in = state is True and response.meta.get(meta.COOKIE_POOL_KIND) == LOGIN
        yield from self._session_checks(exclude=response.meta.get(meta.COOKIE_POOL_ID))
        pc = logged_in and self.pc_search
        self.crawler.stats.set_value("weibo/search_site", "s.weibo.com" if pc else "m.weibo.cn")
        for keyword in self.keywords():
            yield self._search(Slice(keyword), pc=pc)

    def _session_checks(self, exclude: str | None) -> Iterator[scrapy.Request]:
        """Ask once per crawl whether each other login session is still logged in."""
        for sid in self.pool.login_ids() if self.pool else []:
            if sid != exclude:
                yield scrapy.Request(
                    self.source.start_urls[0],
                    callback=self.parse_session_check,
                    errback=self.on_error,
                    dont_filter=True,
                    meta={meta.COOKIE_POOL_FORCE: sid},
                )

    def parse_session_check(self, response: Response) -> None:
        sid = response.meta.get(meta.COOKIE_POOL_FORCE)
        data = self._json(response, "config")
        state = weibo.parse_login_state(data) if data is not None else None
        if self.pool is None or not sid or state is None:
            return
        if state:
            self.pool.mark_ok(sid)
            self.crawler.stats.inc_value("cookie_pool/weibo/health_ok")
        elif self.pool.expire(sid, "health check: not logged in"):
            self.crawler.stats.inc_value("cookie_pool/weibo/expired")
            logger.warning("weibo: login session %s has expired; replace its cookie", sid)

    # --- search pages ----------------------------------------------------------------------
    def _search(self, query: Slice, *, pc: bool, page: int = 1) -> scrapy.Request:
        if pc:
            url, callback, headers = pc_url(query, page), self.parse_pc_search, {}
        else:
            url, callback = mobile_url(query, page, self.search_type), self.parse_search
            headers = {**XHR_HEADERS, "Referer": "https://m.weibo.cn/search"}
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.on_error,
            dont_filter=True,  # searched again on every tick
            headers=headers,
            meta={"weibo_slice": query.to_meta(), meta.LIST_PAGE: page, **API_META},
        )

    def parse_search(self, response: Response) -> Iterator[Any]:
        """An m.weibo.cn result page: its posts, then the next page or narrower queries."""
        data = self._json(response, "search")
        if data is None:
            return
        page = weibo.parse_search(data)
        query, number = Slice.from_meta(response.meta["weibo_slice"]), response.meta[meta.LIST_PAGE]
        self.crawler.stats.inc_value("weibo/search/pages")
        self.count_record_errors(page.mblogs)
        if not page.mblogs:
            self.crawler.stats.inc_value("weibo/search/empty_pages")
            return
        narrower: list[Slice] = []
        if number == 1:
            pages = pages_of(page.total, len(page.mblogs))
            narrower = self._narrower(query, pages, weibo.newest_time(page.mblogs))
            for sub in narrower:
                yield self._search(sub, pc=False)
        if not narrower and page.next_page and number < self.page_cap:
            yield self._search(query, pc=False, page=number + 1)
        for mblog in page.mblogs:
            yield from self._post(mblog, found_on=response.url)

    def parse_pc_search(self, response: Response) -> Iterator[Any]:
        """An s.weibo.com result page: every card is read from its detail page."""
        page = weibo.parse_pc_search(response.text)
        query, number = Slice.from_meta(response.meta["weibo_slice"]), response.meta[meta.LIST_PAGE]
        self.crawler.stats.inc_value("weibo/search/pages")
        if page.empty or not page.cards:
            self.crawler.stats.inc_value("weibo/search/empty_pages")
            return
        narrower: list[Slice] = []
        if number == 1:
            times = [t for t in (parse_datetime(c.time_text) for c in page.cards) if t]
            narrower = self._narrower(query, page.pages, max(times) if times else None)
            for sub in narrower:
                yield self._search(sub, pc=True)
        if not narrower and page.has_next and number < self.page_cap:
            yield self._search(query, pc=True, page=number + 1)
        for card in page.cards:
            if self._first_sight(card.mid):
                yield self._detail(card.mid, response.url, card=_card_dict(card))

    def _narrower(self, query: Slice, pages: int, newest: datetime | None) -> list[Slice]:
        """The split of a query whose results reach the page cap, or [] to page on."""
        if pages < self.page_cap:
            return []
        subs = split(
            query,
            newest=newest,
            lookback_days=self.lookback_days,
            provinces=self.provinces,
            home=self.home,
            home_cities=self.home_cities,
        )
        stats = self.crawler.stats
        if not subs:
            stats.inc_value("weibo/slice/unsplittable")
            self._say_once(
                f"unsplittable:{query.keyword}",
                "weibo: %r still fills %d pages at its narrowest (%s); only those are read",
                query.keyword,
                pages,
                query.to_meta(),
            )
            return []
        stats.inc_value(f"weibo/slice/split/{query.level}")
        stats.inc_value("weibo/slice/queries", len(subs))
        logger.info(
            "weibo: %r %s reaches %d pages: split into %d %s queries",
            query.keyword,
            query.filters() or "(all)",
            pages,
            len(subs),
            subs[0].level,
        )
        return subs

    # --- posts -----------------------------------------------------------------------------
    def _first_sight(self, mid: str) -> bool:
        """Slices overlap at their edges: a post is handled once per crawl."""
        if mid in self.seen:
            self.crawler.stats.inc_value("weibo/search/duplicate_posts")
            return False
        self.seen.add(mid)
        return True

    def _post(self, mblog: dict[str, Any], found_on: str) -> Iterator[Any]:
        mid = str(mblog.get("mid") or mblog.get("id"))
        if not self._first_sight(mid):
            return
        if mblog.get("isLongText"):
            self.crawler.stats.inc_value("weibo/long_text")
            yield self._detail(mid, found_on)
            return
        yield from self._finish(mblog, found_on)

    def _detail(
        self, mid: str, found_on: str, card: dict[str, Any] | None = None
    ) -> scrapy.Request:
        return scrapy.Request(
            weibo.DETAIL_URL.format(mid=mid),
            callback=self.parse_article,
            errback=self.on_error,
            dont_filter=True,  # a re-crawl refreshes the counters
            meta={meta.FOUND_ON: found_on, "weibo_card": card},
        )

    def parse_article(self, response: Response) -> Iterator[Any]:
        """A detail page (`$render_data`): the whole post. Also the refresh of a tracked post.

        @url https://m.weibo.cn/detail/5102938475610003
        @returns items 1
        @scrapes content published_at author
        """
        status = weibo.parse_detail(response.text)
        card = response.meta.get("weibo_card")
        found_on = response.meta.get(meta.FOUND_ON)
        if status is None:
            self.crawler.stats.inc_value("weibo/detail/unreadable")
            self._say_once("detail", "weibo: detail page without post data: %s", response.url)
            if card:  # s.weibo.com showed it: keep what the card said
                item = _item_from_card(card, self.source.key)
                item.found_on = found_on
                yield item
            return
        yield from self._finish(status, found_on)

    def _finish(self, mblog: dict[str, Any], found_on: str | None) -> Iterator[Any]:
        """A whole post: its comments, then the item (after a profile lookup if needed)."""
        item = weibo.post_item(mblog, source=self.source.key)
        item.found_on = found_on
        if item.metrics.comments:
            yield from self._comments_request(str(item.native_id))
        uid = item.author.id
        if uid and item.author.followers is not None:
            self.profiles.put(uid, weibo.profile_fields(mblog.get("user")))
        elif uid:
            cached = self.profiles.get(uid)
            if cached is None:
                self.crawler.stats.inc_value("weibo/profile/fetched")
                yield scrapy.Request(
                    PROFILE_URL.format(uid=uid),
                    callback=self.parse_profile,
                    errback=self.on_error,
                    dont_filter=True,  # one per waiting post; the cache spares the rest
                    headers=XHR_HEADERS,
                    meta=API_META,
                    cb_kwargs={"mblog": mblog, "found_on": found_on},
                )
                return
            self.crawler.stats.inc_value("weibo/profile/cache_hit")
            apply_profile(item, cached)
        yield item

    def parse_profile(
        self, response: Response, mblog: dict[str, Any], found_on: str | None
    ) -> Iterator[Any]:
        data = self._json(response, "profile")
        profile = weibo.parse_profile(data) if data is not None else None
        item = weibo.post_item(mblog, source=self.source.key)
        item.found_on = found_on
        if profile is None:
            self.crawler.stats.inc_value("weibo/profile/unreadable")
        else:
            self.profiles.put(str(item.author.id), profile)
            apply_profile(item, profile)
        yield item

    # --- comments --------------------------------------------------------------------------
    def _comments_request(self, mid: str, max_id: int = 0, page: int = 1) -> Iterator[Any]:
        """hotflow page `page` (paged by the `max_id` the previous page gave)."""
        if self.comment_pages < page:
            return
        url = COMMENTS_URL.format(mid=mid)
        url += f"&max_id={max_id}&max_id_type=0" if max_id else "&max_id_type=0"
        detail = weibo.DETAIL_URL.format(mid=mid)
        yield scrapy.Request(
            url,
            callback=self.parse_comments,
            errback=self.on_error,
            dont_filter=True,
            headers={**XHR_HEADERS, "Referer": detail},
            meta=API_META,
            cb_kwargs={
                "parent": opinion_id(self.source.key, mid, detail),
                "mid": mid,
                "page": page,
            },
        )

    def parse_comments(self, response: Response, parent: str, mid: str, page: int) -> Iterator[Any]:
        data = self._json(response, "comments")
        if data is None:
            return
        found = weibo.parse_comments(data, parent, weibo.DETAIL_URL.format(mid=mid))
        self.crawler.stats.inc_value("weibo/comments/pages")
        self.count_record_errors(found.comments)
        yield from found.comments
        if found.max_id:
            yield from self._comments_request(mid, found.max_id, page + 1)

    # --- helpers ---------------------------------------------------------------------------
    def _json(self, response: Response, what: str) -> dict[str, Any] | None:
        """The JSON of an API answer; an unreadable one is counted and logged once."""
        try:
            data = load_json(response_text(response))
        except PayloadError:
            data = None
        if not isinstance(data, dict):
            self.crawler.stats.inc_value(f"weibo/invalid_json/{what}")
            self._say_once(f"json:{what}", "weibo: %s answer is not JSON: %s", what, response.url)
            return None
        return data

    def _say_once(self, key: str, message: str, *args: Any) -> None:
        if key not in self._said:
            self._said.add(key)
            logger.warning(message, *args)


def _card_dict(card: weibo.PcCard) -> dict[str, Any]:
    """What an s.weibo.com card showed, JSON-able for the queue (a fallback item)."""
    return {
        "mid": card.mid,
        "text": card.text,
        "author": {"name": card.author.name, "id": card.author.id},
        "verified": card.author.verified,
        "verified_type": card.author.verified_type,
        "time": card.time_text,
        "metrics": [card.metrics.comments, card.metrics.reposts, card.metrics.likes],
        "pc_url": card.pc_url,
    }


def _item_from_card(card: dict[str, Any], source: str) -> Any:
    comments, reposts, likes = card["metrics"]
    mblog = {
        "mid": card["mid"],
        "text": card["text"],
        "user": {"screen_name": card["author"]["name"], "id": card["author"]["id"]},
        "comments_count": comments,
        "reposts_count": reposts,
        "attitudes_count": likes,
    }
    item = weibo.post_item(mblog, source=source)
    item.author.verified, item.author.verified_type = card["verified"], card["verified_type"]
    item.published_at = parse_datetime(card["time"])
    item.extra["pc_url"] = card["pc_url"]
    return item
