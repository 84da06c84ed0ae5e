"""Front-page boards: where each site's front page or hot list puts its links
(spiders/frontpage/parse.py).

Fixtures model the sites' public pages (and the hot lists): the 人民网 home page (GBK,
article links under blocks with ids; its real block selectors are not public); 网易
`cm_yaowen20200213` JSONP; 新浪 roll feed lid 2509; 腾讯 getPCList and 搜狐 odin
blockdata (POST, one fixture per path); 凤凰 `var allData` with `newsstream`; 澎湃
m.thepaper.cn `__NEXT_DATA__` (`topData.recommendImg`, `data.list`); Weibo
`ajax/side/hotSearch` (`data.realtime[]`, ads with `is_ad`); Baidu
`<!--s-data:...-->` (`data.cards[0].content[]`); Toutiao hot board `data[]`
(`ClusterIdStr`). The snapshot store and the item flags, on real Redis and MongoDB,
are in tests/integration/sources/test_frontpage_pipelines.py.
"""

from __future__ import annotations

import pytest
from scrapy.http import TextResponse

from spiders.frontpage import parse as frontpage
from tests.helpers.boards import board
from yuqing_spiders.extract.kit.errors import PayloadError

NETEASE_YAOWEN = "https://news.163.com/special/cm_yaowen20200213/"


def test_people_home_links_are_canonical_and_ranked_per_block():
    site, links = board("http://www.people.com.cn/")
    assert site == "people"
    by_block = {}
    for link in links:
        by_block.setdefault(link.block, []).append((link.rank, link.canonical_url))
    assert by_block["rmw_toutiao"][0] == (
        1,
        "http://politics.people.com.cn/n1/2026/1125/c1001-40613001.html",
    )
    # https + #comments on the page, stored as the people parser names it.
    assert by_block["rmw_yaowen"][0] == (
        1,
        "http://society.people.com.cn/n1/2026/1124/c1008-40612345.html",
    )
    assert [r for r, _ in by_block["rmw_yaowen"]] == [1, 2, 3]  # the list link is not an article


@pytest.mark.parametrize(
    ("url", "site", "count", "first_block"),
    [
        (NETEASE_YAOWEN, "netease", 2, "要闻"),
        (
            "https://feed.mix.sina.com.cn/api/roll/get?pageid=153&lid=2509&k=&num=50&page=1",
            "sina",
            3,
            "滚动",
        ),
        ("https://i.news.qq.com/web_feed/getPCList", "tencent", 2, "要闻"),
        ("https://odin.sohu.com/odin/api/blockdata", "sohu", 2, "要闻"),
        ("https://news.ifeng.com/", "ifeng", 3, "头条"),
        ("https://m.thepaper.cn/", "thepaper", 3, "头条"),
        ("https://weibo.com/ajax/side/hotSearch", "weibo_hot", 3, "热搜"),
        ("https://top.baidu.com/board?tab=realtime", "baidu_hot", 2, "实时热点"),
        (
            "https://www.toutiao.com/hot-event/hot-board/?origin=toutiao_pc",
            "toutiao_hot",
            2,
            "热榜",
        ),
    ],
)
def test_every_board_reads_its_page(url, site, count, first_block):
    found_site, links = board(url)
    assert found_site == site
    assert len(links) == count
    assert links[0].block == first_block
    assert links[0].rank == 1
    assert all(link.canonical_url for link in links)


def test_hot_lists_link_to_the_platforms_topic_pages_and_skip_ads():
    _, weibo = board("https://weibo.com/ajax/side/hotSearch")
    assert [link.title for link in weibo] == [
        "南昌地铁4号线早高峰加开列车",
        "全国冬季供暖全面启动",
        "青山湖区停水",
    ]
    assert (
        weibo[2].url
        == "https://s.weibo.com/weibo?q=%23%E9%9D%92%E5%B1%B1%E6%B9%96%E5%8C%BA%E5%81%9C%E6%B0%B4%23"
    )
    _, toutiao = board("https://www.toutiao.com/hot-event/hot-board/?origin=toutiao_pc")
    assert toutiao[0].url == "https://www.toutiao.com/trending/7441234567890123456/"


def test_a_changed_front_page_is_a_reason_not_an_empty_poll():
    html = TextResponse(
        url="https://m.thepaper.cn/", body=b"<html><body>new</body></html>", encoding="utf-8"
    )
    with pytest.raises(PayloadError) as caught:
        frontpage.parse_board(html)
    assert caught.value.reason == "no_embedded_json"
    hot = TextResponse(
        url="https://weibo.com/ajax/side/hotSearch", body=b'{"ok": -100}', encoding="utf-8"
    )
    with pytest.raises(PayloadError):
        frontpage.parse_board(hot)
