"""Per-record isolation: one malformed record never costs the rest of a page.

Issue 12 item 2: in a real m.weibo.cn answer, a `retweeted_status` without `id`, a
count of 1e400 or a `source` that is a list each lost every post of the page. This
fuzz test takes every JSON list/API fixture of the replay site (the shapes the sites publicly serve
documents for each platform), mutates each field of each record in turn — a type swap,
null, missing, a huge number (1e400 and 10**30) — and asserts that the parser still
returns every record the page holds besides the mutated one, never raises, and keeps
counts within MongoDB's int64.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, is_dataclass
from typing import Any

import pytest
from scrapy.http import TextResponse

from spiders.baijiahao import parse as baijiahao
from spiders.cctv import parse as cctv
from spiders.frontpage import parse as frontpage
from spiders.jxxw import parse as jxxw
from spiders.liuyan import parse as liuyan
from spiders.netease import parse as netease
from spiders.search import parse_sites as site_search
from spiders.sina import parse as sina
from spiders.sohu import parse as sohu
from spiders.tencent import parse as tencent
from spiders.thepaper import parse as thepaper
from spiders.tieba import parse as tieba
from spiders.weibo import parse as weibo
from spiders.weibo.search import Slice, mobile_url
from tests.helpers.paths import FIXTURES_WEB
from yuqing_spiders.extract.kit.numbers import INT64_MAX, INT64_MIN
from yuqing_spiders.extract.kit.records import Records, isolated, record_errors
from yuqing_spiders.replay.record import fixture_path

HUGE_FLOAT = "__huge_float__"  # written into the JSON text as 1e400 (inf in Python)


@dataclass
class Case:
    name: str
    url: str
    rows: Callable[[Any], list[Any]]  # the record list inside the parsed answer
    parse: Callable[[Any], list[Any]]  # answer (response or data) -> records
    key: Callable[[Any], Any]  # a record's identity
    as_response: bool = True  # the parser reads a response, not decoded data
    # What the spider builds from a raw record (liuyan rows, weibo posts are dicts).
    item: Callable[[Any], Any] | None = None


def _dig(*path: str) -> Callable[[Any], list[Any]]:
    def rows(data: Any) -> list[Any]:
        for part in path:
            data = data[part]
        return data

    return rows


CASES = [
    Case(
        "sina",
        "https://feed.mix.sina.com.cn/api/roll/get?pageid=153&lid=2510&k=&num=50&page=1",
        _dig("result", "data"),
        sina.parse_feed,
        lambda e: e.url,
    ),
    Case(
        "netease",
        "https://news.163.com/special/cm_guonei/",
        _dig(),
        netease.parse_list,
        lambda e: e.url,
    ),
    Case("tencent", tencent.LIST_API, _dig("data"), tencent.parse_list, lambda e: e.url),
    Case(
        "sohu",
        sohu.BLOCK_API,
        lambda d: d["data"][sohu.FEED_COMPONENT]["list"],
        sohu.parse_blockdata,
        lambda e: e.url,
    ),
    Case(
        "baijiahao",
        baijiahao.feed_url("Yq7Hc2kT9mWbLxN3"),
        _dig("data", "list"),
        baijiahao.parse_feed,
        lambda e: e.url,
    ),
    Case(
        "cctv",
        "https://news.cctv.com/2019/07/gaiban/cmsdatainterface/page/china_1.jsonp",
        _dig("data", "list"),
        cctv.parse_list,
        lambda r: r.id,
    ),
    Case(
        "jxxw",
        "http://www.jxxw.com.cn/app/v4/news/index?modelid=1&categoryId=3&page=1&type=1",
        _dig("data", "list"),
        jxxw.parse_list,
        lambda r: r.content_id,
    ),
    Case(
        "thepaper",
        "https://api.thepaper.cn/contentapi/nodeCont/getByChannelId",
        _dig("data", "list"),
        thepaper.parse_rows,
        lambda r: r.cont_id,
        as_response=False,
    ),
    Case(
        "tieba_frs",
        tieba.FRS_URL,
        _dig("thread_list"),
        lambda d: tieba.parse_frs(d).threads,
        lambda t: t.tid,
        as_response=False,
    ),
    Case(
        "tieba_pb",
        tieba.PB_URL,
        _dig("post_list"),
        lambda d: tieba.parse_pb(d).floors,
        lambda c: c.native_id,
        as_response=False,
    ),
    Case(
        "liuyan_list",
        "https://liuyan.people.com.cn/v1/threads/list/df",
        _dig("resultData", "data"),
        lambda d: liuyan.parse_list(d).rows,
        lambda r: r["tid"],
        as_response=False,
        item=liuyan.row_item,
    ),
    Case(
        "liuyan_search",
        "https://liuyan.people.com.cn/v2/threads/search?sortType=0",
        _dig("data", "data"),
        liuyan.parse_search,
        lambda r: r["tid"],
        as_response=False,
        item=liuyan.row_item,
    ),
    Case(
        "weibo_search",
        mobile_url(Slice("南昌地铁")),
        _dig("data", "cards"),
        lambda d: weibo.parse_search(d).mblogs,
        lambda m: str(m.get("mid") or m.get("id")),
        as_response=False,
        item=weibo.post_item,
    ),
    Case(
        "weibo_comments",
        "https://m.weibo.cn/comments/hotflow?id=5102938475610001&mid=5102938475610001&max_id_type=0",
        _dig("data", "data"),
        lambda d: weibo.parse_comments(d, "weibo:1", "u").comments,
        lambda c: c.native_id,
        as_response=False,
    ),
    Case(
        "weibo_hot",
        "https://weibo.com/ajax/side/hotSearch",
        _dig("data", "realtime"),
        frontpage.parse_weibo_hot,
        lambda link: link.canonical_url,
    ),
    Case(
        "toutiao_hot",
        "https://www.toutiao.com/hot-event/hot-board/?origin=toutiao_pc",
        _dig("data"),
        frontpage.parse_toutiao_hot,
        lambda link: link.canonical_url,
    ),
    Case(
        "search_people",
        site_search.PEOPLE_SEARCH,
        _dig("data", "records"),
        lambda r: site_search.parse_people(r).results,
        lambda s: s.url,
    ),
    Case(
        "search_thepaper",
        site_search.THEPAPER_SEARCH,
        _dig("data", "list"),
        lambda r: site_search.parse_thepaper(r).results,
        lambda s: s.url,
    ),
    Case(
        "search_hubpd",
        site_search.HUBPD_SEARCH,
        _dig("data"),
        lambda r: site_search.parse_hubpd(r).results,
        lambda s: s.url,
    ),
]


def _fixture(url: str) -> tuple[str, Any, str]:
    """The fixture's text around its JSON (a JSONP callback), and the JSON."""
    text = fixture_path(FIXTURES_WEB, url).read_text(encoding="utf-8").strip().lstrip("\ufeff")
    if text[0] in "[{":
        return "", json.loads(text), ""
    start, end = text.index("(") + 1, text.rindex(")")
    return text[:start], json.loads(text[start:end]), text[end:]


