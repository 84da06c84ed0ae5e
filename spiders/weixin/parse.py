"""微信公众号 articles found through 搜狗微信 weixin.sogou.com.

Search `weixin.sogou.com/weixin?type=2&page=<n>&ie=utf8&query=<kw>`: results in
`ul.news-list > li` (title `h3 a`, red_beg/red_end markers inside, abstract `p`,
account, time from `timeConvert('<unix>')`) (WSG `structuring.py`). Result links are
temporary `weixin.sogou.com/link?url=<token>` redirects; the decoding steps (ZC
`transform_token_url.py`): read `snuid` from the page's `var uigs_para`, collect the
cookies SNUID → SUID (a sogou css) → JSESSIONID (`wexinurlenc_sogou_profile.jsp`) →
SUV (`pb.sogou.com/pv.gif` with the uigs parameters), add `&k=<1..100>&h=<one char of
the link>` as Sogou's own click handler does, and read the `mp.weixin.qq.com` URL that
the answer assembles from `url += '...'` fragments. Blocked clients are sent to an
`antispider` captcha URL. The article page (NC `wechat_news.py`): title
`#activity-name`, body `#js_content`, account `#js_name`, time `var ct = "<unix>"`
(or `var createTime = 'YYYY-MM-DD HH:MM'`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from scrapy.http import Response, TextResponse

from yuqing_spiders.extract.kit.article import PageParsers, UrlParsers, mark_completeness
from yuqing_spiders.extract.kit.errors import PayloadError
from yuqing_spiders.extract.kit.html import block_text, node_text, squash
from yuqing_spiders.extract.kit.payload import js_string, load_json
from yuqing_spiders.extract.kit.records import isolated
from yuqing_spiders.model.items import Author, Media, OpinionItem
from yuqing_spiders.model.timeparse import parse_datetime

logger = logging.getLogger(__name__)

SOURCE = "weixin"
ARTICLE_URL_RE = re.compile(r"^https?://mp\.weixin\.qq\.com/s[?/]")
SEARCH_URL = "https://weixin.sogou.com/weixin"
# Fetched only for the SUID cookie it sets on .sogou.com (ZC: "fetch a sogou css").
SUID_CSS_URL = "https://www.sogou.com/sug/css/m3.min.v.7.css"
JSESSION_URL = "https://weixin.sogou.com/websearch/wexinurlenc_sogou_profile.jsp"
SUV_PIXEL_URL = "https://pb.sogou.com/pv.gif"

_TIME_CONVERT_RE = re.compile(r"timeConvert\(\s*'(\d{10})'\s*\)")
_UIGS_RE = re.compile(r"var\s+uigs_para\s*=\s*(\{.*?\})\s*;", re.DOTALL)
# One member of a JS object whose value is a JSON literal, ending at "," or "}".
_JS_MEMBER_RE = re.compile(
    r"""["']?(\w+)["']?\s*:\s*("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|true|false|null)\s*(?=[,}])"""
)
_URL_PART_RE = re.compile(r"""url\s*\+=\s*'([^']*)'""")
# Sogou's click handler: h = href.substr(href.indexOf("url=") + 4 + parseInt("21") + k, 1)
_H_OFFSET = 4 + 21
# The captcha page: its code image and its notice; its URL path is /antispider/.
_ANTISPIDER_MARKERS = ("seccodeImage", "异常访问请求")
_MP_BLOCK_MARKERS = ("环境异常", "appmsgcaptcha", "完成验证后即可继续访问")
_MP_GONE = {
    "deleted": ("该内容已被发布者删除", "此内容因违规无法查看", "该公众号已迁移"),
    "expired": ("链接已过期", "此链接已过期"),
}


@dataclass
class SearchResult:
    """One article on a Sogou result page (the link is temporary; see `link_request_url`)."""

    link: str
    title: str | None = None
    abstract: str | None = None
    account: str | None = None
    published_at: datetime | None = None


@dataclass
class SearchPage:
    results: list[SearchResult] = field(default_factory=list)
    next_page: str | None = None
    snuid: str | None = None
    uigs: dict[str, Any] = field(default_factory=dict)


# --- blocks ----------------------------------------------------------------------------


def is_antispider(response: Response) -> bool:
    """Sogou's captcha: the redirect target `/antispider/` or its page (seccode image)."""
    if "/antispider" in response.url:
        return True
    text = getattr(response, "text", "")
    return any(marker in text for marker in _ANTISPIDER_MARKERS)


