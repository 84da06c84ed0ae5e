"""A new JSON-API platform written exactly as docs/adding-a-source.md says: one folder
(spider.py, parse.py, settings.py), one sources.yaml entry, one media-tier line.

The platform is made up on purpose ("示例短视频" at api.shortvideo.example): these tests
prove that the project finds a source by its folder alone, not that a real site is
read right. Its answers are shaped like the short-video search APIs the platform
sources use (a `status` envelope, `data.items` records with id / desc / author /
create_time in epoch seconds / counts, `has_more` paging).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from w3lib.url import safe_url_string

from tests.helpers.paths import REPO
from yuqing_spiders.replay.record import fixture_path, sidecar_path

NAME = "demoplat"
HOST = "api.shortvideo.example"
SEARCH = f"https://{HOST}/api/search?keyword=南昌&page=1"
PAGE_SIZE = 2  # DEMOPLAT_PAGE_SIZE in the folder's settings.py, asked for on page 2+

FILES = {
    "__init__.py": '"""示例短视频: a made-up JSON-API platform (tests/helpers/new_source.py)."""\n',
    "parse.py": '''"""示例短视频 search and detail answers: JSON in, items out (pure)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from scrapy.http import TextResponse

from yuqing_spiders.extract.kit.article import UrlParsers
from yuqing_spiders.extract.kit.errors import PayloadError
from yuqing_spiders.extract.kit.numbers import to_count
from yuqing_spiders.extract.kit.payload import dig, load_json, require_list, response_text
from yuqing_spiders.model.items import Author, Metrics, OpinionItem

SEARCH_API = "https://api.shortvideo.example/api/search"
DETAIL_URL_RE = re.compile(r"^https://api\\.shortvideo\\.example/api/item\\?id=(?P<id>\\d+)$")


def parse_search(response: TextResponse) -> tuple[list[OpinionItem], bool]:
    """The records of one result page, and whether there is a next page."""
    data = _answer(response)
    records = require_list(data, "data", "items")
    return [_item(record) for record in records], bool(dig(data, "data", "has_more"))


def parse_detail(response: TextResponse) -> OpinionItem:
    return _item(dig(_answer(response), "data"))


def _answer(response: TextResponse) -> Any:
    data = load_json(response_text(response))
    if dig(data, "status") != 0:
        raise PayloadError("api_error", str(dig(data, "status")))
    return data


def _item(record: Any) -> OpinionItem:
    vid = str(dig(record, "id"))
    return OpinionItem(
        url=f"https://www.shortvideo.example/video/{vid}",
        source="demoplat",
        platform="demovideo",
        native_id=vid,
        title=dig(record, "desc"),
        content=dig(record, "desc"),
        published_at=datetime.fromtimestamp(int(dig(record, "create_time")), UTC),
        author=Author(name=dig(record, "author", "nickname"), id=dig(record, "author", "uid")),
        metrics=Metrics(
            likes=to_count(dig(record, "stats", "digg")),
            comments=to_count(dig(record, "stats", "comment")),
            reposts=to_count(dig(record, "stats", "share")),
        ),
    )


URL_PARSERS: UrlParsers = [(DETAIL_URL_RE, parse_detail)]
''',
    "spider.py": '''"""示例短视频: keyword search pages, each a list of complete records."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import scrapy
from scrapy.http import Response

from spiders._base.spider import YuqingSpider, text_response
from spiders.demoplat import parse as demoplat
from yuqing_spiders.extract.kit.errors import PayloadError
from yuqing_spiders.extract.kit.lists import query_value
from yuqing_spiders.model.items import OpinionItem
from yuqing_spiders.model.meta import LIST_PAGE, SOURCE


class DemoplatSpider(YuqingSpider):
    name = "demoplat"

    def parse(self, response: Response, **_: Any) -> Iterator[OpinionItem | scrapy.Request]:
        page = response.meta.get(LIST_PAGE, 1)
        try:
            items, more = demoplat.parse_search(text_response(response))
        except PayloadError as error:
            self.crawler.stats.inc_value(f"demoplat/bad_answer/{error.reason}")
            return
        yield from items
        if more and page < self.source.max_list_pages:
            keyword = query_value(response.url, "keyword")
            size = self.crawler.settings.getint("DEMOPLAT_PAGE_SIZE")
            query = urlencode({"keyword": keyword, "page": page + 1, "count": size})
            yield scrapy.Request(
                f"{demoplat.SEARCH_API}?{query}",
                callback=self.parse,
                errback=self.on_error,
                dont_filter=True,  # a list page: asked for again on every tick
                meta={SOURCE: response.meta.get(SOURCE), LIST_PAGE: page + 1},
            )
''',
    "settings.py": '''"""示例短视频's settings and defaults (folded into the project settings)."""

