"""人民网领导留言板 liuyan.people.com.cn: signed JSON calls and their answers (§7.1).

Every call is `POST <path>` with the JSON body `{appCode, token, signature, param}`,
where `param` is itself a JSON string whose key order is the front end's, `appCode`
is the page's `window.SITE_CONFIG.appCode`, `token` is "" for anonymous use and
`signature = md5(path_without_query + param + md5(appCode)[:16] + token)` (U-WZ
2026-10-03). Calls: boards `/v1/forum/getTopForums`; a local board's messages
`/v1/threads/list/df` (`{fid, showUnAnswer, typeId, lastItem, position, rows,
orderType}`, paged by `resultData.lastItem`); keyword search `/v2/threads/search
?sortType=0` → `data.data[]`; one thread `/v1/threads/content` `{tid}` →
`resultData.contentList[]` (dataType 1 the citizen's message, 4 an official reply).
A bad or missing signature is `{"code": "SN0006", "msg": "数据格式错误"}` under HTTP 200.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from spiders._base.wenzheng import normalise_status, official_reply
from yuqing_spiders.extract.kit.article import PageParsers, mark_completeness
from yuqing_spiders.extract.kit.html import block_text, squash
from yuqing_spiders.extract.kit.numbers import to_count
from yuqing_spiders.extract.kit.payload import dig, load_json
from yuqing_spiders.extract.kit.records import isolated
from yuqing_spiders.model.items import Author, Media, OpinionItem
from yuqing_spiders.model.timeparse import parse_datetime

SOURCE = "liuyan"
HOST = "https://liuyan.people.com.cn"
FORUMS_PATH = "/v1/forum/getTopForums"
LIST_PATH = "/v1/threads/list/df"
SEARCH_PATH = "/v2/threads/search?sortType=0"
DETAIL_PATH = "/v1/threads/content"
ROWS = 10
CITIZEN, OFFICIAL = 1, 4  # contentList dataType

_SITE_CONFIG_RE = re.compile(r"window\.SITE_CONFIG\s*=\s*(\{.*?\})\s*;?\s*</script>", re.DOTALL)
_APP_CODE_RE = re.compile(r"""appCode["']?\s*:\s*["']([A-Za-z0-9]+)["']""")
_OK_CODES = {"", "0", "200", "success"}


# --- signing ---------------------------------------------------------------------------


def param_json(param: Mapping[str, Any]) -> str:
    """`param` as the front end's JSON.stringify writes it: keys in the given order,
    no spaces, Chinese as is."""
    return json.dumps(param, ensure_ascii=False, separators=(",", ":"))


def signature(path: str, param: str, app_code: str, token: str = "") -> str:
    """md5(path without query + param JSON + md5(appCode)[:16] + token), hex."""
    app_key = hashlib.md5(app_code.encode(), usedforsecurity=False).hexdigest()[:16]
    text = path.split("?", 1)[0] + param + app_key + token
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def signed_body(path: str, param: Mapping[str, Any], app_code: str, token: str = "") -> str:
    """The JSON body of one call."""
    text = param_json(param)
    body = {
        "appCode": app_code,
        "token": token,
        "signature": signature(path, text, app_code, token),
        "param": text,
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


def list_param(fid: str | int, last_item: str = "", position: int = 0) -> dict[str, Any]:
    return {
        "fid": fid,
        "showUnAnswer": 1,
        "typeId": 5,
        "lastItem": last_item,
        "position": position,
        "rows": ROWS,
        "orderType": 2,
    }


def search_param(keywords: str, page: int = 1, fid: str | int = "") -> dict[str, Any]:
    return {
        "position": 0,
        "keywords": keywords,
        "fid": fid,
        "domainId": "",
        "typeId": "",
        "timeRange": "",
        "ansChecked": "",
        "stTime": "",
        "sortType": 0,
        "page": page,
        "rows": ROWS,
    }


def detail_param(tid: str | int) -> dict[str, Any]:
    return {"tid": tid}


def app_code_from(page_html: str) -> str | None:
    """The appCode of the page's `window.SITE_CONFIG`."""
    match = _SITE_CONFIG_RE.search(page_html)
    found = _APP_CODE_RE.search(match[1] if match else page_html)
    return found[1] if found else None


# --- answers ---------------------------------------------------------------------------


def api_error(data: Any) -> str | None:
    """'SN0006' and the like for an error envelope, 'invalid_json', or None when fine."""
    if not isinstance(data, dict):
        return "invalid_json"
    for key in ("code", "resultCode"):
        if key in data and str(data[key]) not in _OK_CODES:
            return str(data[key])
    if data.get("result") not in (None, "success"):
        return str(data.get("result"))
    return None


@dataclass
class Board:
    fid: str
    name: str


def boards_in(data: Any) -> list[Board]:
    """Every board of a forum-list answer, nested ones included (depth first)."""
    found: list[Board] = []
    stack = [dig(data, "resultData") or dig(data, "data") or []]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
        elif isinstance(node, dict):
            fid, name = node.get("fid"), squash(node.get("name") or node.get("forumName"))
            if fid not in (None, "") and name:
                found.append(Board(str(fid), name))
            stack.append(node.get("children") or node.get("childForums") or [])
    return found


def resolve_boards(configured: Iterable[Mapping[str, Any]], known: list[Board]) -> list[Board]:
    """Configured boards with their fid: as given, else found by exact name."""
    by_name = {board.name: board for board in known}
    resolved = []
    for entry in configured:
        name = squash(str(entry.get("name") or ""))
        if entry.get("fid"):
            resolved.append(Board(str(entry["fid"]), name))
        elif name in by_name:
            resolved.append(by_name[name])
    return resolved