def _answer(case: Case, prefix: str, data: Any, suffix: str) -> Any:
    body = json.dumps(data, ensure_ascii=False).replace(f'"{HUGE_FLOAT}"', "1e400")
    if not case.as_response:
        return json.loads(body)
    return TextResponse(case.url, body=(prefix + body + suffix).encode(), encoding="utf-8")


def _swap(value: Any) -> Any:
    """A value of another JSON type than `value`."""
    if isinstance(value, str):
        return [value, value]
    if isinstance(value, bool) or value is None:
        return {"x": [1]}
    if isinstance(value, int | float):
        return "not a number"
    if isinstance(value, list):
        return "a text"
    return 42  # a dict


MUTATIONS: dict[str, Callable[[Any], Any]] = {
    "swap": _swap,
    "null": lambda v: None,
    "huge_float": lambda v: HUGE_FLOAT,
    "huge_int": lambda v: 10**30,
    "negative_huge": lambda v: -(10**30),
}


def _paths(value: Any, prefix: tuple[Any, ...] = (), depth: int = 3) -> Iterator[tuple[Any, ...]]:
    """Every field path inside a record, nested objects and list items included."""
    if depth == 0:
        return
    items = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    for key, child in items:
        yield (*prefix, key)
        yield from _paths(child, (*prefix, key), depth - 1)


