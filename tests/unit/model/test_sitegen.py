"""The generated benchmark site (yuqing_spiders/replay/sitegen.py) is a channel of
different stories however long it runs: the bench and fault crawls of thousands of
pages must not turn into one sample of texts reposted again and again (which the
near-duplicate stage would join into events, measuring reposts instead of news)."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from yuqing_spiders.replay import sitegen


@pytest.fixture
def six_paragraphs(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(sitegen, "PARAGRAPHS_PER_ARTICLE", 6)
    return 6


def test_the_first_pass_takes_consecutive_texts(six_paragraphs: int) -> None:
    texts = sitegen._texts()
    for index in (0, 1, 200, len(texts) // six_paragraphs - 1):
        start = index * six_paragraphs
        assert sitegen._picked(texts, index) == texts[start : start + six_paragraphs]


def test_thousands_of_articles_share_at_most_two_paragraphs(six_paragraphs: int) -> None:
    texts = sitegen._texts()
    per_pass = len(texts) // six_paragraphs
    # Three passes and a half over the sample.
    bodies = [frozenset(sitegen._picked(texts, i)) for i in range(per_pass * 7 // 2)]
    assert all(len(body) == six_paragraphs for body in bodies)
    assert len(set(bodies)) == len(bodies)
    # Pairs from two different passes, sampled; within a pass no text repeats.
    for i, j in itertools.product(range(0, len(bodies), 5), range(0, len(bodies), 3)):
        if i // per_pass != j // per_pass:
            assert len(bodies[i] & bodies[j]) <= 2
    first = set().union(*bodies[:per_pass])
    assert len(first) == per_pass * six_paragraphs


def test_a_long_site_splits_its_list_under_scrapys_download_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One list of 100,000 links was 9 MB, over DOWNLOAD_MAXSIZE (8 MB): the crawl
    # gave up on its only seed. Seven articles at three links per list page here.
    monkeypatch.setattr(sitegen, "LINKS_PER_LIST", 3)
    urls = sitegen.build_site(tmp_path, 7, lists=("long",))
    names = sitegen.list_names("long", 7)
    assert names == ["long", "long-2", "long-3"]
    linked = []
    for name in names:
        page = (tmp_path / sitegen.HOST / f"GB/{name}/index.html").read_bytes().decode("gbk")
        linked += re.findall(r'href="([^"]+)"', page)
    assert linked == urls
