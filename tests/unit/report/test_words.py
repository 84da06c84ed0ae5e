"""The report in an officer's words: level-reason codes, failure causes, Markdown
that prints any title literally, and charts only where there is data.

The codes are those yuqing_spiders/analysis/level.py writes into `level_reasons`;
the front-page keys those of the frontpage source's boards.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from yuqing_spiders.report import charts
from yuqing_spiders.report.render import md_important
from yuqing_spiders.report.words import (
    failure_in_words,
    md_escape,
    md_link,
    reason_in_words,
    reasons_in_words,
)


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("key_media:central_key", "中央重点媒体刊载"),
        ("key_media:provincial_key", "省级重点媒体刊载"),
        ("risk:sudden", "涉突发"),
        ("risk:mass", "涉群体性"),
        ("front_page:sina", "新浪首页"),
        ("front_page:weibo_hot", "微博热搜"),
        ("heat>=60", "热度达60"),
        ("sites>=3", "3个以上站点转载"),
        ("big_v", "大V发布"),
        ("central_first", "中央媒体首发"),
        ("sentiment:negative", "负面倾向"),
        ("local:南昌市", "涉及南昌市"),
        ("local:watch:青山湖区", "涉及青山湖区"),
        ("something_new", "something_new"),  # an unknown code is shown, not lost
    ],
)
def test_level_reasons_read_as_words(code, words):
    assert reason_in_words(code) == words


def test_platform_reasons_use_the_platform_names_and_repeats_collapse():
    names = {"wenzheng": "问政"}
    assert reasons_in_words(["platform:wenzheng", "risk:sudden", "risk:sudden"], names) == [
        "问政平台",
        "涉突发",
    ]


def test_failure_causes_read_as_words():
    assert failure_in_words("timeout") == "连接超时"
    assert failure_in_words("dns") == "域名解析失败"
    assert failure_in_words("http_403") == "网站返回 HTTP 403"
    assert failure_in_words("item_AttributeError") == "入库前处理出错（AttributeError）"


def test_markdown_prints_a_title_literally():
    """Titles are the sites' own text: `*`, `_`, `[`, `|` or `<script>` must neither
    format the report nor break its table."""
    title = "南昌*某*小区_停水_ [通知](x) | <script>alert(1)</script>"
    escaped = md_escape(title)
    assert "<script>" not in escaped
    for mark in ("*", "_", "[", "]", "(", ")", "|"):
        assert f"\\{mark}" in escaped
    assert md_link("a]b", "http://x.cn/a(1) b") == "[a\\]b](http://x.cn/a%281%29%20b)"
    row = md_important(
        {
            "level": "important",
            "title": "标题|带竖线",
            "url": "http://x.cn/1",
            "media": "某报",
            "source": "people",
            "tier": "central_key",
            "first_note": "首发",
            "front_page": [],
            "big_v": None,
            "reasons": ["key_media:central_key", "risk:sudden"],
            "routed_to": ["青山湖区"],
        }
    )
    assert row[1] == "[标题\\|带竖线](http://x.cn/1)"
    assert row[6] == "中央重点媒体刊载；涉突发"


def test_charts_are_drawn_only_where_there_is_data():
    at = datetime(2026, 11, 25, 8, tzinfo=UTC)
    one = [{"site": "a.cn", "at": at, "is_first_publisher": True}]
    assert charts.bar_chart({}, "空") == ""
    assert charts.bar_chart({"people": 0}, "全为零") == ""
    assert charts.trend_chart([{"at": at, "interactions": 3.0, "members": 1}], one, "单点") == ""
    assert charts.spread_chart(one, "一个站点") == ""
    assert charts.daily_chart([{"day": "2026-11-25", "total": 0, "important": 0}], "空周") == ""
    assert charts.bar_chart({"people": 3}, "有数据").startswith("data:image/png;base64,")
