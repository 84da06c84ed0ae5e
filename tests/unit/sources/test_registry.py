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
