"""凤凰 (spiders/ifeng/parse.py): the channel stream and pages without data.

The fixtures model the sites' public pages: `var allData` with `newsstream` on channel pages and
`docData.contentData` on articles. All text and expected values are invented; the
article fixtures are checked in test_portal_articles.py.
"""

from __future__ import annotations

from scrapy.http import HtmlResponse

from spiders.ifeng import parse as ifeng
from tests.helpers.fixtures import response_from_fixture
from tests.helpers.times import utc


def test_ifeng_newsstream_skips_videos():
    entries = ifeng.parse_list(response_from_fixture("https://news.ifeng.com/shanklist/3-35198-/"))
    assert [e.native_id for e in entries] == ["8ePq2Xk7Ab1", "8ePr9Lm3Cd4"]
    assert entries[0].published_at == utc(2026, 11, 26, 0, 52, 10)


def test_page_without_embedded_data_is_an_incomplete_item_not_a_crash():
    page = HtmlResponse(
        url="https://news.ifeng.com/c/8eXX0000000", body=b"<html><title>x</title></html>"
    )
    item = ifeng.parse_article(page)
    assert not item.complete
    assert "content" in item.missing
