"""`yuqing extract` on a news article fixture: the command's output for a YAML site.

The fixture (tests/fixtures/web/README.md, "News sites") models 中国江西网's nc.
subsite (ENORTH CMS, GB2312); the expected values are in
tests/helpers/news_expected.py. Every news fixture through the registry and the
generic extractor, in-process, is checked in tests/unit/sources/test_news_articles.py;
here the command itself runs.
"""

from __future__ import annotations

import json

from tests.helpers.cli import run_yuqing, yuqing_env
from tests.helpers.news_expected import by_url
from tests.helpers.paths import FIXTURES_WEB
from yuqing_spiders.replay.record import fixture_path


def test_yuqing_extract_command_on_a_gb2312_yaml_site_page() -> None:
    # 中国江西网 nc. subsite (ENORTH CMS, GB2312): the entry's selectors.
    article = by_url("http://nc.jxnews.com.cn/system/2026/11/25/021051234.shtml")
    page = fixture_path(FIXTURES_WEB, article.url)
    result = run_yuqing("extract", article.url, "--html", str(page), env=yuqing_env())
    assert result.returncode == 0, result.stderr
    item = json.loads(result.stdout)
    assert item["source"] == "jxnews"
    assert item["title"] == article.title
    assert item["published_at"] == article.published_at.isoformat()
    assert item["media"]["name"] == "南昌晚报"
    assert item["content"] == article.content
    assert item["encoding"] == "gb18030"