def article_block(response: TextResponse) -> str | None:
    """'captcha', 'deleted' or 'expired' when the mp page is not the article, else None."""
    text = getattr(response, "text", "")
    if response.css("#js_content"):
        return None
    if any(marker in text for marker in _MP_BLOCK_MARKERS):
        return "captcha"
    for state, markers in _MP_GONE.items():
        if any(marker in text for marker in markers):
            return state
    return "no_article"


# --- search ----------------------------------------------------------------------------


def search_url(keyword: str, page: int = 1) -> str:
    """The article search as WSG's `request.py` builds it (type=2 = articles)."""
    return f"{SEARCH_URL}?{urlencode({'type': 2, 'page': page, 'ie': 'utf8', 'query': keyword})}"


def parse_search(response: TextResponse) -> SearchPage:
    """Results, the next page and the uigs parameters of a result page."""
    page = SearchPage(uigs=uigs_params(response.text))
    page.snuid = page.uigs.get("snuid") or None
    page.results = isolated(response.css("ul.news-list > li"), partial(_result, response), SOURCE)
    href = response.css("a#sogou_next::attr(href)").get()
    if href and not href.strip().lower().startswith("javascript:"):
        page.next_page = response.urljoin(href.strip())
    return page


def _result(response: TextResponse, li: Any) -> SearchResult | None:
    href = li.css("h3 a::attr(href)").get() or li.css("div.img-box a::attr(href)").get()
    if not href:
        return None
    # The terms are wrapped in <em><!--red_beg-->…<!--red_end--></em>; text() skips comments.
    title = node_text(li.css("h3 a")[0]) if li.css("h3 a") else None
    stamp = li.css("div.s-p::attr(t)").get() or _first(_TIME_CONVERT_RE.findall(li.get()))
    account = li.css("span.all-time-y2::text, a.account::text").get()
    return SearchResult(
        link=response.urljoin(href.strip()),
        title=title or None,
        abstract=squash(" ".join(li.css("p.txt-info ::text").getall())) or None,
        account=squash(account) or None,
        published_at=parse_datetime(stamp) if stamp else None,
    )


def _first(values: list[str]) -> str | None:
    return values[0] if values else None


def uigs_params(text: str) -> dict[str, Any]:
    """The page's `var uigs_para = {...}` (snuid, uuid, query, ...), {} when absent."""
    match = _UIGS_RE.search(text)
    if not match:
        return {}
    try:
        data = load_json(match[1])
    except PayloadError:
        # A JS object, not JSON (`"login": passportUserId ? "1" : "0"`): its literal
        # members still carry snuid and the search's identity.
        return _literal_members(match[1])
    return data if isinstance(data, dict) else {}


def _literal_members(source: str) -> dict[str, Any]:
    """The `"key": <JSON literal>` members of a JS object literal; computed ones left out."""
    found: dict[str, Any] = {}
    for key, value in _JS_MEMBER_RE.findall(source):
        try:
            found[key] = json.loads(value)
        except ValueError:
            continue
    return found


# The uigs parameters the SUV pixel carries: the page's identity of the search (never
# snuid, which is a cookie value; no client clock, so one page names one pixel).
_PIXEL_KEYS = (
    "uigs_productid",
    "terminal",
    "vstype",
    "pagetype",
    "channel",
    "type",
    "wuid",
    "uuid",
    "query",
    "page",
)


def suv_pixel_url(uigs: dict[str, Any]) -> str:
    """`pb.sogou.com/pv.gif` with the page's uigs parameters (it sets SUV)."""
    keep = {k: uigs[k] for k in _PIXEL_KEYS if isinstance(uigs.get(k), str | int)}
    return f"{SUV_PIXEL_URL}?{urlencode(keep)}"


# --- link decoding ---------------------------------------------------------------------


def link_k(link: str) -> int:
    """Sogou picks k at random in 1..100; a stable pick per link keeps one link one
    request, so the dupefilter sees a link once however often it is found."""
    token = dict(parse_qsl(urlsplit(link).query)).get("url", link)
    return int(hashlib.sha1(token.encode(), usedforsecurity=False).hexdigest(), 16) % 100 + 1


def link_request_url(link: str, k: int) -> str:
    """The link with `&k=<k>&h=<char>` added, as Sogou's click handler does."""
    start = link.find("url=")
    if start < 0 or "&k=" in link:
        return link
    index = start + _H_OFFSET + k
    h = link[index : index + 1]
    return f"{link}&k={k}&h={h}"