from __future__ import annotations

# Records per result page asked for from page 2 on.
DEMOPLAT_PAGE_SIZE = 2
# How reports name the platform, and how a ban looks on it (shared tables gain entries).
YUQING_PLATFORM_NAMES = {"demovideo": "示例短视频"}
BAN_DETECTION_RULES = {
    "demoplat": {"hosts": ["api.shortvideo.example"], "statuses": [461], "captcha_patterns": []},
}
''',
}

YAML_ENTRY = f"""
  {NAME}:
    name: 示例短视频
    platform: demovideo
    spider: {NAME}
    schedule: "*/30 * * * *"
    start_urls: ["{SEARCH}"]
    max_list_pages: 2
"""
MEDIA_LINE = "shortvideo.example,示例短视频,commercial,,made-up platform of the discovery test\n"

NOW = 1_764_040_000  # 2025-11-25 epoch seconds: the API's create_time is epoch seconds


def _record(vid: int, desc: str, digg: object) -> dict[str, object]:
    return {
        "id": vid,
        "desc": desc,
        "create_time": NOW + vid % 1000,
        "author": {"uid": f"u{vid}", "nickname": f"作者{vid % 10}"},
        "stats": {"digg": digg, "comment": "1.2万", "share": 3},
    }


PAGE_1 = {
    "status": 0,
    "data": {
        "has_more": True,
        "items": [
            _record(7001, "南昌红谷滩一小区电梯困人两小时 物业迟迟未到", 1520),
            _record(7002, "南昌地铁2号线早高峰延误 乘客排长队", "3.4万"),
        ],
    },
}
PAGE_2 = {
    "status": 0,
    "data": {"has_more": False, "items": [_record(7003, "青山湖区一路段积水严重 车辆涉水", 98)]},
}
DETAIL = {"status": 0, "data": _record(7001, "南昌红谷滩一小区电梯困人两小时 物业迟迟未到", 1520)}
IDS = {f"{NAME}:7001", f"{NAME}:7002", f"{NAME}:7003"}


def write_folder(spiders_dir: Path) -> Path:
    """The new source's folder under `spiders_dir`."""
    folder = spiders_dir / NAME
    folder.mkdir(parents=True)
    for name, text in FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def page_url(page: int) -> str:
    if page == 1:
        return safe_url_string(SEARCH)
    return safe_url_string(f"https://{HOST}/api/search?keyword=南昌&page={page}&count={PAGE_SIZE}")


def write_fixtures(web_root: Path) -> None:
    """The platform's answers in the replay site's layout (JSON, UTF-8)."""
    answers = {
        page_url(1): PAGE_1,
        page_url(2): PAGE_2,
        f"https://{HOST}/api/item?id=7001": DETAIL,
    }
    for url, answer in answers.items():
        body = fixture_path(web_root, url)
        body.parent.mkdir(parents=True, exist_ok=True)
        body.write_text(json.dumps(answer, ensure_ascii=False), encoding="utf-8")
        headers = {"Content-Type": "application/json; charset=utf-8"}
        sidecar_path(body).write_text(json.dumps({"status": 200, "headers": headers}))


def project_copy(target: Path) -> Path:
    """The project's code and configuration copied to `target`, plus the new source:
    its folder, its sources.yaml entry and its media-tier line — nothing else."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("yuqing_spiders", "spiders", "pipelines", "middlewares", "settings"):
        shutil.copytree(REPO / name, target / name, ignore=ignore)
    shutil.copy2(REPO / "scrapy.cfg", target / "scrapy.cfg")
    write_folder(target / "spiders")
    with (target / "settings" / "sources.yaml").open("a", encoding="utf-8") as handle:
        handle.write(YAML_ENTRY)
    tiers = target / "yuqing_spiders" / "data" / "media" / "media_tiers.csv"
    with tiers.open("a", encoding="utf-8") as handle:
        handle.write(MEDIA_LINE)
    return target
