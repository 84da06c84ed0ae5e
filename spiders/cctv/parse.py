"""央视网 news.cctv.com: JSONP channel lists and the article API.

Lists are static JSONP files `.../cmsdatainterface/page/<category>_<n>.jsonp`
wrapped as `<category>({...})`, rows in `data.list[]` (`title, url, focus_date,
image, brief`); they want `Referer: http://news.cctv.com/<category>`. Article text
comes from `api.cntv.cn/Article/getXinwenNextArticleInfo?serviceId=sjnews&id=<ARTI
id>&t=json` (`article_content`, `article_source`), not from the HTML page, whose
current template is not known. Video (VIDE) and photo (PHO) items are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from scrapy.http import Response

from yuqing_spiders.extract.kit.article import PageParsers, UrlParsers, mark_completeness
from yuqing_spiders.extract.kit.byline import author_from_text, editor_from_text
from yuqing_spiders.extract.kit.errors import PayloadError
from yuqing_spiders.extract.kit.html import inline_text, paragraphs
from yuqing_spiders.extract.kit.lists import query_value
from yuqing_spiders.extract.kit.payload import dig, load_json, load_jsonp, response_text
from yuqing_spiders.extract.kit.records import isolated
from yuqing_spiders.model.items import Author, Media, OpinionItem
from yuqing_spiders.model.timeparse import parse_datetime

SOURCE = "cctv"
SITE_NAME = "央视网"

LIST_URL_RE = re.compile(r"/cmsdatainterface/page/(?P<category>[a-z]+)_(?P<page>\d+)\.jsonp$")
ARTICLE_URL_RE = re.compile(
    r"^https?://(?:[a-z0-9-]+\.)*cctv\.com(?::\d+)?/\d{4}/\d{2}/\d{2}"
    r"/(?P<id>(?P<kind>ARTI|PHO|VIDE)[0-9A-Za-z]+)\.shtml$"
)
API_URL = "https://api.cntv.cn/Article/getXinwenNextArticleInfo?serviceId=sjnews&id={id}&t=json"
API_URL_RE = re.compile(r"^https?://api\.cntv\.cn/Article/getXinwenNextArticleInfo\?")


@dataclass(frozen=True)
class ListRow:
    """One list entry; title and time come from here, the text from the API."""

    id: str
    url: str
    title: str | None
    focus_date: str | None
    kind: str  # ARTI | PHO | VIDE


def referer(list_url: str) -> str:
    """The channel page a list file belongs to (the site checks the Referer)."""
    match = LIST_URL_RE.search(list_url)
    return f"http://news.cctv.com/{match['category'] if match else 'china'}"


def api_url(article_id: str) -> str:
    return API_URL.format(id=article_id)


def parse_list(response: Response) -> list[ListRow]:
    """Rows of a JSONP list file; PayloadError when it has no `data.list`."""
    rows = dig(load_jsonp(response_text(response)), "data", "list")
    if not isinstance(rows, list):
        raise PayloadError("unexpected_shape", "no data.list in the JSONP list")
    return isolated(rows, _list_row, "cctv")


def _list_row(row: dict[str, Any]) -> ListRow | None:
    url = row.get("url")
    url = url.strip() if isinstance(url, str) else ""
    match = ARTICLE_URL_RE.match(url)
    if match is None:
        return None
    when = row.get("focus_date")
    return ListRow(
        match["id"],
        url,
        inline_text(row.get("title")),
        when if isinstance(when, str) else None,
        match["kind"],
    )


def parse_api_article(response: Response, row: ListRow | None = None) -> OpinionItem:
    """An article from the API answer; the list row (when known) gives URL, title, time."""
    article_id = row.id if row else query_value(response.url, "id")
    item = OpinionItem(
        url=row.url if row else response.url,
        source=SOURCE,
        platform="news",
        native_id=article_id,
        media=Media(domain="news.cctv.com" if row else urlsplit(response.url).hostname),
    )
    try:
        data = load_json(response_text(response))
    except PayloadError:
        return mark_completeness(item)  # the caller counts it from `missing`
    if not isinstance(data, dict):
        return mark_completeness(item)
    item.encoding = getattr(response, "encoding", None)
    item.title = (row.title if row else None) or inline_text(data.get("title"))
    item.published_at = _published_at(row, data)
    item.media.name = inline_text(data.get("article_source")) or SITE_NAME
    lines = paragraphs(data.get("article_content"))
    item.content = "\n".join(lines) or None
    item.author = Author(name=author_from_text(lines[0]) if lines else None)
    # The 编辑 line is furniture that `paragraphs` drops; read it from the raw text.
    item.editor = editor_from_text(inline_text(data.get("article_content")))
    return mark_completeness(item)


def _published_at(row: ListRow | None, data: dict) -> datetime | None:
    for value in (row.focus_date if row else None, data.get("pubtime")):
        if value and (moment := parse_datetime(str(value))):
            return moment
    return None


# Pages this module reads whole (`yuqing extract`, search results): found by
# spiders/_base/registry.py, so a new source never edits a table elsewhere.
URL_PARSERS: UrlParsers = [
    (API_URL_RE, parse_api_article),  # the article API's answer (JSON)
]

# List pages and API answers (`yuqing extract --file`): found by the same registry.
PAGE_PARSERS: PageParsers = [
    (re.compile(r"^https?://news\.cctv\.com/.*" + LIST_URL_RE.pattern), parse_list),
]
