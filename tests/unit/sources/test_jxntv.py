"""今视网's channel page (spiders/jxntv/parse.py).

The fixture models the sites' public pages: a channel page whose list a script fills in (hence
the browser). The article fixtures themselves are checked in test_news_articles.py.
"""

from __future__ import annotations

from spiders.jxntv import parse as jxntv
from tests.helpers.fixtures import response_from_fixture


def test_jxntv_channel_page_has_no_articles_until_rendered() -> None:
    # As served, the list is an empty <ul>; a script fills it (hence the browser).
    plain = response_from_fixture("http://news.jxntv.cn/?ch=61")
    assert jxntv.parse_list(plain).article_urls == []
    rendered = plain.replace(
        body=plain.body.replace(
            b'<ul id="newslist"></ul>',
            b'<ul id="newslist"><li><a href="http://news.jxntv.cn/2026/1125/10689231.shtml">a</a>'
            b'</li><li><a href="http://www.jxntv.cn/about/job.html">b</a></li></ul>',
        )
    )
    assert jxntv.parse_list(rendered).article_urls == [
        "http://news.jxntv.cn/2026/1125/10689231.shtml"
    ]
