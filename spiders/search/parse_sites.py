"""Site search APIs used for keyword monitoring.

- 人民网: `POST http://search.people.cn/search-platform/front/search` (http: the https
  URL 301-redirects and loses the body), JSON `{key, page, limit, hasTitle,
  hasContent, isFuzzy, type, sortType, startTime, endTime}` → `data.records[]`
  (`title` with `<em>` highlights, `content`, `displayTime` ms, `url`, `originName`,
  `belongsName`).
- 澎湃: `POST https://api.thepaper.cn/search/web/news`, JSON `{word, orderType,
  pageNum, pageSize, searchType}` (the key is `word`; `keyword` gives code 10001,
  form encoding 99998) → `data.list[]` (`name` with `<font>` highlights, `contId,
  summary, pubTimeLong, nodeInfo.name`).
- 全国党媒信息公共平台: `POST api-m.hubpd.com/main_station/search` `{keyword, pageNum,
  pageSize}` → `data[]` (`title, mpName, reprintedUrl, createdAt`).
"""

from __future__ import annotations

import re
from typing import Any

from scrapy.http import Response

from spiders.search.parse import ResultPage, SearchResult
from spiders.thepaper import parse as thepaper
from yuqing_spiders.extract.kit.errors import PayloadError
from yuqing_spiders.extract.kit.html import squash
from yuqing_spiders.extract.kit.payload import load_json, require_list, response_text
from yuqing_spiders.extract.kit.records import isolated
from yuqing_spiders.model.timeparse import parse_datetime

PEOPLE_SEARCH = "http://search.people.cn/search-platform/front/search"
PEOPLE_SEARCH_PAGE = "http://search.people.cn/"
THEPAPER_SEARCH = "https://api.thepaper.cn/search/web/news"
THEPAPER_SEARCH_PAGE = "https://www.thepaper.cn/searchResult"
HUBPD_SEARCH = "https://api-m.hubpd.com/main_station/search"
HUBPD_SEARCH_PAGE = "https://www.hubpd.com/"

_HIGHLIGHT_RE = re.compile(r"</?(?:em|font|b|span)[^>]*>", re.IGNORECASE)


def plain(text: Any) -> str | None:
    """Search highlights (`<em>南昌</em>`, `<font color=red>`) removed."""
    return squash(_HIGHLIGHT_RE.sub("", str(text))) if text else None


def people_body(query: str, page: int = 1, limit: int = 10) -> dict[str, Any]:
    return {
        "key": query,
        "page": page,
        "limit": limit,
        "hasTitle": True,
        "hasContent": True,
        "isFuzzy": False,  # exact phrase: a fuzzy "南昌" also returns 昌南
        "type": 0,
        "sortType": 1,  # newest first
        "startTime": 0,
        "endTime": 0,
    }


def thepaper_body(query: str, page: int = 1, size: int = 10) -> dict[str, Any]:
    return {"word": query, "orderType": 3, "pageNum": page, "pageSize": size, "searchType": 1}


def hubpd_body(query: str, page: int = 1, size: int = 10) -> dict[str, Any]:
    return {"keyword": query, "pageNum": page, "pageSize": size}


def _checked(response: Response, ok_codes: tuple[Any, ...]) -> Any:
    data = load_json(response_text(response))
    if not isinstance(data, dict):
        raise PayloadError("unexpected_shape", "top level is not an object")
    code = data.get("code")
    if code is not None and code not in ok_codes:
        raise PayloadError("api_error", f"code {code}: {data.get('message') or data.get('msg')}")
    return data


def parse_people(response: Response) -> ResultPage:
    data = _checked(response, (0, "0", 200, "200"))
    return ResultPage(
        results=isolated(require_list(data, "data", "records"), _people_row, "search_people")
    )


def _people_row(row: dict[str, Any]) -> SearchResult | None:
    if not row.get("url"):
        return None
    return SearchResult(
        url=row["url"].strip(),
        title=plain(row.get("title")),
        snippet=plain(row.get("content")),
        published_at=parse_datetime(row.get("displayTime")),
        source_name=plain(row.get("originName")) or plain(row.get("belongsName")),
    )


def parse_thepaper(response: Response) -> ResultPage:
    """Search rows have the channel list's shape: read by the 澎湃 list parser."""
    data = _checked(response, (200, "200", 0, "0"))
    return ResultPage(results=isolated(thepaper.parse_rows(data), _paper_row, "search_thepaper"))


def _paper_row(row: thepaper.PaperRow) -> SearchResult | None:
    url = row.url or row.external_url
    if not url:
        return None
    return SearchResult(
        url=url,
        title=plain(row.title),
        snippet=plain(row.summary),
        published_at=row.published_at,
        source_name=row.node,
    )


def parse_hubpd(response: Response) -> ResultPage:
    data = _checked(response, (200, "200", 0, "0"))
    return ResultPage(results=isolated(require_list(data, "data"), _hubpd_row, "search_hubpd"))


def _hubpd_row(row: dict[str, Any]) -> SearchResult | None:
    if not row.get("reprintedUrl"):
        return None
    return SearchResult(
        url=row["reprintedUrl"].strip(),
        title=plain(row.get("title")),
        published_at=parse_datetime(row.get("createdAt")),
        source_name=plain(row.get("mpName")),
    )
