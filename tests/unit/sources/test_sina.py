"""新浪 (spiders/sina/parse.py): the roll feed and URLs.

The fixtures model the sites' public pages: the roll feed JSON (`result.data[]`, unix-second
`ctime`) and articles (`article:published_time`, `article:author`, `#article`). All text
and expected values are invented; the article fixtures are checked in
test_portal_articles.py.
"""

from __future__ import annotations

from spiders.sina import parse as sina
from tests.helpers.fixtures import response_from_fixture
from tests.helpers.times import utc


def test_sina_feed_keeps_articles_and_reads_unix_times():
    page = response_from_fixture(
        "https://feed.mix.sina.com.cn/api/roll/get?pageid=153&lid=2510&k=&num=50&page=1"
    )
    entries = sina.parse_feed(page)
    # The video entry has no doc-<id>.shtml URL and is not an article.
    assert [e.native_id for e in entries] == ["inhcvqxa8123456"]
    assert entries[0].published_at == utc(2026, 11, 25, 1, 41)
    assert entries[0].media_name == "江西日报"


def test_sina_canonical_url_drops_tracking_and_unifies_hosts():
    assert (
        sina.canonical_url(
            "http://NEWS.sina.com.cn/c/2026-11-25/doc-inhcvqxa8123456.shtml?from=wap"
        )
        == "https://news.sina.com.cn/c/2026-11-25/doc-inhcvqxa8123456.shtml"
    )
