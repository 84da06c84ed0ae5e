"""Generated replay sites: many people.com.cn-style articles for benchmarks and fault tests.

Each article is the real GBK template of a fixture with a numbered headline and a body
of its own (texts from the shipped sentiment sample, no two articles alike, so the
near-duplicate stage sees different stories, as on a real channel, not one story
reposted N times; `_picked`), under
``jx.people.com.cn/n2/2026/1126/c186330-<id>.html``; list pages under
``jx.people.com.cn/GB/<name>/`` link all of them. Served by the replay server like any
fixture tree (docs/replay.md).
"""

from __future__ import annotations

import csv
import io
import math
import re
from functools import cache
from pathlib import Path

from yuqing_spiders.model.resources import read_bytes

HOST = "jx.people.com.cn"
TEMPLATE = (
    Path(__file__).resolve().parents[2]
    / "tests/fixtures/web/jx.people.com.cn/n2/2026/1125/c186330-41401779.html"
)
FIRST_ID = 50000000
TEXTS = Path(__file__).resolve().parents[2] / "datasets/sentiment/sample.csv"
BODY = re.compile(r'(<div class="rm_txt_con cf">).*?(<div class="box_tjyd")', re.S)
PARAGRAPHS_PER_ARTICLE = 3


def _texts() -> list[str]:
    rows = csv.DictReader(io.StringIO(read_bytes(TEXTS).decode("utf-8")))
    # GBK pages: keep the texts GBK can carry (a few reviews hold emoji).
    return [r["text"] for r in rows if len(r["text"]) > 30 and _gbk_safe(r["text"])]


def _gbk_safe(text: str) -> bool:
    try:
        text.encode("gbk")
    except UnicodeEncodeError:
        return False
    return True


def _body(texts: list[str], index: int) -> str:
    return "".join(f"<p>\u3000\u3000{t}</p>\n" for t in _picked(texts, index))


def _picked(texts: list[str], index: int) -> list[str]:
    """The paragraphs of article `index`: consecutive texts on the first pass over the
    sample; on each later pass, texts a fixed step apart (a step coprime with the
    sample's size, a new one per pass, never below the article's length). Within a
    pass no two articles share a text, and across passes two share at most a text or
    two: a long crawl stays a channel of different stories instead of repeating the
    first ones (with 2,338 texts, after 389 articles of 6 paragraphs)."""
    size, width = len(texts), PARAGRAPHS_PER_ARTICLE
    per_pass = max(1, size // width)
    rounds, slot = divmod(index, per_pass)
    step = _step(size, rounds, floor=width + 1)
    return [texts[((slot * width + k) * step) % size] for k in range(width)]


@cache  # one per pass; each was counted up again for every article
def _step(size: int, rounds: int, *, floor: int) -> int:
    """1 on the first pass; on pass p, the p-th number from `floor` up coprime with `size`."""
    if rounds == 0:
        return 1
    step, found = floor - 1, 0
    while found < rounds:
        step += 1
        if math.gcd(step, size) == 1:
            found += 1
    return step


def _with_body(page: str, body: str) -> str:
    # A function replacement, so backslashes in the text are not read as escapes.
    return BODY.sub(lambda m: m.group(1) + "\n" + body + m.group(2), page)


def article_url(index: int) -> str:
    return f"http://{HOST}/n2/2026/1126/c186330-{FIRST_ID + index}.html"


def article_id(index: int) -> str:
    """The stored `_id` of article `index` (the people spider's `people:<native id>`)."""
    return f"people:{FIRST_ID + index}"


def list_url(name: str) -> str:
    return f"http://{HOST}/GB/{name}/"


# Links per list page: a list of 100,000 links is 9 MB, over Scrapy's DOWNLOAD_MAXSIZE.
LINKS_PER_LIST = 20_000


def list_names(name: str, count: int) -> list[str]:
    """The list pages `build_site` writes for `name`: `name` links the first
    LINKS_PER_LIST articles, `name-2` the next ones, and so on."""
    pages = max(1, -(-count // LINKS_PER_LIST))
    return [name] + [f"{name}-{n}" for n in range(2, pages + 1)]


def build_site(root: Path, count: int, lists: tuple[str, ...] = ("all",)) -> list[str]:
    """Write `count` articles and, per name in `lists`, list pages linking them all
    (`list_names`); returns the article URLs."""
    page = read_bytes(TEMPLATE).decode("gbk")
    texts = _texts()
    urls = []
    for i in range(count):
        url = article_url(i)
        path = root / HOST / url.split(f"{HOST}/", 1)[1]
        path.parent.mkdir(parents=True, exist_ok=True)
        body = re.sub(r"<h1>(.*?)</h1>", rf"<h1>\1（第{i}篇）</h1>", page, count=1)
        body = _with_body(body, _body(texts, i))
        path.write_bytes(body.encode("gbk"))
        urls.append(url)
    for name in lists:
        for number, page_name in enumerate(list_names(name, count)):
            start = number * LINKS_PER_LIST
            links = "".join(
                f'<li><a href="{u}">第{start + i}篇</a></li>'
                for i, u in enumerate(urls[start : start + LINKS_PER_LIST])
            )
            listing = (
                '<html><head><meta charset="gbk"></head><body>'
                f'<div class="ej_list_box"><ul>{links}</ul></div></body></html>'
            )
            index = root / HOST / f"GB/{page_name}/index.html"
            index.parent.mkdir(parents=True, exist_ok=True)
            index.write_bytes(listing.encode("gbk"))
    return urls
