"""Shared segmentation: each text is cut once per item and the stages share the words;
sentiment reads a bounded window of a long text."""

from __future__ import annotations

import re

import jieba
import pytest

from tests.helpers.analysis import shipped_rules
from tests.helpers.paths import FIXTURES
from yuqing_spiders.analysis import tokens
from yuqing_spiders.analysis.text_analysis import analyse
from yuqing_spiders.model.items import OpinionItem
from yuqing_spiders.replay import sitegen

# A complaint with a risk term (停水) in every sentence.
TITLE = "红谷滩区某小区停水三天无人管"
CONTENT = "小区已经停水三天了，物业不作为，打12345也没人回复，居民生活受到严重影响。" * 40


def test_an_items_texts_are_segmented_once_and_a_long_text_never_whole():
    item = OpinionItem(
        source="weibo",
        platform="weibo",
        url="https://weibo.com/1/2",
        title=TITLE,
        content=CONTENT + "（独有）",
    )
    before = tokens.counts()
    analyse(item, shipped_rules())
    after = tokens.counts()
    # The title once; of the 1,500-character content the sentiment window and the
    # clauses holding risk terms, each once however many stages read them.
    segmented = after["characters"] - before["characters"]
    assert len(TITLE) + 400 <= segmented < len(TITLE) + 400 + 200
    assert after["shared"] - before["shared"] >= 2
    assert item.sentiment.label == "negative"
    assert item.risk.terms


def test_words_between_are_the_whole_texts_words_there():
    # jieba segments each run of Han characters, letters and digits alone: the words
    # around any stretch equal the whole text's words there, whatever cuts the runs
    # (punctuation, spaces, "\r\n", full-width spaces, digits next to Han).
    text = (
        "南昌市红谷滩区凤凰洲小区停水3天，物业称管网改造。\r\n居民：没人通知！"
        "12345热线回复说  正在抢修　预计今晚8:30恢复供水（记者 王芳）"
    ) * 3
    whole = tokens.words(text)
    for start in range(0, len(text), 3):
        for end in (start + 1, start + 7, start + 40):
            got = tokens.words_between(text, start, end)
            # a run of the whole text's words, covering the stretch
            assert got
            assert got[0][1] <= start
            assert got[-1][2] >= min(end, len(text))
            first = whole.index(got[0])
            assert got == whole[first : first + len(got)], (start, end)


def test_the_window_is_cut_from_words_already_there():
    text = CONTENT + "（窗口）"
    whole = tokens.words(text)
    head = tokens.words_within(text, 100)
    assert head == whole[: len(head)]
    assert head[-1][2] <= 100 < whole[len(head)][2]


def test_a_long_text_nobody_segmented_is_cut_only_in_its_window():
    text = CONTENT + "（只读开头）"
    before = tokens.counts()
    head = tokens.words_within(text, 100)
    after = tokens.counts()
    assert after["characters"] - before["characters"] == 100
    assert max(end for _w, _s, end in head) <= 100


def test_words_keep_jieba_boundaries_and_offsets():
    found = tokens.words("南昌市政府发布通知")
    assert "".join(w for w, _s, _e in found) == "南昌市政府发布通知"
    assert all(text == "南昌市政府发布通知"[s:e] for text, s, e in found)


def test_a_shorter_head_is_cut_from_a_longer_head_already_segmented():
    # Sentiment reads 400 characters of a long text, the story key 300: the second
    # stage must not segment the text again.
    text = "居民反映小区连续停水，物业称管网改造。" * 60 + "（头部）"
    long_head = tokens.words_within(text, 400)
    before = tokens.counts()
    short_head = tokens.words_within(text, 300)
    after = tokens.counts()
    assert after["segmented"] == before["segmented"]
    assert after["shared"] == before["shared"] + 1
    assert short_head == long_head[: len(short_head)]
    assert short_head[-1][2] <= 300


@pytest.fixture(scope="module")
def python_jieba() -> jieba.Tokenizer:
    jieba.setLogLevel(60)
    tok = jieba.Tokenizer()
    tok.initialize()
    return tok


def _page_text(path) -> str:
    html = path.read_bytes().decode("utf-8", errors="replace")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_words_are_those_of_the_python_jieba_package(python_jieba):
    # rjieba (jieba-rs) runs jieba's algorithm on jieba's dictionary: the same words and
    # offsets, precise mode without HMM. Real text: the Weibo posts and reviews the
    # replay site is built from (data/sentiment sample) and Jiangxi news pages as
    # people.com.cn and jxnews.com.cn serve them (tests/fixtures/web).
    pages = sorted((FIXTURES / "web").glob("j*.com.cn/**/*.htm*"))[:6]
    texts = [*sitegen._texts(), *(_page_text(page) for page in pages)]
    assert len(texts) > 200
    assert sum(map(len, texts)) > 30_000
    differ = [t for t in texts if tokens.words(t) != tuple(python_jieba.tokenize(t, HMM=False))]
    assert differ == []
