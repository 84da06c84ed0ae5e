"""The quick commands start without the crawl's libraries, and the core still keeps
Scrapy's cookie middleware offline whichever is imported first.

Each check runs in a fresh interpreter: what a module imports is only visible in a
process that has not imported it yet.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.helpers.paths import REPO

HEAVY = ("scrapy", "twisted", "redis", "pymongo")


def _run(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_analysis_of_one_text_imports_no_crawl_library():
    loaded = _run(
        "import sys\n"
        "from yuqing_spiders.analysis.rules import load_rules\n"
        "from yuqing_spiders.analysis.text_analysis import analyse_text\n"
        "import yuqing_spiders.cli\n"
        "analyse_text('标题', '南昌市青山湖区暴雨后积水', rules=load_rules())\n"
        f"print(' '.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    assert loaded == ""


@pytest.mark.parametrize(
    "imports",
    [
        "import yuqing_spiders; import scrapy.downloadermiddlewares.cookies as cookies",
        "import scrapy.downloadermiddlewares.cookies as cookies; import yuqing_spiders",
    ],
    ids=["core first", "scrapy first"],
)
def test_cookie_domains_are_split_with_the_shipped_suffix_list(imports):
    # An empty list of suffix-list URLs: tldextract reads its bundled snapshot and
    # never downloads the public suffix list (no outbound request to set a cookie).
    urls = _run(f"{imports}\nprint(list(cookies._split_domain.suffix_list_urls))")
    assert urls == "[]"
