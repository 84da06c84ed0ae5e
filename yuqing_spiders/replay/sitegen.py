"""Generated replay sites: many people.com.cn-style articles for benchmarks and fault tests.

Each article is the real GBK template of a fixture with a numbered headline, under
``jx.people.com.cn/n2/2026/1126/c186330-<id>.html``; list pages under
``jx.people.com.cn/GB/<name>/`` link all of them. Served by the replay server like any
fixture tree (docs/replay.md).
"""

from __future__ import annotations

import re
from pathlib import Path

from yuqing_spiders.resources import read_bytes

HOST = "jx.people.com.cn"
TEMPLATE = (
    Path(__file__).resolve().parents[2]
    / "tests/fixtures/web/jx.people.com.cn/n2/2026/1125/c186330-41401779.html"
)
FIRST_ID = 50000000


def article_url(index: int) -> str:
    return f"http://{HOST}/n2/2026/1126/c186330-{FIRST_ID + index}.html"


def article_id(index: int) -> str:
    """The stored `_id` of article `index` (the people spider's `people:<native id>`)."""
    return f"people:{FIRST_ID + index}"


def list_url(name: str) -> str:
    return f"http://{HOST}/GB/{name}/"


def build_site(root: Path, count: int, lists: tuple[str, ...] = ("all",)) -> list[str]:
    """Write `count` articles and one list page per name in `lists` linking them all;
    returns the article URLs."""
    page = read_bytes(TEMPLATE).decode("gbk")
    urls = []
    for i in range(count):
        url = article_url(i)
        path = root / HOST / url.split(f"{HOST}/", 1)[1]
        path.parent.mkdir(parents=True, exist_ok=True)
        body = re.sub(r"<h1>(.*?)</h1>", rf"<h1>\1（第{i}篇）</h1>", page, count=1)
        path.write_bytes(body.encode("gbk"))
        urls.append(url)
    links = "".join(f'<li><a href="{u}">第{i}篇</a></li>' for i, u in enumerate(urls))
    listing = (
        '<html><head><meta charset="gbk"></head><body>'
        f'<div class="ej_list_box"><ul>{links}</ul></div></body></html>'
    )
    for name in lists:
        index = root / HOST / f"GB/{name}/index.html"
        index.parent.mkdir(parents=True, exist_ok=True)
        index.write_bytes(listing.encode("gbk"))
    return urls
