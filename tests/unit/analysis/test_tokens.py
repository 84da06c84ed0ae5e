"""Shared segmentation: each text is cut once per item and the stages share the words;
sentiment reads a bounded window of a long text."""

from __future__ import annotations

from tests.helpers.analysis import shipped_rules
from yuqing_spiders.analysis import tokens
from yuqing_spiders.analysis.text_analysis import analyse
from yuqing_spiders.model.items import OpinionItem

# A complaint with a risk term (停水), so the risk stage segments the content too.
TITLE = "红谷滩区某小区停水三天无人管"
CONTENT = "小区已经停水三天了，物业不作为，打12345也没人回复，居民生活受到严重影响。" * 40


def test_an_items_texts_are_segmented_once_for_all_stages():
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
    # Title and content, each cut once however many stages read them; the rest shared.
    assert after["segmented"] - before["segmented"] == 2
    assert after["shared"] - before["shared"] >= 2
    assert item.sentiment.label == "negative"
    assert item.risk.terms


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
    assert tokens.starts("南昌市政府发布通知") == tuple(s for _w, s, _e in found)


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