@dataclass
class ListPage:
    rows: list[dict[str, Any]] = field(default_factory=list)
    last_item: str | None = None


def parse_list(data: Any) -> ListPage:
    """Rows of a board list answer and the cursor of the next page."""
    result = dig(data, "resultData")
    rows = dig(result, "data") if isinstance(result, dict) else result
    page = ListPage(rows=isolated(rows if isinstance(rows, list) else [], _readable_row, SOURCE))
    last = dig(result, "lastItem") if isinstance(result, dict) else None
    page.last_item = str(last) if last not in (None, "") else None
    return page


def parse_search(data: Any) -> list[dict[str, Any]]:
    rows = dig(data, "data", "data")
    return isolated(rows if isinstance(rows, list) else [], _readable_row, SOURCE)


def _readable_row(row: dict[str, Any]) -> dict[str, Any] | None:
    """The row when `row_item` can read it; None for a row without thread id. A row
    with a malformed field raises here, inside the per-record isolation, not later
    in the spider where it would cost the rest of the page."""
    if not row.get("tid"):
        return None
    row_item(row)
    return row


def in_area(row: Mapping[str, Any], words: Iterable[str]) -> bool:
    """Whether a search hit belongs to the monitored area (its board's name)."""
    place = " ".join(squash(str(row.get(k) or "")) for k in ("forumName", "domainName"))
    return any(word in place for word in words)


def thread_url(tid: str | int) -> str:
    return f"{HOST}/threads/content?tid={tid}"


def row_item(row: Mapping[str, Any], source: str = SOURCE) -> OpinionItem:
    """A thread from a list or search row (message, board, state; no reply text)."""
    tid = str(row["tid"])
    label = squash(row.get("stateInfo")) or None
    item = OpinionItem(
        url=thread_url(tid),
        source=source,
        platform="wenzheng",
        canonical_url=thread_url(tid),
        native_id=tid,
        title=block_text(row.get("subject"), blocks=True),
        content=block_text(row.get("content"), blocks=True),
        author=Author(name=squash(row.get("nickName")) or None),
        published_at=parse_datetime(row.get("dateline") or row.get("createDateline")),
        media=Media(name=squash(row.get("forumName")) or None, domain="liuyan.people.com.cn"),
        status=normalise_status(label, bool(row.get("answerContent"))),
    )
    item.extra.update(_labels(row, label))
    reply = official_reply(
        row.get("answerOrganization"),
        block_text(row.get("answerContent"), blocks=True),
        parse_datetime(row.get("answerDateline")),
    )
    if reply:
        item.extra["official_replies"] = [reply]
    return mark_completeness(item)


def parse_detail(
    data: Any, source: str = SOURCE, row: Mapping[str, Any] | None = None
) -> OpinionItem | None:
    """A thread with its official replies; None when the answer holds no thread."""
    result = dig(data, "resultData")
    if not isinstance(result, dict) or not result.get("tid"):
        return None
    merged = {**(row or {}), **{k: v for k, v in result.items() if v not in (None, "")}}
    item = row_item(merged, source)
    contents = [c for c in result.get("contentList") or [] if isinstance(c, dict)]
    message = next((c for c in contents if _kind(c) == CITIZEN), None)
    if message is not None:
        item.content = block_text(message.get("content"), blocks=True) or item.content
        item.published_at = parse_datetime(message.get("dateline")) or item.published_at
        item.author.name = squash(message.get("nickName")) or item.author.name
    replies = [reply for c in contents if _kind(c) == OFFICIAL and (reply := _reply(c))]
    if replies:
        item.extra["official_replies"] = replies
    item.status = normalise_status(item.extra.get("status_label"), bool(replies))
    if result.get("tags"):
        item.extra["tags"] = [squash(str(t)) for t in result["tags"] if squash(str(t))]
    return mark_completeness(item)


def _reply(content: Mapping[str, Any]) -> dict[str, Any] | None:
    when = parse_datetime(content.get("dateline"))
    return official_reply(
        content.get("organization"), block_text(content.get("content"), blocks=True), when
    )


def _kind(content: Mapping[str, Any]) -> int | None:
    return to_count(content.get("dataType"))


def _labels(row: Mapping[str, Any], label: str | None) -> dict[str, Any]:
    extra = {
        "status_label": label,
        "board": squash(row.get("forumName")) or None,
        "fid": str(row["fid"]) if row.get("fid") not in (None, "") else None,
        "type": squash(row.get("typeName")) or None,
        "domain": squash(row.get("domainName")) or None,
    }
    return {k: v for k, v in extra.items() if v is not None}


# Saved API answers (`yuqing extract --file`; POSTs, read by their path): found by
# spiders/_base/registry.py.
_API = r"^https?://liuyan\.people\.com\.cn/"
PAGE_PARSERS: PageParsers = [
    (re.compile(_API + r"v1/threads/list/df"), lambda r: parse_list(load_json(r.text))),
    (re.compile(_API + r"v2/threads/search"), lambda r: parse_search(load_json(r.text))),
    (re.compile(_API + r"v1/threads/content"), lambda r: parse_detail(load_json(r.text))),
    (re.compile(_API + r"v1/forum/getTopForums"), lambda r: boards_in(load_json(r.text))),
]
