"""`yuqing extract` on a portal article fixture: the command picks the site parser.

The fixtures (tests/fixtures/web/README.md, "Commercial portals" and "Keyword
monitoring") model the sites' public pages; `extract` picks the site parser by URL
(registry) or the generic extractor for sites without one (government pages). Every
fixture's facts through the registry, in-process, are checked in
tests/unit/sources/test_portal_articles.py; here the command itself runs.
"""

from __future__ import annotations

import json

from tests.helpers.cli import run_yuqing, yuqing_env
from tests.helpers.paths import FIXTURES_WEB
from tests.helpers.portal_expected import EXPECTED
from yuqing_spiders.replay.record import fixture_path


def test_the_command_prints_the_portal_parser_item():
    url = "https://news.qq.com/rain/a/20261125A03XYZ00"
    page = fixture_path(FIXTURES_WEB, url)
    result = run_yuqing("extract", url, "--html", str(page), env=yuqing_env())
    assert result.returncode == 0, result.stderr
    item = json.loads(result.stdout)
    assert item["source"] == "tencent"
    assert item["title"] == EXPECTED[url][1]
    assert item["published_at"] == "2026-11-25T02:12:05+00:00"
    assert item["media"]["name"] == "江西新闻客户端"
