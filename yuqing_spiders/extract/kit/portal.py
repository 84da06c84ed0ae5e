"""Pieces the portal parsers share: list entries, body paragraphs, meta tags.

Each portal module knows where its fields are; these helpers only read them the same
way everywhere (whitespace, page furniture, comma-separated keywords).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from parsel import Selector
from scrapy.http import TextResponse

from yuqing_spiders.extract.generic import author_from_text, clean_lines, node_text, squash
from yuqing_spiders.extract.kit.common import news_item
from yuqing_spiders.model.items import OpinionItem

# Inside article bodies: scripts, share bars, editor lines, image captions' furniture.
BODY_NOISE_CSS = ("script", "style", "iframe", "noscript", ".show_author", ".ep-editor")


@dataclass
class ListEntry:
    """One article as a list API or page announces it (before the article is fetched)."""

    url: str
    title: str | None = None
    published_at: datetime | None = None
    media_name: str | None = None
    comments: int | None = None
    native_id: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def new_item(
    response: TextResponse, source: str, canonical: str, native: str | None
) -> OpinionItem:
    """The item every portal article starts from."""
    return news_item(response, source, native, canonical)


def meta_content(sel: Selector | TextResponse, key: str) -> str | None:
    """A <meta> value by name or property (exact, as portals write them)."""
    value = sel.xpath(f"//meta[@name='{key}' or @property='{key}']/@content").get()
    return squash(value) or None


def first_text(sel: Selector | TextResponse, *css: str) -> str | None:
    for query in css:
        for node in sel.css(query):
            if text := node_text(node):
                return text
    return None


def keywords(value: str | None) -> list[str]:
    """'南昌,地铁，早高峰' -> ['南昌', '地铁', '早高峰']."""
    return [k for k in (squash(p) for p in re.split(r"[,，;；\s]+", value or "")) if k]


def paragraphs_of(html: str, noise_css: tuple[str, ...] = BODY_NOISE_CSS) -> list[str]:
    """The text lines of a body fragment: one per <p> (or <br> line), furniture dropped."""
    body = Selector(text=re.sub(r"(?i)<br\s*/?>", "\n", html))
    for noise in body.css(", ".join(noise_css)):
        noise.drop()
    paragraphs = body.xpath("//p")
    if paragraphs:
        lines = [
            line for p in paragraphs for line in "".join(p.xpath(".//text()").getall()).split("\n")
        ]
    else:
        lines = "".join(body.xpath("//body//text()").getall()).split("\n")
    return clean_lines(lines)


def body_paragraphs(
    response: TextResponse, css: tuple[str, ...], noise_css: tuple[str, ...] = BODY_NOISE_CSS
) -> list[str]:
    """Paragraphs of the first body block found by `css`."""
    for query in css:
        html = response.css(query).get()
        if html:
            return paragraphs_of(html, noise_css)
    return []


def byline_author(paragraphs: list[str]) -> str | None:
    """'（记者 王晓明）' or '记者 王晓明' in the first lines of the story."""
    for line in paragraphs[:2]:
        if found := author_from_text(line):
            return found
    return None


def to_int(value: Any) -> int | None:
    """A counter as APIs send it (int, "1234", "1.2万"); None when absent or unreadable."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = squash(str(value)).replace(",", "")
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(万|w|W)?", text)
    if not match:
        return None
    number = float(match[1]) * (10_000 if match[2] else 1)
    return int(number)
