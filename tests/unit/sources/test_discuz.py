"""Discuz boards: 大江论坛 (spiders/discuz/parse.py).

The fixtures model the sites' public pages: GBK pages, `forum-<fid>-<p>.html` board pages,
`thread-<tid>-1-1.html` threads, rows `tbody[id^=normalthread_]` with `a.s.xst`,
`td.by`, `td.num`, post text `td.t_f`, quotes and edit notes in posts, and the
permission notice. Posts, names and ids are invented.
"""

from __future__ import annotations

from datetime import UTC, datetime

from spiders.discuz import parse as discuz
from tests.helpers.fixtures import response_from_fixture

BBS = "https://bbs.jxnews.com.cn/"
TEMPLATE = BBS + "thread-{tid}-{page}-1.html"


def test_board_page_in_gbk():
    response = response_from_fixture(BBS + "forum-258-1.html")
    assert response.encoding in ("gbk", "gb18030", "cp936")
    page = discuz.parse_board(response, TEMPLATE)
    assert page.board == "百姓呼声"
    assert [(t.tid, t.sticky) for t in page.threads] == [
        ("4100001", True),
        ("4123401", False),
        ("4123402", False),
        ("4123403", False),
    ]
    ktv = page.threads[1]
    assert ktv.title == "新建区长堎镇某小区楼下KTV噪音扰民半年无人管"
    assert (ktv.author, ktv.replies, ktv.views) == ("长堎居民", 4, 1568)
    assert ktv.posted == "2026-11-25 22:41"  # the span's title, not "昨天 22:41"
    assert ktv.url == BBS + "thread-4123401-1-1.html"
    assert page.next_page == BBS + "forum-258-2.html"


def test_thread_pages_give_the_item_and_numbered_floors():
    first = discuz.parse_thread(
        response_from_fixture(BBS + "thread-4123401-1-1.html"), "dajiang_bbs", TEMPLATE
    )
    item = first.item
    assert item.native_id == "4123401"
    assert item.url == BBS + "thread-4123401-1-1.html"
    assert (
        item.content.splitlines()[0]
        == "小区是长堎大道边上的，楼下商铺开了一家KTV，每天晚上唱到凌晨两三点。"
    )
    assert (item.metrics.comments, item.metrics.reads) == (4, 1568)
    assert item.published_at == datetime(2026, 11, 25, 14, 41, 7, tzinfo=UTC)
    assert item.author.name == "长堎居民"
    assert item.media.name == "百姓呼声"
    assert item.complete
    assert [f.floor for f in first.floors] == [2, 3]  # 沙发, 板凳
    quoted = first.floors[0]
    assert quoted.content == "同一个小区的，确实吵，窗户关上都能听到低音炮"  # the quote is dropped
    assert quoted.opinion_id == "dajiang_bbs:4123401"
    assert quoted.native_id == "9876502"
    assert quoted.author.id == "882301"
    assert first.next_page == BBS + "thread-4123401-2-1.html"
    second = discuz.parse_thread(
        response_from_fixture(BBS + "thread-4123401-2-1.html"), "dajiang_bbs", TEMPLATE
    )
    assert second.item is None
    assert second.page == 2
    assert [f.floor for f in second.floors] == [4, 5]  # 地板, 5#
    assert second.floors[1].content == "顶上去，让更多人看到"  # the edit note is dropped
    assert second.floors[1].published_at == datetime(2026, 11, 26, 0, 12, 40, tzinfo=UTC)


def test_permission_notice_is_recognised():
    refused = response_from_fixture(BBS + "thread-4123403-1-1.html")
    assert discuz.restriction(refused) == "抱歉，本帖要求阅读权限高于 10 才能浏览"
    assert discuz.parse_thread(refused, "dajiang_bbs", TEMPLATE).item is None
    assert discuz.restriction(response_from_fixture(BBS + "thread-4123402-1-1.html")) is None
