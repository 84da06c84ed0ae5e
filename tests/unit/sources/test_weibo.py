"""Weibo parse functions (spiders/weibo/parse.py) on the replay fixtures
(tests/fixtures/web/README.md, 新浪微博).

Each test names the public fact its fixture models; all posts,
accounts and numbers in the fixtures are invented.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from spiders.weibo import parse as weibo
from spiders.weibo.search import Slice, mobile_url, pc_url
from tests.helpers.paths import FIXTURES_WEB
from yuqing_spiders.extract.kit.numbers import to_count
from yuqing_spiders.replay.record import fixture_path

KEYWORD = "南昌地铁"


def fixture_text(url: str) -> str:
    return fixture_path(FIXTURES_WEB, url).read_text(encoding="utf-8")


def fixture_json(url: str) -> dict:
    return json.loads(fixture_text(url))


# --- small values -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shown", "value"),
    [(12, 12), ("328", 328), ("1.5万", 15000), ("56.8万", 568000), ("100万+", 1000000),
     ("1.2亿", 120000000), ("", None), (None, None), ("赞", None), (True, None)],
)  # fmt: skip
def test_counts_as_weibo_shows_them(shown: object, value: int | None) -> None:
    # Fact: m.weibo.cn gives followers as numbers or as "56.8万" strings (followers_count_str).
    assert to_count(shown) == value


def test_html_text_keeps_emoji_topics_and_line_breaks() -> None:
    # Fact: mblog.text is HTML; emoji are <img alt="[怒]"> in span.url-icon, topics links.
    fragment = (
        '早高峰挤不上<span class="url-icon"><img alt="[怒]" src="x.png" /></span><br />'
        '<a href="https://m.weibo.cn/search?q=%23x%23">'
        '<span class="surl-text">#南昌地铁#</span></a>'
        '&amp;更多...<a href="/status/5102938475610003">全文</a>'
    )
    assert weibo.html_to_text(fragment) == "早高峰挤不上[怒]\n#南昌地铁#&更多..."
    assert weibo.html_to_text("") is None


def test_title_is_the_first_sentence_cut() -> None:
    assert weibo.title_of("地铁又晚点了。大家小心") == "地铁又晚点了"
    long = "一" * 60
    assert weibo.title_of(long) == "一" * weibo.TITLE_CHARS + "…"


# --- search -------------------------------------------------------------------------------


def test_search_page_cards_including_card_groups() -> None:
    # Fact: keep cards with card_type 9, also inside card_group (MC weibo/help.py); the
    # 实时 first page also holds user cards (type 10 in a type 11 group).
    data = fixture_json(mobile_url(Slice(KEYWORD)))
    page = weibo.parse_search(data)
    assert page.ok
    mids = [m["mid"] for m in page.mblogs]
    assert mids == [f"51029384756100{n}" for n in (18, 15, 20, 14, 17)]  # newest first
    assert (page.total, page.next_page) == (20, 2)
    assert weibo.newest_time(page.mblogs) == datetime(2026, 11, 21, 7, 48, tzinfo=UTC)


def test_empty_search_answer() -> None:
    # Fact: no results is {"ok":0,"msg":"这里还没有内容","data":{"cards":[]}}.
    empty = Slice(KEYWORD, "2026-11-21-3", "2026-11-21-4")
    page = weibo.parse_search(fixture_json(mobile_url(empty)))
    assert (page.ok, page.mblogs, page.total, page.message) == (False, [], None, "这里还没有内容")


def test_post_item_from_a_search_card() -> None:
    # Fact: mblog fields id/mid, text, created_at ("Sat Nov 21 ..."), reposts/comments/
    # attitudes counts, user{...}, region_name "发布于 江西" (IP属地).
    data = fixture_json(mobile_url(Slice(KEYWORD, "2026-11-20-0", "2026-11-21-0"), 2))
    mblog = next(m for m in weibo.parse_search(data).mblogs if m["mid"].endswith("01"))
    item = weibo.post_item(mblog)
    assert item.url == item.canonical_url or item.canonical_url is None
    assert item.url == "https://m.weibo.cn/detail/5102938475610001"
    assert (item.source, item.platform, item.native_id) == ("weibo", "weibo", "5102938475610001")
    assert item.content.startswith("早高峰1号线八一馆站又挤不上去")
    assert "[怒]" in item.content
    assert "#南昌地铁#" in item.content
    assert item.title == item.content[: weibo.TITLE_CHARS] + "…"  # no sentence end in 40
    assert item.published_at == datetime(2026, 11, 19, 23, 42, tzinfo=UTC)  # 07:42 Beijing
    assert (item.metrics.reposts, item.metrics.comments, item.metrics.likes) == (6, 4, 57)
    assert item.metrics.reads is None
    assert (item.author.name, item.author.id, item.author.followers) == (
        "洪城小李",
        "7712345678",
        328,
    )
    assert (item.author.verified, item.author.verified_type) == (False, -1)
    assert item.author.ip_location == "江西"
    assert item.extra["topics"] == ["南昌地铁"]
    assert item.extra["client"] == "iPhone客户端"


def test_big_v_fields_and_repost() -> None:
    # Fact: verified_type 0 + verified_type_ext 1 = orange/gold 大V; 3 = media (CD constants).
    data = fixture_json(mobile_url(Slice(KEYWORD, "2026-11-20-0", "2026-11-21-0")))
    page = weibo.parse_search(data)
    repost = weibo.post_item(next(m for m in page.mblogs if m["mid"].endswith("07")))
    assert (repost.author.verified, repost.author.verified_type) == (True, 3)
    assert repost.author.followers == 457000
    assert repost.repost_of == "weibo:5102938475610002"
    assert repost.extra["retweet_of"] == "weibo:5102938475610002"
    hour = fixture_json(mobile_url(Slice(KEYWORD, "2026-11-21-9", "2026-11-21-10")))
    foodie = weibo.post_item(
        next(m for m in weibo.parse_search(hour).mblogs if m["mid"].endswith("09"))
    )
    assert (foodie.author.verified_type, foodie.extra["verified_type_ext"]) == (0, 1)
    assert foodie.author.followers == 1280000


def test_long_post_card_is_truncated_and_the_detail_page_whole() -> None:
    # Fact: isLongText posts end with "...<a href="/status/<id>">全文</a>"; the detail page
    # m.weibo.cn/detail/<mid> holds the whole status in `var $render_data = [...]` (MC).
    data = fixture_json(mobile_url(Slice(KEYWORD, "2026-11-20-0", "2026-11-21-0")))
    card = next(m for m in weibo.parse_search(data).mblogs if m["mid"].endswith("03"))
    assert card["isLongText"] is True
    short = weibo.post_item(card)
    assert short.extra["truncated"] is True
    assert short.content.endswith("投诉了好几次都没用...")
    status = weibo.parse_detail(fixture_text("https://m.weibo.cn/detail/5102938475610003"))
    assert status is not None
    whole = weibo.post_item(status)
    assert "truncated" not in whole.extra
    assert whole.content.startswith(short.content.removesuffix("..."))
    assert whole.content.endswith("至少十点以后停工吧。")
    assert len(whole.content) > len(short.content) + 50


def test_detail_page_without_render_data() -> None:
    # A deleted post's page has no $render_data.
    assert weibo.parse_detail("<html><body>微博不存在或暂无查看权限</body></html>") is None
    assert weibo.parse_detail("var $render_data = [{bad json}][0] || {};") is None


# --- comments, profile, login state, visitor ---------------------------------------------


def test_comments_with_nested_replies_and_max_id() -> None:
    # Fact: hotflow `data.data[]` (id, text, created_at, like_count, total_number, rootid,
    # user, nested `comments`), paged until max_id == 0; `source` "来自江西" is IP属地.
    url = (
        "https://m.weibo.cn/comments/hotflow?id=5102938475610001&mid=5102938475610001&max_id_type=0"
    )
    page = weibo.parse_comments(
        fixture_json(url), "weibo:5102938475610001", "https://m.weibo.cn/detail/5102938475610001"
    )
    assert [c.content for c in page.comments] == [
        "同一站，我也是等了三趟[泪]",
        "回复@红谷滩的猫:高峰期能不能加几趟车啊",
        "小蓝过来的更惨，公交转地铁两个小时",
        "建议错峰出行，七点前人少很多",
    ]
    first, reply = page.comments[:2]
    assert (first.opinion_id, first.source, first.platform) == (
        "weibo:5102938475610001",
        "weibo",
        "weibo",
    )
    assert (first.native_id, first.likes, first.replies, first.floor) == (
        "5102940010000001",
        12,
        1,
        1,
    )
    assert (first.author.name, first.ip_location) == ("红谷滩的猫", "江西")
    assert first.published_at == datetime(2026, 11, 19, 23, 55, tzinfo=UTC)
    assert (reply.reply_to, reply.extra["rootid"]) == ("5102940010000001", "5102940010000001")
    assert (page.total, page.max_id) == (4, 0)
    paged = (
        "https://m.weibo.cn/comments/hotflow?id=5102938475610002&mid=5102938475610002&max_id_type=0"
    )
    assert weibo.parse_comments(fixture_json(paged), "weibo:2", "u").max_id == 138840172343523


def test_comments_closed() -> None:
    # Fact: a post without visible comments answers {"ok":0,"msg":"快来发表你的评论吧"}.
    url = (
        "https://m.weibo.cn/comments/hotflow?id=5102938475610006&mid=5102938475610006&max_id_type=0"
    )
    page = weibo.parse_comments(fixture_json(url), "weibo:5102938475610006", "u")
    assert (page.comments, page.max_id) == ([], 0)


def test_profile_and_login_state() -> None:
    # Fact: containerid=100505<uid> -> data.userInfo with followers_count, verified,
    # verified_type (WC weibo.py); m.weibo.cn/api/config -> data.login.
    profile = weibo.parse_profile(
        fixture_json("https://m.weibo.cn/api/container/getIndex?containerid=1005057790012345")
    )
    assert profile is not None
    assert (profile["name"], profile["followers"], profile["verified"]) == ("深圳赣商", 2048, False)
    assert profile["verified_type"] == -1
    assert weibo.parse_profile({"ok": 0, "msg": "用户不存在"}) is None
    assert weibo.parse_login_state(fixture_json("https://m.weibo.cn/api/config")) is True
    assert weibo.parse_login_state({"ok": 1, "data": {"login": False}}) is False
    assert (
        weibo.parse_login_state({"ok": -100, "url": "https://passport.weibo.com/sso/signin"})
        is None
    )


def test_visitor_handshake_answers() -> None:
    # Fact: genvisitor gives a tid, genvisitor2 (cb=visitor_gray_callback) gives sub/subp,
    # the SUB + SUBP pair m.weibo.cn's WAF checks; both are JSONP callbacks.
    root = FIXTURES_WEB / "passport.weibo.com" / "visitor"
    tid = weibo.parse_genvisitor((root / "genvisitor@cb=gen_callback").read_text())
    assert tid == "4oC3DKmyd0gr1KWx0NsQYHMMaqGSXxrR8UpmiAJZ2Sk="
    cookie = weibo.parse_genvisitor2((root / "genvisitor2").read_text())
    assert cookie.startswith("SUB=_2AkMQ")
    assert "; SUBP=0033WrSXq" in cookie
    with pytest.raises(ValueError, match="retcode"):
        weibo.parse_genvisitor2('visitor_gray_callback({"retcode":50111,"msg":"fail","data":{}});')
    with pytest.raises(ValueError, match="JSONP"):
        weibo.parse_genvisitor("<html>Sina Visitor System</html>")


# --- s.weibo.com ---------------------------------------------------------------------------


def test_pc_search_cards() -> None:
    # Fact (WS search.py): cards div.card-wrap[@mid]; name a.name (nick-name); p.txt and
    # the full text p[node-type=feed_list_content_full]; time+link div.from a[1]; counts
    # a[action-type=feed_list_forward|comment], likes span.woo-like-count; badge svg id in
    # div.avator; pages ul.s-scroll li; next a.next.
    page = weibo.parse_pc_search(fixture_text(pc_url(Slice(KEYWORD))))
    assert (page.pages, page.has_next, page.empty) == (2, True, False)
    assert [c.mid for c in page.cards] == [f"51029384756100{n}" for n in (18, 15, 20, 14)]
    news = page.cards[1]
    assert (news.author.name, news.author.id, news.badge) == (
        "江西日报",
        "1653603955",
        "woo_svg_vblue",
    )
    assert (news.author.verified, news.author.verified_type) == (True, None)  # blue: kind not shown
    assert (news.metrics.reposts, news.metrics.comments, news.metrics.likes) == (30, 0, 99)
    assert news.time_text == "11月21日 15:44"
    assert news.pc_url == "https://weibo.com/1653603955/Pbu15Xk7Q"
    assert news.text.startswith("南昌地铁回应1号线临时限流")
    plain = page.cards[0]
    assert (plain.author.verified, plain.badge) == (False, None)
    last = weibo.parse_pc_search(fixture_text(pc_url(Slice(KEYWORD), 2)))
    assert (last.pages, last.has_next) == (2, False)
    assert len(last.cards) == 3
    long_card = next(c for c in last.cards if c.mid.endswith("10"))
    assert long_card.text.endswith("[怒]")  # the full text, without 展开/收起
    assert "展开" not in long_card.text
    assert "收起" not in long_card.text


def test_pc_empty_result() -> None:
    # Fact: no result is div.card-no-result.
    html = (
        '<div class="card card-no-result s-pt20b40"><p>抱歉，未找到“南昌地铁”相关结果。</p></div>'
    )
    page = weibo.parse_pc_search(html)
    assert (page.empty, page.cards, page.pages) == (True, [], 1)


def test_every_fixture_post_parses(tmp_path: Path) -> None:
    # Every detail page in the fixture set yields a complete post.
    pages = sorted((FIXTURES_WEB / "m.weibo.cn" / "detail").glob("*"))
    assert len(pages) == 20
    for path in pages:
        status = weibo.parse_detail(path.read_text(encoding="utf-8"))
        assert status is not None, path.name
        item = weibo.post_item(status)
        assert item.native_id == path.name
        assert item.content
        assert item.published_at
        assert item.author.id
