"""搜狗微信 search, link decoding and mp.weixin.qq.com articles (spiders/weixin/parse.py).

Fixtures model the sites' public pages: result list `ul.news-list > li` with red_beg/red_end
markers, `timeConvert('<unix>')`, the page's `var uigs_para` (snuid); `/link?url=`
answers that build the article URL from `url += '...'` fragments (ZC); the
`/antispider/` captcha page; the article page's `#activity-name`, `#js_content`,
`#js_name`, `var ct`, `var msg_link`. Texts, accounts and ids are invented.
"""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import quote

from scrapy.http import HtmlResponse

from spiders.weixin import parse as weixin
from tests.helpers.fixtures import response_from_fixture

KW_WATER = "南昌停水"
ARTICLE_B = (
    "https://mp.weixin.qq.com/s?src=11&timestamp=1764120060&ver=5624"
    "&signature=Pz7mWq2Rt9YcN0bVx4Kd1Ls8Jf6Gh3Ea5Uo-Ci2Bn0=&new=1"
)


def _search_page(term: str = KW_WATER) -> weixin.SearchPage:
    return weixin.parse_search(response_from_fixture(weixin.search_url(term)))


def test_search_page_results_without_highlight_markers():
    # Models WSG structuring.py: ul.news-list > li, h3 a title with red_beg/red_end
    # comments, p.txt-info abstract, the account, timeConvert('<unix>').
    page = _search_page()
    assert [r.title for r in page.results] == [
        "关于红谷滩区部分区域计划停水的通知",
        "青山湖区多个小区连续停水三天，居民：没人来说一声",
        "东湖区这些路段明日停水",
    ]
    assert [r.account for r in page.results] == ["南昌发布", "南昌身边事", "南昌吃喝玩乐"]
    # 2026-11-24 21:12 in Beijing is 13:12 UTC.
    assert page.results[1].published_at == datetime(2026, 11, 24, 13, 12, tzinfo=UTC)
    assert page.results[0].abstract.startswith("因红谷滩区丰和中大道")
    assert all(r.link.startswith("https://weixin.sogou.com/link?url=dn9a_") for r in page.results)
    assert page.next_page == (
        f"https://weixin.sogou.com/weixin?query={quote(KW_WATER)}&type=2&page=2&ie=utf8"
    )


def test_uigs_parameters_give_snuid_and_a_pixel_url_without_it():
    # Models the page's `var uigs_para` (ZC: snuid comes from it; SUV from pv.gif).
    page = _search_page()
    assert page.snuid == "6A1B2C3D4E5F60718293A4B5C6D7E8F9"
    pixel = weixin.suv_pixel_url(page.uigs)
    assert pixel.startswith("https://pb.sogou.com/pv.gif?uigs_productid=vs_web&")
    assert "snuid" not in pixel
    assert page.snuid not in pixel
    assert f"query={quote(KW_WATER)}" in pixel


def test_k_and_h_follow_sogous_click_handler():
    # The doc's rule: h = href[href.find("url=") + 4 + 21 + k]. With a token of the
    # digits 0-9 repeated, the character at token offset 21 + k is str((21 + k) % 10).
    link = "https://weixin.sogou.com/link?url=" + "0123456789" * 13 + "&type=2"
    assert weixin.link_request_url(link, 1) == link + "&k=1&h=2"
    assert weixin.link_request_url(link, 100) == link + "&k=100&h=1"
    assert weixin.link_request_url(link + "&k=5&h=6", 7) == link + "&k=5&h=6"  # once only


def test_k_is_stable_per_link_and_in_range():
    page = _search_page()
    ks = [weixin.link_k(r.link) for r in page.results]
    assert all(1 <= k <= 100 for k in ks)
    assert ks == [weixin.link_k(r.link) for r in _search_page().results]


def test_sogou_link_decodes_to_the_article_and_the_article_parses():
    # The "done when" case: result link → &k&h → the link page's url += '...' parts
    # (one with the '@' that ZC's decoder removes) → the mp.weixin.qq.com article.
    link = _search_page().results[1].link
    answer = response_from_fixture(weixin.link_request_url(link, weixin.link_k(link)))
    assert "url += '" in answer.text
    assert "@" in answer.text
    target = weixin.decode_link_page(answer.text)
    assert target == ARTICLE_B
    item = weixin.parse_article(response_from_fixture(target))
    assert item.title == "青山湖区多个小区连续停水三天，居民：没人来说一声"
    assert item.author.name == "南昌身边事"
    assert item.author.id == "gh_9e8d7c6b5a41"
    assert item.native_id == "MzI4NjE2MzQ1Mg==:2247501234:2"
    assert item.canonical_url == (
        "https://mp.weixin.qq.com/s?__biz=MzI4NjE2MzQ1Mg%3D%3D&mid=2247501234&idx=2"
        "&sn=f3e2d1c0b9a8978685746352413021fe"
    )
    assert item.published_at == datetime(2026, 11, 24, 13, 12, tzinfo=UTC)  # var ct
    assert item.content.splitlines()[0].startswith("“已经第三天了")
    assert "来源：" not in item.content  # furniture line dropped
    assert item.extra["byline"] == "小南"
    assert item.complete


def test_link_page_without_fragments_is_not_decoded():
    assert weixin.decode_link_page("<script>window.location.replace('/')</script>") is None
    outside = "<script>var url = '';url += 'https://evil.exam';url += 'ple.com/';</script>"
    assert weixin.decode_link_page(outside) is None


def test_antispider_redirect_target_is_recognised():
    # Models U-TT's check: blocked clients land on an `antispider` URL (captcha page).
    anti = "https://weixin.sogou.com/antispider/?from=" + quote(
        f"/weixin?query={quote(KW_WATER)}&type=2&page=2&ie=utf8", safe=""
    )
    page = response_from_fixture(anti)
    assert weixin.is_antispider(page)
    body_only = HtmlResponse(url="https://weixin.sogou.com/weixin?x=1", body=page.body)
    assert weixin.is_antispider(body_only)  # the page itself, whatever its URL
    assert not weixin.is_antispider(response_from_fixture(weixin.search_url(KW_WATER)))
    assert weixin.parse_search(page).results == []


def test_deleted_article_is_a_state_not_an_item():
    deleted = response_from_fixture(
        "https://mp.weixin.qq.com/s?src=11&timestamp=1764120060&ver=5624"
        "&signature=Xc5vBn8Mq1Wa4Zs7Ed2Rf9Tg3Yh6Uj0Ik-Ol1Pq2Ws=&new=1"
    )
    assert weixin.article_block(deleted) == "deleted"
    assert weixin.article_block(response_from_fixture(ARTICLE_B)) is None
    captcha = HtmlResponse(
        url=ARTICLE_B, body="<p>当前环境异常，完成验证后即可继续访问</p>".encode(), encoding="utf-8"
    )
    assert weixin.article_block(captcha) == "captcha"
