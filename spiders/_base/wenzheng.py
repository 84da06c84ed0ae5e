"""What every 问政 board parser shares: the handling status and the official reply.

Boards word their states differently (待回复, 未回复, 受理中, 已回复, 已办结 ...).
`status` on the item is one of three (RSSHub `people/liuyan.ts` lists the 人民网
states: 待回复 / 办理中 / 已办理); the board's own word stays in `extra.status_label`.
An official reply is stored inside the item, `extra.official_replies` (a list: a
board may answer once while handling and again when done): it is the government's
answer to that very message, read together with it, not a netizen comment.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from parsel import Selector

from yuqing_spiders.extract.kit.html import node_text, squash

PENDING, HANDLING, DONE = "待回复", "办理中", "已办理"
# "留言人：王某", "答复时间: 2026-11-25 17:30": a label of Chinese words, then the value.
_LABEL_RE = re.compile(r"^\s*([\u4e00-\u9fff]{2,8})\s*[:：]\s*(.*)$", re.DOTALL)

_LABELS = {
    PENDING: ("待回复", "未回复", "待办理", "待处理", "未办理", "待受理", "已提交"),
    HANDLING: ("办理中", "处理中", "受理中", "已受理", "已转办", "转办中", "已交办"),
    DONE: ("已办理", "已回复", "已答复", "已办结", "办结", "已处理", "已解决", "已反馈"),
}


def normalise_status(label: str | None, has_reply: bool = False) -> str | None:
    """One of 待回复 / 办理中 / 已办理 for a board's label; with no known label, a
    published official reply means 已办理. None when nothing tells."""
    text = squash(label)
    for status, words in _LABELS.items():
        if any(word in text for word in words):
            return status
    if has_reply:
        return DONE
    return None


def official_reply(
    organization: str | None, content: str | None, replied_at: datetime | None
) -> dict[str, Any] | None:
    """The stored form of one official reply; None when it has no text."""
    text = (content or "").strip()
    if not text:
        return None
    return {
        "organization": squash(organization) or None,
        "content": text,
        "replied_at": replied_at,
    }


def labelled_fields(nodes: Iterable[Selector]) -> dict[str, str]:
    """Label → value of nodes that read '标签：值' (the first node wins per label)."""
    found: dict[str, str] = {}
    for node in nodes:
        match = _LABEL_RE.match(node_text(node))
        if match:
            found.setdefault(match[1], squash(match[2]))
    return found


def first_label(fields: dict[str, str], labels: Iterable[str]) -> str | None:
    """The value of the first of `labels` present (boards name one field differently)."""
    return next((fields[label] for label in labels if fields.get(label)), None)
