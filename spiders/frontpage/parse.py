"""Front pages and hot lists as ranked links.

Each polled page has a parse function returning `FrontPageLink`s (canonical URL,
title, block, 1-based rank in the block). Links are canonicalised the way the article
parsers name the same pages, so a placement and a stored item meet on
`canonical_url`. Hot lists (Weibo hot search, Baidu realtime, Toutiao hot board) are
the "front pages" of their platforms: their links are the platform's own topic pages.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import count
from typing import Any
from urllib.parse import quote, urlsplit

from scrapy.http import Response, TextResponse

from spiders.baijiahao import parse as baijiahao
from spiders.ifeng import parse as ifeng
from spiders.netease import parse as netease
from spiders.people import parse as people
from spiders.sina import parse as sina
from spiders.sohu import parse as sohu
from spiders.tencent import parse as tencent
from spiders.thepaper import parse as thepaper
from yuqing_spiders.extract.kit.errors import PayloadError
from yuqing_spiders.extract.kit.html import node_text, squash
from yuqing_spiders.extract.kit.lists import ListEntry
from yuqing_spiders.extract.kit.payload import dig, load_json, require_list, response_text
from yuqing_spiders.extract.kit.records import Records, isolated
from yuqing_spiders.model.identity import canonical_url as normalised
from yuqing_spiders.model.items import FrontPageLink

THEPAPER_ARTICLE_RE = re.compile(
    r"^https?://(?:www|m)\.thepaper\.cn/(?:newsDetail_forward_|detail/)(?P<id>\d+)"
)


def _thepaper_canonical(url: str) -> str:
    match = THEPAPER_ARTICLE_RE.match(url)
    return thepaper.article_url(match["id"]) if match else url


_SITE_CANONICAL: tuple[tuple[re.Pattern[str], Callable[[str], str]], ...] = (
    (people.ARTICLE_URL_RE, people.canonical_url),
    (sina.ARTICLE_URL_RE, sina.canonical_url),
    (netease.ARTICLE_URL_RE, netease.canonical_url),
    (tencent.ARTICLE_URL_RE, tencent.canonical_url),
    (sohu.ARTICLE_URL_RE, sohu.canonical_url),
    (ifeng.ARTICLE_URL_RE, ifeng.canonical_url),
    (baijiahao.ARTICLE_URL_RE, baijiahao.canonical_url),
    (THEPAPER_ARTICLE_RE, _thepaper_canonical),
)


def canonical_link(url: str) -> str:
    """The canonical URL an item parsed from `url` is stored under."""
    url = url.strip()
    for pattern, canonical in _SITE_CANONICAL:
        if pattern.match(url):
            return normalised(canonical(url))
    return normalised(url)


def ranked(entries: Iterable[tuple[str, str | None]], block: str) -> list[FrontPageLink]:
    """(url, title) pairs in page order -> links ranked 1.. in `block`, each URL once.

    An unreadable pair (a URL that is no text) is skipped and counted, not fatal; the
    errors of `entries` (when it is a parser's `Records`) carry over."""
    seen: set[str] = set()
    ranks = count(1)

    def link(pair: tuple[str, str | None]) -> FrontPageLink | None:
        url, title = pair
        canonical = canonical_link(url)
        if canonical in seen:
            return None
        seen.add(canonical)
        shown = squash(title) if isinstance(title, str) else None
        return FrontPageLink(url, canonical, shown or None, block, next(ranks))

    links = isolated(entries, link, f"frontpage:{block}")
    if isinstance(entries, Records):
        links.errors.update(entries.errors)
    return links


def from_entries(entries: list[ListEntry], block: str) -> list[FrontPageLink]:
    return ranked(((e.url, e.title) for e in entries), block)


# --- news sites and portals -------------------------------------------------------------


def parse_people_home(response: Response) -> list[FrontPageLink]:
    """www.people.com.cn: its article links, blocks named by the nearest element id
    (the home page's block selectors are not public)."""
    if not isinstance(response, TextResponse):
        raise PayloadError("not_text")
    by_block: dict[str, list[tuple[str, str | None]]] = {}
    for link in response.xpath("//a[@href]"):
        url = response.urljoin(link.attrib["href"].strip())
        if not people.is_article_url(url):
            continue
        block = link.xpath("ancestor::*[@id][1]/@id").get() or "home"
        by_block.setdefault(block, []).append((url, node_text(link)))
    return [link for block, pairs in by_block.items() for link in ranked(pairs, block)]


def parse_netease_yaowen(response: Response) -> list[FrontPageLink]:
    return from_entries(netease.parse_list(response), "要闻")


def parse_sina_roll(response: Response) -> list[FrontPageLink]:
    return from_entries(sina.parse_feed(response), "滚动")


def parse_tencent_top(response: Response) -> list[FrontPageLink]:
    return from_entries(tencent.parse_list(response), "要闻")


def parse_sohu_home(response: Response) -> list[FrontPageLink]:
    return from_entries(sohu.parse_blockdata(response), "要闻")


def parse_ifeng_home(response: Response) -> list[FrontPageLink]:
    data = ifeng.page_data(response)
    links = []
    for key, block in (("headline", "头条"), ("newsstream", "资讯")):
        if isinstance(data.get(key), list):
            links += from_entries(ifeng.parse_list(response, key), block)
    if not links and not isinstance(data.get("newsstream"), list):
        raise PayloadError("unexpected_shape", "newsstream")
    return links


def parse_thepaper_home(response: Response) -> list[FrontPageLink]:
    """m.thepaper.cn `__NEXT_DATA__`: 头条 `topData.recommendImg`, 要闻 `data.list`."""
    if not isinstance(response, TextResponse):
        raise PayloadError("not_text")
    script = response.xpath("//script[@id='__NEXT_DATA__']/text()").get()
    if not script:
        raise PayloadError("no_embedded_json", "__NEXT_DATA__")
    props = dig(load_json(script), "props", "pageProps") or {}
    links: list[FrontPageLink] = []
    for path, block in ((("topData", "recommendImg"), "头条"), (("data", "list"), "要闻")):
        rows = dig(props, *path)
        if isinstance(rows, list):
            pairs = [
                (thepaper.article_url(row["contId"]), row.get("name"))
                for row in rows
                if isinstance(row, dict) and row.get("contId")
            ]
            links += ranked(pairs, block)
    if not links:
        raise PayloadError("unexpected_shape", "props/pageProps data.list, topData.recommendImg")
    return links


# --- hot lists: the front pages of platforms -----------------------------------------


def parse_weibo_hot(response: Response) -> list[FrontPageLink]:
    """weibo.com/ajax/side/hotSearch → data.realtime[] (`word`, `word_scheme`); ads
    (`is_ad`) are not placements."""
    data = load_json(response_text(response))
    if data.get("ok") not in (1, None):
        raise PayloadError("api_error", f"ok {data.get('ok')}")
    return ranked(isolated(require_list(data, "data", "realtime"), _weibo_hot, "hotlists"), "热搜")


def _weibo_hot(row: dict[str, Any]) -> tuple[str, str | None] | None:
    if row.get("is_ad") or not row.get("word"):
        return None
    scheme = row.get("word_scheme") or f"#{row['word']}#"
    return f"https://s.weibo.com/weibo?q={quote(scheme, safe='')}", row["word"]


def parse_baidu_hot(response: Response) -> list[FrontPageLink]:
    """top.baidu.com/board?tab=realtime: the JSON in `<!--s-data:{...}-->`."""
    match = re.search(r"<!--s-data:(.*?)-->", response_text(response), re.DOTALL)
    if not match:
        raise PayloadError("no_embedded_json", "s-data")
    rows = require_list(load_json(match.group(1)), "data", "cards", 0, "content")
    return ranked(isolated(rows, _baidu_hot, "hotlists"), "实时热点")


def _baidu_hot(row: dict[str, Any]) -> tuple[str, str | None] | None:
    query = row.get("query") or row.get("word")
    if not query:
        return None
    url = row.get("rawUrl") or f"https://www.baidu.com/s?wd={quote(query, safe='')}"
    return url, row.get("word") or query


def parse_toutiao_hot(response: Response) -> list[FrontPageLink]:
    """www.toutiao.com/hot-event/hot-board/ → data[] (`ClusterIdStr`, `Title`)."""
    data = load_json(response_text(response))
    if data.get("status") not in ("success", None):
        raise PayloadError("api_error", f"status {data.get('status')}")
    return ranked(isolated(require_list(data, "data"), _toutiao_hot, "hotlists"), "热榜")


def _toutiao_hot(row: dict[str, Any]) -> tuple[str, str | None] | None:
    if not row.get("ClusterIdStr"):
        return None
    return f"https://www.toutiao.com/trending/{row['ClusterIdStr']}/", row.get("Title")


@dataclass(frozen=True)
class Board:
    """A polled page: which site it is the front page of, and how to read it."""

    site: str
    pattern: re.Pattern[str]
    parse: Callable[[Response], list[FrontPageLink]]


BOARDS: tuple[Board, ...] = (
    Board("people", re.compile(r"^https?://www\.people\.com\.cn/?$"), parse_people_home),
    Board(
        "netease", re.compile(r"^https?://news\.163\.com/special/cm_yaowen"), parse_netease_yaowen
    ),
    Board("sina", re.compile(r"^https?://feed\.mix\.sina\.com\.cn/api/roll/get"), parse_sina_roll),
    Board(
        "tencent", re.compile(r"^https?://i\.news\.qq\.com/web_feed/getPCList"), parse_tencent_top
    ),
    Board("sohu", re.compile(r"^https?://odin\.sohu\.com/odin/api/blockdata"), parse_sohu_home),
    Board("ifeng", re.compile(r"^https?://news\.ifeng\.com/?$"), parse_ifeng_home),
    Board("thepaper", re.compile(r"^https?://m\.thepaper\.cn/?$"), parse_thepaper_home),
    Board("weibo_hot", re.compile(r"^https?://weibo\.com/ajax/side/hotSearch"), parse_weibo_hot),
    Board(
        "baidu_hot", re.compile(r"^https?://top\.baidu\.com/board\?tab=realtime"), parse_baidu_hot
    ),
    Board(
        "toutiao_hot",
        re.compile(r"^https?://www\.toutiao\.com/hot-event/hot-board/"),
        parse_toutiao_hot,
    ),
)


def board_for(url: str) -> Board | None:
    for board in BOARDS:
        if board.pattern.match(url.strip()):
            return board
    return None


def site_of(url: str) -> str:
    board = board_for(url)
    return board.site if board else (urlsplit(url).hostname or "unknown")


def parse_board(response: Response) -> tuple[str, list[FrontPageLink]]:
    """(site, links) of a polled page; PayloadError when it is not what the site serves."""
    board = board_for(response.url)
    if board is None:
        raise PayloadError("unknown_board", response.url)
    return board.site, board.parse(response)
