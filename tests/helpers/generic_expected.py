"""What the generic extractor must read from the hand-made pages in
tests/fixtures/generic/ that each show one class of template trouble seen on real
Chinese sites (issue 14). The pages are invented; every one states the public fact it
models. Used by tests/unit/extract/test_generic_classes.py and bench/generic_score.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

# An expected value that is not scored (the page does not decide it).
ANY = object()


@dataclass(frozen=True)
class Page:
    url: str
    fact: str  # the public fact about real sites the page models
    title: str
    published_at: datetime
    source: str | None
    author: object  # str | None | ANY
    first: str  # the body's first paragraph starts with this
    last: str  # its last paragraph starts with this
    not_in_body: tuple[str, ...] = ()
    editor: object = field(default=ANY)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


PAGES = [
    Page(
        "http://www.dzjssj.cn/news/2026/1125/8812.html",
        "trade-press sites end <title> with '-Site' (no spaces); the headline sits in a "
        "table cell, not an h1; '出处：' labels the source; related-article and 关注我们 "
        "blocks follow the story",
        "南昌高新区芯片封装测试基地一期投产",
        utc(2026, 11, 25, 2, 18),
        "电子技术设计",
        "钟明远",
        "11月24日，位于南昌高新区",
        "南昌高新区有关部门表示",
        ("相关文章", "关注我们", "扫码关注", "倒装焊到晶圆级"),
    ),
    Page(
        "http://www.ncjyyy-sample.cn/xwdt/2026/1124/381.html",
        "hospital sites end <title> with ' Hospital name' after a space and show their "
        "column (新闻动态) as an h2; '来源于：' labels the source; a 免责声明 block longer "
        "than the story follows it",
        "我院专家团队赴进贤县开展冬季义诊",
        utc(2026, 11, 24, 7, 6),
        "党委宣传部",
        None,
        "11月22日，我院组织",
        "活动现场",
        ("免责声明", "不承担任何责任", "特此声明"),
    ),
    Page(
        "http://www.ncweather-sample.cn/mryb/20261125/1001.html",
        "a column heading (每日预测) is the page's only h1; a header clock shows today's "
        "date; the publisher's name stands beside the time without a label; the text "
        "names a later date",
        "南昌明天多云转小雨 最高气温12℃",
        utc(2026, 11, 25, 9, 30),
        "南昌市气象台",
        None,
        "受冷空气影响",
        "据介绍",
    ),
    Page(
        "http://www.zmt-sample.cn/article/7301.html",
        "self-media pages (baijiahao, 网易号, 企鹅号) show the account name beside a "
        "year-less time 'MM-DD HH:MM'; the year is in itemprop=dateUpdate",
        "南昌这条老街改造后重新开放，市民点赞",
        utc(2026, 11, 25, 1, 41),
        "赣江观察",
        ANY,
        "经过半年多的提升改造",
        "据了解",
        ("不代表平台观点",),
    ),
    Page(
        "http://news.portal-sample.cn/c/2026-11-25/doc-ixyz1234.shtml",
        "portals keep article:published_time at the last update (hours after the shown "
        "time); the source link is followed by a glued 参与互动 link; meta author and the "
        "责任编辑 line name the editor; a 转载 line ends the body",
        "江西启动冬季森林防火专项行动",
        utc(2026, 11, 25, 1, 42),
        "新华社",
        None,
        "新华社南昌11月25日电",
        "江西省林业局有关负责人表示",
        ("转载请注明", "责任编辑"),
        editor="张俊杰",
    ),
    Page(
        "http://www.jxgov-sample.cn/art/2026/11/24/art_12_345.html",
        "a header include closes </html> early, so lxml puts the article under a second "
        "root; a date-only <meta name=publishdate> disagrees with the shown datetime; a "
        "版权声明 box names another '来源'",
        "关于调整部分公交线路的通告",
        utc(2026, 11, 23, 8, 20),
        "市交通运输局",
        None,
        "为方便市民出行",
        "特此通告",
        ("版权声明",),
    ),
]


def score_page(page: Page, item: object) -> dict[str, bool]:
    """Field -> right or wrong for one extracted item (fields not scored are left out)."""
    content = getattr(item, "content", None) or ""
    lines = content.split("\n")
    media = getattr(item, "media", None)
    author = getattr(getattr(item, "author", None), "name", None)
    scores = {
        "title": getattr(item, "title", None) == page.title,
        "time": getattr(item, "published_at", None) == page.published_at,
        "source": getattr(media, "name", None) == page.source,
        "body": bool(content)
        and lines[0].startswith(page.first)
        and lines[-1].startswith(page.last)
        and not any(noise in content for noise in page.not_in_body),
    }
    if page.author is not ANY:
        scores["author"] = author == page.author
    return scores