def decode_link_page(text: str) -> str | None:
    """The mp.weixin.qq.com URL a `/link?url=` answer builds from `url += '...'` parts."""
    parts = _URL_PART_RE.findall(text)
    if not parts:
        return None
    url = "".join(parts).replace("@", "")
    return url if urlsplit(url).hostname == "mp.weixin.qq.com" else None


# --- the article -----------------------------------------------------------------------


def canonical_url(msg_link: str | None) -> str | None:
    """The permanent `/s?__biz=&mid=&idx=&sn=` form of an article link."""
    if not msg_link:
        return None
    query = dict(parse_qsl(urlsplit(msg_link.replace("&amp;", "&")).query))
    if not all(query.get(k) for k in ("__biz", "mid", "idx")):
        return None
    keep = {k: query[k] for k in ("__biz", "mid", "idx", "sn") if query.get(k)}
    return f"https://mp.weixin.qq.com/s?{urlencode(keep)}"


def parse_article(response: TextResponse) -> OpinionItem:
    """An mp.weixin.qq.com article as an item (incomplete, never an exception)."""
    text = response.text
    biz, mid, idx = (js_string(text, name) for name in ("biz", "mid", "idx"))
    native = f"{biz}:{mid}:{idx}" if biz and mid and idx else None
    canonical = canonical_url(js_string(text, "msg_link")) or canonical_url(response.url)
    account = squash(response.css("#js_name ::text").get()) or _nickname(text)
    item = OpinionItem(
        url=response.url,
        source=SOURCE,
        platform="wechat",
        canonical_url=canonical or response.url,
        native_id=native,
        title=squash(" ".join(response.css("#activity-name ::text").getall())) or None,
        content=block_text(response.css("#js_content"), blocks=True),
        media=Media(name=account, domain="mp.weixin.qq.com"),
        author=Author(name=account, id=js_string(text, "user_name")),
        published_at=_published_at(text),
        encoding=response.encoding,
    )
    if article_block(response) == "deleted":
        item.status = "deleted"  # the page is the platform's notice, not the article
    writer = _writer(response, account)
    if writer:
        item.extra["byline"] = writer
    if where := _posted_from(response):
        item.author.ip_location = where
    return mark_completeness(item)


def _writer(response: TextResponse, account: str | None) -> str | None:
    """The writer the meta line names besides the account: not the 原创 mark, the
    publish time (`em#publish_time` shares the class) or '发表于 江西' (IP属地)."""
    for node in response.css("#js_author_name, #meta_content .rich_media_meta_text"):
        text = re.sub(r"^(?:作者|文|撰文)\s*[：:|｜/]\s*", "", node_text(node))
        if (
            not text
            or text == account
            or text in ("原创", "转载", "原创：")
            or text.startswith("发表于")
            or node.attrib.get("id") == "publish_time"
            or re.search(r"\d{1,2}[-:月年]\d{1,2}|今天|昨天|前天|小时前|分钟前", text)
        ):
            continue
        return text
    return None


def _posted_from(response: TextResponse) -> str | None:
    """IP属地 as the meta line shows it ('发表于江西')."""
    shown = squash(" ".join(response.css("#js_ip_wording::text").getall()))
    if not shown:
        line = " ".join(response.css("#meta_content ::text").getall())
        match = re.search(r"发表于\s*([\u4e00-\u9fff]{2,8})", line)
        shown = match[1] if match else ""
    return shown or None


def _nickname(text: str) -> str | None:
    match = re.search(r"""var\s+nickname\s*=\s*htmlDecode\(\s*["']([^"']+)["']""", text)
    return squash(match[1]) if match else js_string(text, "nickname")


def _published_at(text: str) -> datetime | None:
    stamp = js_string(text, "ct")
    if stamp and stamp.isdigit():
        return parse_datetime(stamp)
    created = js_string(text, "createTime")
    return parse_datetime(created) if created else None


# Pages this module reads whole (`yuqing extract`, search results): found by
# spiders/_base/registry.py, so a new source never edits a table elsewhere.
URL_PARSERS: UrlParsers = [(ARTICLE_URL_RE, parse_article)]

# List pages and API answers (`yuqing extract --file`): found by the same registry.
PAGE_PARSERS: PageParsers = [
    (re.compile(r"^https?://weixin\.sogou\.com/weixin\?"), parse_search),
]
