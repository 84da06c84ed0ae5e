"""百家号 (spiders/baijiahao/parse.py): the author page, its feed and URLs.

The fixtures model the sites' public pages: the `window.runtime` author page, the mbd feed JSON
and `[data-testid=article]` articles. All text and expected values are invented; the
article fixtures are checked in test_portal_articles.py.
"""

from __future__ import annotations

from spiders.baijiahao import parse as baijiahao
from tests.helpers.fixtures import response_from_fixture
from tests.helpers.times import utc


def test_baijiahao_author_page_then_feed():
    author = response_from_fixture("https://baijiahao.baidu.com/u?app_id=1604876543210987")
    uk, nickname = baijiahao.author_uk(author)
    assert (uk, nickname) == ("Yq7Hc2kT9mWbLxN3", "青山湖发布")
    feed = response_from_fixture(baijiahao.feed_url(uk))
    entries = baijiahao.parse_feed(feed)
    assert [e.native_id for e in entries] == ["1818234567890123456", "1818245678901234567"]
    assert entries[0].published_at == utc(2026, 11, 25, 6, 30)


def test_baijiahao_canonical_url_drops_tracking():
    assert baijiahao.canonical_url(
        "https://baijiahao.baidu.com/s?wfr=spider&id=1818234567890123456"
    ) == ("https://baijiahao.baidu.com/s?id=1818234567890123456")
