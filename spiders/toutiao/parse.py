"""今日头条 toutiao.com: keyword search and article pages.

Search `so.toutiao.com/search?keyword=<kw>&pd=information&dvpf=pc`; later pages add
`source=pagination&action_type=pagination&page_num=<n>&search_id=<id of page 0>
&from=search_tab&cur_tab_title=search_tab`. Each result is a JSON island
`script[data-druid-card-data-id][type="application/json"]` → `data.title`,
`article_url | share_url | display.info.url`, `abstract`, `media_name | source`,
`datetime | publish_time` (U-TT); the first answer is sometimes an empty bootstrap shell
(retried once). Article `www.toutiao.com/article/<id>/`: `h1`, time in the first
`div.article-meta span`, account `div.article-meta span.name a`, body `article` (NC
`toutaio_news.py`). Without the ordinary cookies of a first visit the site answers
with the `__ac_nonce` / `__ac_signature` JS challenge instead of the article.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

from scrapy.http import TextResponse

from yuqing_spiders.extract.kit.article import PageParsers, UrlParsers, mark_completeness
from yuqing_spiders.extract.kit.byline import strip_title_suffix
from yuqing_spiders.extract.kit.errors import PayloadError
from yuqing_spiders.extract.kit.html import block_text, first_node, first_text, node_text, squash
from yuqing_spiders.extract.kit.numbers import to_count
from yuqing_spiders.extract.kit.payload import dig, load_json
from yuqing_spiders.extract.kit.records import isolated, record_errors
from yuqing_spiders.model.items import Author, Media, Metrics, OpinionItem
from yuqing_spiders.model.timeparse import find_datetime_in_text, parse_datetime

SOURCE = "toutiao"
SEARCH_URL = "https://so.toutiao.com/search"
CARD_CSS = 'script[data-druid-card-data-id][type="application/json"]::text'

# Every form a result links an article by: /article/<id>/, /group/<id>/, /a<id>/, /i<id>/.
ARTICLE_URL_RE = re.compile(
    r"^https?://(?:www\.|m\.)?toutiao\.com/(?:article/|group/|a|i)(?P<id>\d{15,20})/?(?:[?#].*)?$"
)
_SEARCH_ID_RE = re.compile(r"""search_id["']?\s*[:=]\s*["']?([0-9A-Za-z]{16,40})""")
_CHALLENGE_MARKERS = ("byted_acrawler", "__ac_nonce", "__ac_signature")


@dataclass
class Card:
    """One search result that links a Toutiao article."""

    url: str  # canonical article URL
    native_id: str
    title: str | None = None
    abstract: str | None = None
    media: str | None = None
    published: str | None = None  # as sent; parsed by `card_item`
    comments: int | None = None

    def to_meta(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class SearchPage:
    cards: list[Card] = field(default_factory=list)
    search_id: str | None = None
    card_count: int = 0  # every JSON card, articles or not
    other_links: int = 0  # cards linking elsewhere (video, other sites)


def search_url(keyword: str, page: int = 0, search_id: str | None = None) -> str:
    query: dict[str, Any] = {"keyword": keyword, "pd": "information", "dvpf": "pc"}
    if page:
        query.update(
            source="pagination",
            action_type="pagination",
            page_num=page,
            search_id=search_id or "",
            **{"from": "search_tab", "cur_tab_title": "search_tab"},
        )
    return f"{SEARCH_URL}?{urlencode(query)}"


def canonical_url(url: str) -> str | None:
    match = ARTICLE_URL_RE.match(url.strip())
    return f"https://www.toutiao.com/article/{match['id']}/" if match else None


def is_shell(response: TextResponse) -> bool:
    """The empty bootstrap page some first answers are: no card at all, no search id."""
    return not response.css(CARD_CSS) and not _SEARCH_ID_RE.search(response.text)


def is_challenge(response: TextResponse) -> bool:
    """ByteDance's JS challenge (`__ac_nonce` cookie, acrawler script) instead of a page."""
    if response.css("article"):
        return False
    text = getattr(response, "text", "")
    cookies = b" ".join(response.headers.getlist(b"Set-Cookie")).decode("latin-1")
    return "__ac_nonce" in cookies or any(marker in text for marker in _CHALLENGE_MARKERS)


def parse_search(response: TextResponse) -> SearchPage:
    """The article cards of a result page and its search id."""
    match = _SEARCH_ID_RE.search(response.text)
    page = SearchPage(search_id=match[1] if match else None)
    islands = []
    for raw in response.css(CARD_CSS).getall():
        try:
            data = dig(load_json(raw), "data")
        except PayloadError:
            continue  # not a card: a broken island is no result
        if isinstance(data, dict):
            islands.append(data)
    page.card_count = len(islands)
    page.cards = isolated(islands, _card, SOURCE)
    page.other_links = page.card_count - len(page.cards) - record_errors(page.cards)
    return page


def _card(data: dict[str, Any]) -> Card | None:
    for link in (
        data.get("article_url"),
        data.get("share_url"),
        dig(data, "display", "info", "url"),
    ):
        url = canonical_url(link) if isinstance(link, str) else None
        if url:
            return Card(
                url=url,
                native_id=url.rstrip("/").rsplit("/", 1)[-1],
                title=squash(data.get("title")) or None,
                abstract=squash(data.get("abstract")) or None,
                media=squash(data.get("media_name") or data.get("source")) or None,
                published=str(data.get("datetime") or data.get("publish_time") or "") or None,
                comments=to_count(data.get("comment_count")),
            )
    return None


def card_item(card: dict[str, Any]) -> OpinionItem:
    """What the search card alone says (no body): stored incomplete when the article
    page stays out of reach, so the office still sees the item."""
    item = OpinionItem(
        url=card["url"],
        source=SOURCE,
        platform="toutiao",
        canonical_url=card["url"],
        native_id=card["native_id"],
        title=card.get("title"),
        media=Media(name=card.get("media"), domain="www.toutiao.com"),
        author=Author(name=card.get("media")),
        published_at=parse_datetime(card.get("published")),
        metrics=Metrics(comments=card.get("comments")),
    )
    if card.get("abstract"):
        item.extra["abstract"] = card["abstract"]
    return mark_completeness(item)


def parse_article(response: TextResponse, card: dict[str, Any] | None = None) -> OpinionItem:
    """An article page; the search card (when known) fills what the page lacks."""
    url = canonical_url(response.url) or response.url
    item = card_item(card) if card else OpinionItem(url=url, source=SOURCE, platform="toutiao")
    item.url = item.canonical_url = url
    item.native_id = url.rstrip("/").rsplit("/", 1)[-1] if canonical_url(response.url) else None
    item.media.domain = urlsplit(url).hostname
    item.encoding = response.encoding
    title = first_text(response, *_TITLE_CSS)
    item.title = title or item.title or strip_title_suffix(response.css("title::text").get())
    item.published_at = _shown_time(response) or item.published_at
    account = first_text(response, *_ACCOUNT_CSS) or _sub_account(response)
    if account:
        item.author = Author(name=account)
        item.media.name = account
    item.content = block_text(first_node(response, *_BODY_CSS), blocks=True)
    return mark_completeness(item)


# The 2023 template (h1 in div.article-content, div.article-meta spans, <article>) and
# the older one (div.article-box: h1.article-title, div.article-sub spans, body
# div.article-content); what neither has, the generic extractor reads.
_TITLE_CSS = ("h1.article-title", "div.article-content h1", "div.article-box h1", "h1")
_ACCOUNT_CSS = ("div.article-meta span.name a", "div.article-meta span.name", ".author-info .name")
_BODY_CSS = (
    "article",
    "div.article-content div.syl-article-base",
    "div.article-box div.article-content",
)
_META_SPANS_CSS = "div.article-meta > span, div.article-sub > span"
_NOT_ACCOUNTS = frozenset({"原创", "转载", "举报", "头条", "首发"})


def _shown_time(response: TextResponse) -> datetime | None:
    for span in response.css(_META_SPANS_CSS):
        if (when := find_datetime_in_text(node_text(span))) is not None:
            return when
    return None


def _sub_account(response: TextResponse) -> str | None:
    """The account in the older template's meta spans: the one that is neither a
    mark (原创) nor the time."""
    for span in response.css("div.article-sub > span"):
        text = node_text(span)
        if text and text not in _NOT_ACCOUNTS and find_datetime_in_text(text) is None:
            return text
    return None


# Pages this module reads whole (`yuqing extract`, search results): found by
# spiders/_base/registry.py, so a new source never edits a table elsewhere.
URL_PARSERS: UrlParsers = [(ARTICLE_URL_RE, parse_article)]

# List pages and API answers (`yuqing extract --file`): found by the same registry.
PAGE_PARSERS: PageParsers = [
    (re.compile(r"^https?://so\.toutiao\.com/search\?"), parse_search),
]