def _mutated(row: Any, path: tuple[Any, ...], mutation: str) -> Any:
    row = copy.deepcopy(row)
    parent = row
    for part in path[:-1]:
        parent = parent[part]
    if mutation == "missing":
        if isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent.pop(path[-1])
    else:
        parent[path[-1]] = MUTATIONS[mutation](parent[path[-1]])
    return row


def _ints_within_int64(value: Any) -> bool:
    """Counts and ids the parser sets are int64; `extra` (copied from the answer) is
    made storable by the normalise stage (tests/unit/pipelines/test_normalise_safety.py)."""
    if is_dataclass(value) and not isinstance(value, type):
        value = {k: v for k, v in asdict(value).items() if k != "extra"}
    elif hasattr(value, "to_dict") and callable(value.to_dict):
        value = value.to_dict()
    if isinstance(value, bool):
        return True
    if isinstance(value, int):
        return INT64_MIN <= value <= INT64_MAX
    if isinstance(value, dict):
        return all(_ints_within_int64(v) for v in value.values())
    if isinstance(value, list | tuple):
        return all(_ints_within_int64(v) for v in value)
    return True


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_a_bad_field_costs_only_its_record(case: Case) -> None:
    prefix, data, suffix = _fixture(case.url)
    rows = case.rows(data)
    baseline = case.parse(_answer(case, prefix, data, suffix))
    assert len(rows) >= 2, "the fixture must hold several records"
    assert baseline
    build = case.item or (lambda record: record)
    tried = 0
    for index, row in enumerate(rows):
        others_data = copy.deepcopy(data)
        del case.rows(others_data)[index]
        others = {case.key(r) for r in case.parse(_answer(case, prefix, others_data, suffix))}
        for path in _paths(row):
            for mutation in ("missing", *MUTATIONS):
                bad = copy.deepcopy(data)
                case.rows(bad)[index] = _mutated(row, path, mutation)
                got = case.parse(_answer(case, prefix, bad, suffix))
                tried += 1
                where = f"{case.name} record {index} {'.'.join(map(str, path))} {mutation}"
                assert others <= {case.key(r) for r in got}, where
                assert all(_ints_within_int64(build(r)) for r in got), where
    assert tried > 20


def test_weibo_posts_of_the_issue_cost_at_most_themselves() -> None:
    # The three faults issue 12 met on one page, each in a different post.
    url = mobile_url(Slice("南昌地铁"))
    prefix, data, suffix = _fixture(url)
    page = weibo.parse_search(data)
    mids = [m["mid"] for m in page.mblogs]
    bad = copy.deepcopy(data)
    posts = [c["mblog"] for c in bad["data"]["cards"] if c.get("mblog")]
    posts[0]["retweeted_status"] = {"text": "no id"}
    posts[1]["attitudes_count"] = HUGE_FLOAT
    posts[2]["source"] = ["iPhone", "客户端"]
    posts[3]["user"] = None
    posts[3]["comments_count"] = 10**30
    got = weibo.parse_search(_answer(CASES[12], prefix, bad, suffix))
    # A post that can still be read is kept (counts clamped); only unreadable ones go.
    kept = [m["mid"] for m in got.mblogs]
    assert set(kept) >= set(mids) - {p["mid"] for p in posts[:4]}
    assert len(kept) + record_errors(got.mblogs) == len(mids)
    items = [weibo.post_item(m) for m in got.mblogs]
    assert all(_ints_within_int64(i) for i in items)


def test_isolated_counts_errors_by_type_and_skips_nones() -> None:
    records = isolated(
        [{"a": 1}, None, {"a": "x"}, {"b": 2}, {"a": 3}],
        lambda r: int(r["a"]) if r.get("a") != 3 else None,
        "test",
    )
    assert list(records) == [1]
    assert isinstance(records, Records)
    assert records.errors == {"AttributeError": 1, "ValueError": 1, "KeyError": 1}
    assert record_errors(records) == 3
    assert record_errors([1, 2]) == 0
    assert re.fullmatch(r"\d+", str(records.error_count))
