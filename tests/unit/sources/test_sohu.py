"""搜狐 (spiders/sohu/parse.py): the odin block data and URLs.

The fixtures model the sites' public pages: odin `data[<tplCompKey>].list` (ads, relative URLs)
and `article#mp-editor` articles. All text and expected values are invented; the article
fixtures are checked in test_portal_articles.py.
"""

from __future__ import annotations

from spiders.sohu import parse as sohu
from tests.helpers.fixtures import response_from_fixture


def test_sohu_blockdata_skips_ads_and_resolves_relative_urls():
    entries = sohu.parse_blockdata(response_from_fixture(sohu.BLOCK_API))
    assert [e.url for e in entries] == [
        "https://www.sohu.com/a/812345678_121106991",
        "https://www.sohu.com/a/812349901_120099887",
    ]
    assert entries[0].media_name == "洪城发布"


def test_sohu_canonical_url_drops_tracking_and_unifies_hosts():
    assert sohu.canonical_url("http://m.sohu.com/a/812345678_121106991?scm=1.2") == (
        "https://www.sohu.com/a/812345678_121106991"
    )
