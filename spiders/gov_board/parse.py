"""City 问政 boards described in YAML (`spider: gov_board`): 南昌 12345 and the like.

No public code describes the 南昌 12345 board; city boards on
government portals share one shape, which the `board:` block of a source describes
with CSS: a list page of rows (`row`, each with a `link` and perhaps a `row_status`),
a `next` page link, and a message page with `title`, `content`, an official `reply`
and nodes of '标签：值' fields (`fields`) read through `labels` (field → the label
words the board uses). `id` is a regex whose group 1 is the message id in its URL.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from scrapy.http import TextResponse

from spiders._base.wenzheng import (
    first_label,
    labelled_fields,
    normalise_status,
    official_reply,
)
from yuqing_spiders.extract.kit.article import mark_completeness
from yuqing_spiders.extract.kit.byline import strip_title_suffix
from yuqing_spiders.extract.kit.html import block_text, squash
from yuqing_spiders.model.items import Author, Media, OpinionItem
from yuqing_spiders.model.timeparse import parse_datetime

_DEFAULT_LABELS: dict[str, tuple[str, ...]] = {
    "author": ("来信人", "留言人", "网友"),
    "published_at": ("来信时间", "留言时间", "提交时间"),
    "status": ("办理状态", "处理状态", "状态"),
    "reply_org": ("答复单位", "回复单位", "办理单位"),
    "reply_time": ("答复时间", "回复时间", "办结时间"),
    "type": ("来信类型", "诉求类型", "类型"),
    "addressee": ("受理单位", "问政对象", "承办单位"),
}
_REQUIRED = ("row", "link", "title", "content")


@dataclass(frozen=True)
class BoardConfig:
    """The `board:` block of one source, checked once when the spider starts."""

    row: str
    link: str
    title: str
    content: str
    row_status: str | None = None
    next: str | None = None
    reply: str | None = None
    fields: str | None = None
    id: re.Pattern[str] | None = None
    labels: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def from_options(cls, key: str, options: dict[str, Any]) -> BoardConfig:
        raw = options.get("board") or {}
        missing = [name for name in _REQUIRED if not raw.get(name)]
        if missing:
            raise ValueError(f"source {key!r}: board: lacks {', '.join(missing)}")
        labels = {**_DEFAULT_LABELS}
        for name, words in (raw.get("labels") or {}).items():
            labels[name] = (words,) if isinstance(words, str) else tuple(words)
        return cls(
            row=raw["row"],
            link=raw["link"],
            title=raw["title"],
            content=raw["content"],
            row_status=raw.get("row_status"),
            next=raw.get("next"),
            reply=raw.get("reply"),
            fields=raw.get("fields"),
            id=re.compile(raw["id"]) if raw.get("id") else None,
            labels=labels,
        )


@dataclass
class Row:
    url: str
    status: str | None = None


@dataclass
class ListPage:
    rows: list[Row] = field(default_factory=list)
    next_page: str | None = None


def parse_list(response: TextResponse, board: BoardConfig) -> ListPage:
    page = ListPage()
    for node in response.css(board.row):
        href = node.css(board.link).get()
        if not href or href.strip().lower().startswith(("javascript:", "#")):
            continue
        status = squash(node.css(board.row_status).get()) if board.row_status else ""
        page.rows.append(Row(url=response.urljoin(href.strip()), status=status or None))
    href = response.css(board.next).get() if board.next else None
    if href and not href.strip().lower().startswith(("javascript:", "#")):
        target = response.urljoin(href.strip())
        page.next_page = target if target != response.url else None
    return page


def parse_message(
    response: TextResponse, board: BoardConfig, source: str, row_status: str | None = None
) -> OpinionItem:
    """One message page: the citizen's text, its state and the official reply."""
    fields = labelled_fields(response.css(board.fields)) if board.fields else {}

    def value(name: str) -> str | None:
        return first_label(fields, board.labels.get(name, ()))

    reply = official_reply(
        value("reply_org"),
        block_text(response.css(board.reply), blocks=True) if board.reply else None,
        parse_datetime(value("reply_time")),
    )
    match = board.id.search(response.url) if board.id else None
    label = value("status") or row_status
    item = OpinionItem(
        url=response.url,
        source=source,
        platform="wenzheng",
        canonical_url=response.url,
        native_id=match[1] if match else None,
        title=squash(" ".join(response.css(board.title).xpath(".//text()").getall()))
        or strip_title_suffix(response.css("title::text").get()),
        content=block_text(response.css(board.content), blocks=True),
        author=Author(name=value("author")),
        published_at=parse_datetime(value("published_at")),
        media=Media(),  # the board itself: the spider names it after its source
        encoding=response.encoding,
        status=normalise_status(label, reply is not None),
    )
    extra = {"status_label": label, "type": value("type"), "addressee": value("addressee")}
    item.extra.update({k: v for k, v in extra.items() if v})
    if reply:
        item.extra["official_replies"] = [reply]
    return mark_completeness(item)
