"""今日头条 search and articles (spiders/toutiao/parse.py).

The fixtures model the sites' public pages (U-TT, NC): per-card JSON islands
`script[data-druid-card-data-id]`, page 0's search id reused for paging, an empty
bootstrap shell, `www.toutiao.com/article/<id>/` with `h1`, `div.article-meta`,
`article`, and the `__ac_nonce` JS challenge. Posts, names and ids are invented.
"""

from __future__ import annotations

from datetime import UTC, datetime

from spiders.toutiao import parse as toutiao
from tests.helpers.fixtures import response_from_fixture

SEARCH_ID = "2026112609204501015814102A3B4C5D"


def test_search_cards_keep_articles_only_and_give_the_search_id():
    # Models U-TT: JSON cards; article_url | share_url | display.info.url; search_id.
    page = toutiao.parse_search(response_from_fixture(toutiao.search_url("南昌城管")))
    assert page.search_id == SEARCH_ID
    assert page.card_count == 5  # 3 articles, a related-search card, a video elsewhere
    assert page.other_links == 2
    assert [c.url for c in page.cards] == [
        "https://www.toutiao.com/article/7441102233445566778/",  # from toutiao.com/group/
        "https://www.toutiao.com/article/7441205566778899001/",
        "https://www.toutiao.com/article/7441088776655443322/",  # from display.info.url
    ]
    first, _, third = page.cards
    assert (first.media, first.comments) == ("南昌晚报", 38)
    assert (third.media, third.comments) == ("江西新闻客户端", 216)  # "216" as a string


def test_next_page_url_carries_page_zeros_search_id():
    url = toutiao.search_url("南昌城管", 1, SEARCH_ID)
    assert url.endswith(
        "&source=pagination&action_type=pagination&page_num=1"
        f"&search_id={SEARCH_ID}&from=search_tab&cur_tab_title=search_tab"
    )
    assert len(toutiao.parse_search(response_from_fixture(url)).cards) == 1


def test_empty_bootstrap_shell_is_recognised():
    shell = response_from_fixture(toutiao.search_url("红谷滩停车"))
    assert toutiao.is_shell(shell)
    assert not toutiao.is_shell(response_from_fixture(toutiao.search_url("南昌城管")))


def test_article_page_with_its_card():
    card = toutiao.parse_search(response_from_fixture(toutiao.search_url("南昌城管"))).cards[0]
    page = response_from_fixture(card.url)
    assert not toutiao.is_challenge(page)
    item = toutiao.parse_article(page, card.to_meta())
    assert item.title == card.title
    assert item.native_id == "7441102233445566778"
    assert item.published_at == datetime(2026, 11, 25, 11, 42, tzinfo=UTC)
    assert item.author.name == item.media.name == "南昌晚报"
    assert item.metrics.comments == 38  # from the card: the page shows no counter
    assert item.content.startswith("近日，有市民通过12345热线反映")
    assert item.complete


def test_js_challenge_is_recognised_and_the_card_alone_is_incomplete():
    # Models NC/SomeCrawl: without a first visit's cookies, the __ac_nonce challenge.
    cards = toutiao.parse_search(response_from_fixture(toutiao.search_url("南昌城管"))).cards
    challenge = response_from_fixture(cards[1].url)
    assert toutiao.is_challenge(challenge)
    item = toutiao.card_item(cards[1].to_meta())
    assert not item.complete
    assert item.missing == ["content"]
    assert item.title.startswith("南昌某小区门口城管暴力执法")
    assert item.metrics.comments == 1204
