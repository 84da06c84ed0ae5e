"""Helpers shared by the news parsers: list pages, JSON/JSONP payloads, HTML text.

Pure functions: a response, a selector or a string in, plain values out.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urldefrag, urlsplit

from parsel import Selector, SelectorList
from scrapy.http import TextResponse

from yuqing_spiders.extract.generic import clean_lines, node_text, squash
from yuqing_spiders.model.items import Media, OpinionItem

# `cb({...});`, also with the `/**/` guard some JSONP servers put in front.
_JSONP_RE = re.compile(r"^\s*(?:/\*.*?\*/\s*)?[\w$.]+\s*\(\s*(.*?)\s*\)\s*;?\s*$", re.DOTALL)
_BREAK_RE = re.compile(r"(?i)<br\s*/?>")


# A parser of whole pages, and the (URL pattern, parser) list each source's parse
# module declares as `URL_PARSERS` (spiders/_base/registry.py finds them).
ArticleParser = Callable[[TextResponse], OpinionItem]
UrlParsers = list[tuple[re.Pattern[str], ArticleParser]]


class PayloadError(ValueError):
    """A list or article answer that is not the JSON (or JSONP) the source sends."""


@dataclass(frozen=True)
class Query:
    """A CSS or XPath expression; XPath when it starts with '/' or '('."""

    kind: str  # "css" | "xpath"
    text: str

    @classmethod
    def parse(cls, text: str) -> Query:
        text = text.strip()
        return cls("xpath" if text.startswith(("/", "(")) else "css", text)


@dataclass
class ListPage:
    """What a list page yields: article URLs, the next list page, and what was skipped."""

    article_urls: list[str] = field(default_factory=list)
    next_page: str | None = None
    skipped: Counter[str] = field(default_factory=Counter)

    def skip(self, reason: str) -> None:
        self.skipped[reason] += 1


def dig(data: Any, *path: str | int) -> Any:
    """`data[a][b]...`, or None as soon as a step is missing."""
    for step in path:
        if isinstance(step, int) and isinstance(data, list) and -len(data) <= step < len(data):
            data = data[step]
        elif isinstance(step, str) and isinstance(data, dict):
            data = data.get(step)
        else:
            return None
    return data


def json_payload(response: TextResponse | str | bytes) -> Any:
    """The JSON of an answer; PayloadError when it is not JSON (an HTML error page)."""
    text = response.text if isinstance(response, TextResponse) else response
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    try:
        return json.loads(text.strip().lstrip("\ufeff"))
    except ValueError as exc:
        raise PayloadError(f"not JSON: {exc}") from None


def jsonp_payload(text: str) -> Any:
    """The JSON inside `callback(...)`; PayloadError when the wrapper or JSON is missing."""
    match = _JSONP_RE.match(text or "")
    if not match:
        raise PayloadError("not a JSONP answer")
    return json_payload(match[1])


def html_text(html: str | None) -> str | None:
    """The text of an HTML fragment on one line (tags dropped), or None."""
    if not html:
        return None
    text = squash("".join(Selector(text=f"<div>{html}</div>").xpath("//text()").getall()))
    return text or None


def html_paragraphs(html: str | None) -> list[str]:
    """The paragraphs of an HTML fragment, furniture lines dropped."""
    if not html:
        return []
    return block_lines(Selector(text=f"<div>{html}</div>").xpath("//div")[0], ())


def block_lines(node: Selector, noise: tuple[Query, ...] = ()) -> list[str]:
    """Lines of a body block: one per paragraph (or <br> line), noise nodes removed."""
    body = Selector(text=_BREAK_RE.sub("\n", node.get()))
    for query in noise:
        for unwanted in select(body, query):
            unwanted.drop()
    paragraphs = body.xpath("//p")
    if paragraphs:
        lines = [
            line for p in paragraphs for line in "".join(p.xpath(".//text()").getall()).split("\n")
        ]
    else:
        lines = "".join(body.xpath("//body//text()").getall()).split("\n")
    return clean_lines(lines)


def select(response: TextResponse | Selector, query: Query) -> SelectorList:
    """The nodes a CSS or XPath query selects."""
    if query.kind == "xpath":
        return response.xpath(query.text)
    return response.css(query.text)


def select_text(response: TextResponse | Selector, query: Query) -> str:
    """The text of the first node the query selects that has any ('' when none)."""
    for node in select(response, query):
        text = squash(node.root) if isinstance(node.root, str) else node_text(node)
        if text:
            return text
    return ""


def unique_links(response: TextResponse, hrefs: list[str], pattern: re.Pattern[str]) -> list[str]:
    """Absolute article URLs among `hrefs`, fragment removed, de-duplicated, page order."""
    seen: set[str] = set()
    urls: list[str] = []
    for href in hrefs:
        href = (href or "").strip()
        if not href or href.lower().startswith(("javascript:", "mailto:", "#")):
            continue
        url = urldefrag(response.urljoin(href))[0]
        if pattern.search(url) and url not in seen:
            seen.add(url)
            urls.append(url)
    return urls


def same_host(url: str, hosts: tuple[str, ...]) -> bool:
    """Whether `url` is on one of `hosts` or their subdomains."""
    host = (urlsplit(url).hostname or "").lower()
    return any(host == h or host.endswith(f".{h}") for h in hosts)


def news_item(
    response: TextResponse, source: str, native_id: str | None, canonical: str | None = None
) -> OpinionItem:
    """The item every news article parser starts from: URL, ids, site, encoding."""
    host = (urlsplit(response.url).hostname or "").lower() or None
    item = OpinionItem(
        url=response.url,
        source=source,
        platform="news",
        canonical_url=canonical,
        native_id=native_id,
        media=Media(domain=host),
    )
    if isinstance(response, TextResponse):
        item.encoding = response.encoding
    return item
