"""The parser registry (spiders/_base/registry.py): every source folder's URL_PARSERS,
found without a table, and no URL claimed by two sources.

The URLs are every fixture of the replay site (tests/fixtures/web), both schemes:
the pages the crawl and `yuqing extract` actually meet.
"""

from __future__ import annotations

from spiders._base import registry
from tests.helpers.fixtures import WEB_ROOT, fixture_urls


def test_every_source_folder_with_page_parsers_is_found() -> None:
    modules = {parser.__module__ for _, parser in registry.url_parsers()}
    folders = {module.split(".")[1] for module in modules}
    # Each of these reads whole pages or API answers for `yuqing extract`.
    assert {"people", "xinhua", "cctv", "sina", "weixin", "tieba", "wenz"} <= folders
    assert "news_config" in folders  # the YAML sites, with their selectors
    assert all(not folder.startswith("_") for folder in folders)


def test_no_url_is_claimed_by_two_sources() -> None:
    parsers = registry.url_parsers()
    http = fixture_urls(WEB_ROOT, "**/*", queries=True)
    urls = http + ["https" + url.removeprefix("http") for url in http]
    assert len(urls) > 400  # the whole replay site, not an empty glob
    twice = {}
    for url in urls:
        claims = {parser.__module__ for pattern, parser in parsers if pattern.match(url)}
        if len(claims) > 1:
            twice[url] = sorted(claims)
    assert twice == {}


def test_no_list_url_is_claimed_by_two_sources_or_by_an_article_parser() -> None:
    pages = registry.page_parsers()
    assert len(pages) >= 15  # portals, central media, social searches, YAML start pages
    http = fixture_urls(WEB_ROOT, "**/*", queries=True)
    urls = http + ["https" + url.removeprefix("http") for url in http]
    clashes = {}
    for url in urls:
        claims = {parser.__module__ for pattern, parser in pages if pattern.match(url)}
        if len(claims) > 1 or (claims and registry.parser_for(url) is not None):
            clashes[url] = sorted(claims)
    assert clashes == {}


def test_read_gives_what_each_kind_of_saved_response_yields() -> None:
    from tests.helpers.fixtures import response_from_fixture

    def read(url: str) -> object:
        return registry.read(url, response_from_fixture(url).body)

    # An article page: the item.
    article = read("https://news.sina.com.cn/c/2026-11-25/doc-inhcvqxa8123456.shtml")
    assert isinstance(article, dict)
    assert article["source"] == "sina"
    # An API answer (sina's rolling feed, JSON): the entries its parser yields.
    feed = read("https://feed.mix.sina.com.cn/api/roll/get?pageid=153&lid=2510&k=&num=50&page=1")
    assert isinstance(feed, list)
    assert feed[0]["media_name"] == "江西日报"
    # A YAML site's start page: its configured list reader.
    listing = read("https://news.gmw.cn/node_4108.htm")
    assert isinstance(listing, dict)
    assert listing["article_urls"] == ["https://news.gmw.cn/2026-11/25/content_37712345.htm"]
    # A list page no source reads: the generic list extractor's entries.
    channel = read("https://news.sina.com.cn/china/")
    assert isinstance(channel, dict)
    assert [e["url"] for e in channel["entries"]][:2] == [
        "https://news.sina.com.cn/c/2026-11-25/doc-inhcvqxa8123456.shtml",
        "https://news.sina.com.cn/s/2026-11-24/doc-inhcrkzm5098765.shtml",
    ]


def test_saved_page_is_decoded_as_the_crawl_decodes_it() -> None:
    # Issue 12 item 10: a page labelled gb2312 whose bytes are UTF-8 (a CMS migration).
    html = (
        '<html><head><meta charset="gb2312"><title>南昌地铁通告_某网</title></head><body>'
        "<h1>南昌地铁通告</h1><div>2026-11-25 09:41 来源：南昌日报</div>"
        "<div><p>" + "地铁运营时间调整。" * 20 + "</p></div></body></html>"
    ).encode("utf-8")
    item = registry.extract("http://www.example-nc.cn/a/1.html", html)
    assert item.title == "南昌地铁通告"
    assert item.encoding == "utf-8"
