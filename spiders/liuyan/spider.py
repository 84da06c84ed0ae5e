"""人民网领导留言板: Jiangxi and Nanchang boards and keyword search (parse.py).

Per tick: the home page (the front end's appCode in `window.SITE_CONFIG`), the board
list (fids of the configured `boards:` found by name), then each board's newest
messages and one search per term (hits kept when their board is in `area:`). Every
thread is fetched in full (`/v1/threads/content`) for its official replies and its
state; a thread the detail call does not give is stored from its list row. Details
are asked again every tick (`dont_filter`): the state of a message is what changes,
and each crawl's state becomes a metrics point. A signature error pauses the source.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

import scrapy

from spiders._base.guarded import GuardedSpider
from spiders._base.spider import text_response
from spiders.liuyan import parse as liuyan
from yuqing_spiders.extract.kit.errors import PayloadError
from yuqing_spiders.extract.kit.payload import load_json
from yuqing_spiders.model.meta import FOUND_ON, LIST_PAGE, SOURCE

if TYPE_CHECKING:
    from scrapy.http import Response, TextResponse

    from yuqing_spiders.model.items import OpinionItem
    from yuqing_spiders.model.sources import SourceConfig

# Errors that every further call would repeat (our signature, our appCode): back off.
_PAUSING_ERRORS = {"SN0006", "invalid_json"}


class LiuyanSpider(GuardedSpider):
    name = "liuyan"
    option_keys = frozenset({"keywords", "area", "boards"})
    allowed_domains = ["liuyan.people.com.cn"]

    def _call(
        self,
        source: SourceConfig,
        app_code: str,
        path: str,
        param: dict[str, Any],
        callback: Any,
        meta: dict[str, Any] | None = None,
        *,
        fresh: bool = True,
    ) -> scrapy.Request:
        """One signed POST; `fresh` calls are made every tick (past the dupefilter)."""
        return scrapy.Request(
            liuyan.HOST + path,
            method="POST",
            body=liuyan.signed_body(path, param, app_code),
            headers={
                "Content-Type": "application/json;charset=UTF-8",
                "Accept": "application/json, text/plain, */*",
                "Origin": liuyan.HOST,
                "Referer": liuyan.HOST + "/",
            },
            callback=callback,
            errback=self.on_error,
            dont_filter=fresh,
            meta={SOURCE: source.key, "app_code": app_code, **(meta or {})},
        )

    def parse(self, response: Response, **_: Any) -> Iterator[scrapy.Request]:
        """The home page: the appCode, then the board list."""
        response = text_response(response)
        source = self.source_of(response)
        # Threads asked for in this tick (a thread on two boards, or also a search hit);
        # a new tick asks again, for the state that may have changed.
        self._asked: set[str] = set()
        yield self._call(
            source, self._app_code(response, source), liuyan.FORUMS_PATH, {}, self.parse_forums
        )

    def _app_code(self, response: TextResponse, source: SourceConfig) -> str:
        found = liuyan.app_code_from(response.text)
        if found:
            return found
        self.count(source, "app_code_from_settings")
        return self.crawler.settings["LIUYAN_APP_CODE"]

    def parse_forums(self, response: TextResponse) -> Iterator[scrapy.Request]:
        """Boards by name → fid; then each board's list and each search term."""
        source, app_code = self.source_of(response), response.meta["app_code"]
        data = self._data(response, source)
        known = liuyan.boards_in(data) if data is not None else []
        configured = source.options.get("boards") or []
        boards = liuyan.resolve_boards(configured, known)
        self.count(source, "boards_unresolved", len(configured) - len(boards))
        for board in boards:
            meta = {"board": board.name, "fid": board.fid, LIST_PAGE: 1}
            yield self._call(
                source,
                app_code,
                liuyan.LIST_PATH,
                liuyan.list_param(board.fid),
                self.parse_list,
                meta,
            )
        for term in self.search_terms(source):
            param = liuyan.search_param(term)
            yield self._call(
                source, app_code, liuyan.SEARCH_PATH, param, self.parse_search, {"term": term}
            )

    def parse_list(self, response: TextResponse) -> Iterator[scrapy.Request]:
        """A board's newest messages: each thread in full, then the next page."""
        source, meta = self.source_of(response), response.meta
        data = self._data(response, source)
        if data is None:
            return
        page = liuyan.parse_list(data)
        self.count(source, "list_pages")
        self.count_record_errors(page.rows, source.key)
        yield from self._details(response, source, page.rows, f"board {meta['board']}")
        cursor = page.last_item or ""  # "": no cursor, as on the first page
        more = len(page.rows) >= liuyan.ROWS and cursor and cursor != meta.get("cursor")
        if more and meta[LIST_PAGE] < source.max_list_pages and not self.paused(source):
            param = liuyan.list_param(meta["fid"], cursor, 1)
            next_meta = {**{k: meta[k] for k in ("board", "fid")}, "cursor": cursor}
            next_meta[LIST_PAGE] = meta[LIST_PAGE] + 1
            yield self._call(
                source, meta["app_code"], liuyan.LIST_PATH, param, self.parse_list, next_meta
            )

    def parse_search(self, response: TextResponse) -> Iterator[scrapy.Request]:
        """Search hits on the monitored area's boards, each fetched in full."""
        source = self.source_of(response)
        data = self._data(response, source)
        if data is None:
            return
        area = [str(w) for w in source.options.get("area") or ["南昌", "江西"]]
        rows = liuyan.parse_search(data)
        self.count_record_errors(rows, source.key)
        kept = [row for row in rows if liuyan.in_area(row, area)]
        self.count(source, "search_hits", len(rows))
        self.count(source, "search_hits_elsewhere", len(rows) - len(kept))
        yield from self._details(response, source, kept, f"search {response.meta['term']}")

    def _details(
        self, response: Response, source: SourceConfig, rows: list[dict[str, Any]], found_on: str
    ) -> Iterator[scrapy.Request]:
        asked: set[str] = getattr(self, "_asked", set())
        for row in rows:
            tid = str(row["tid"])
            if tid in asked:  # one thread listed on two boards, or also a search hit
                continue
            asked.add(tid)
            meta = {"row": row, FOUND_ON: f"liuyan.people.com.cn {found_on}"}
            param = liuyan.detail_param(row["tid"])
            yield self._call(
                source,
                response.meta["app_code"],
                liuyan.DETAIL_PATH,
                param,
                self.parse_detail,
                meta,
            )

    def parse_detail(self, response: TextResponse) -> Iterator[OpinionItem]:
        """One thread with its official replies and state; else its list row."""
        source, row = self.source_of(response), response.meta.get("row")
        data = self._data(response, source)
        item = liuyan.parse_detail(data, source.key, row) if data is not None else None
        if item is not None and row and item.native_id != str(row["tid"]):
            self.count(source, "detail_mismatch")  # an answer for another thread
            item = None
        if item is None:
            if not row:
                return
            self.count(source, "threads_from_row")
            item = liuyan.row_item(row, source.key)
        else:
            self.count(source, "threads")
        item.found_on = response.meta.get(FOUND_ON)
        yield item

    def parse_article(self, response: TextResponse) -> Iterator[scrapy.Request]:
        """A stored thread's page (refresh seeds): the same SPA shell, so its appCode,
        then the detail call for the thread in the URL."""
        source = self.source_of(response)
        tids = parse_qs(urlsplit(response.url).query).get("tid")
        tid = tids[0] if tids else None
        if not tid:
            self.count(source, "refresh_without_tid")
            return
        param = liuyan.detail_param(int(tid) if tid.isdigit() else tid)
        meta = {"row": None, FOUND_ON: "refresh"}
        yield self._call(
            source,
            self._app_code(response, source),
            liuyan.DETAIL_PATH,
            param,
            self.parse_detail,
            meta,
        )

    def _data(self, response: TextResponse, source: SourceConfig) -> dict[str, Any] | None:
        """The answer's JSON, or None after counting (and for a signature error, a pause)."""
        try:
            data: Any = load_json(response.text)
        except PayloadError:
            data = None  # api_error names it invalid_json
        error = liuyan.api_error(data)
        if error is None:
            return data
        self.api_error(response, source, error, pause=error in _PAUSING_ERRORS)
        return None
