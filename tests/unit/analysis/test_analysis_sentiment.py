"""Sentiment: the shipped model (what it records, its test split), the polarity head
picked by platform, explanations, neutral notices, the lazy load, comments and their
lean."""

from __future__ import annotations

import csv
import json
from dataclasses import asdict
from pathlib import Path

import pytest
from scrapy.utils.test import get_crawler

from bench.splits import split_of
from pipelines.sentiment import SentimentPipeline
from tests.helpers.analysis import shipped_rules
from yuqing_spiders.analysis.rules import PACKAGE_DATA
from yuqing_spiders.analysis.sentiment import WINDOW, aggregate, features, load_model
from yuqing_spiders.analysis.text_analysis import comment_lean, judge_sentiment
from yuqing_spiders.model.items import CommentItem

REPO = Path(__file__).resolve().parents[3]
# ChnSentiCorp hotel reviews kept in the repository (datasets/sentiment/SOURCE.md): their
# labels are the public fact this test checks the model against.
HOTEL = REPO / "datasets" / "sentiment" / "sample.csv"
MODEL = PACKAGE_DATA / "sentiment" / "model.json"


def test_shipped_model_is_small_and_records_its_data_split_and_test_scores():
    assert MODEL.stat().st_size < 3_000_000
    meta = json.loads(MODEL.read_text(encoding="utf-8"))["meta"]
    assert meta["split"].startswith("int(sha1(text).hexdigest(), 16) % 10")
    assert {"weibo2018", "waimai", "hotel", "smp2020", "nlpcc2013"} <= set(meta["sets"])
    test = meta["test"]
    # Measured at training: weibo2018 0.811, reviews 0.877 (snownlp: bench/accuracy_sentiment.py).
    assert test["weibo2018"]["accuracy"] >= 0.80
    assert test["reviews"]["accuracy"] >= 0.86
    assert test["weibo2018"]["neutral_on_polar"] <= 0.05
    assert test["emotion"]["neutral_precision"] >= 0.7


def test_the_file_has_a_head_per_kind_of_text_on_shared_features():
    data = json.loads(MODEL.read_text(encoding="utf-8"))
    assert set(data["heads"]) == {"social", "review"}
    for head in data["heads"].values():
        # The workers look a feature up in the shared table first.
        assert set(head) <= set(data["features"])
        assert not any(name.startswith("c:") and len(name) < 3 for name in head)


def hotel_test_rows() -> list[tuple[str, str]]:
    with HOTEL.open(encoding="utf-8", newline="") as handle:
        rows = [(r["text"], r["label"]) for r in csv.DictReader(handle)]
    return [(text, label) for text, label in rows if split_of(text) == "test"]


def test_hotel_reviews_of_the_test_split_are_read_right_by_the_review_head():
    test = hotel_test_rows()
    assert len(test) == 252
    model = load_model(MODEL, {"extra_terms": {}})
    right = {
        head: sum(model.judge(text, head=head).label == label for text, label in test)
        for head in ("review", "social")
    }
    # Measured on this file's test split, never trained on: review head 214, social head
    # 208 of 252 (the general head, for news: 219). The head learnt on reviews reads
    # them better than the one learnt on Weibo posts.
    assert right["review"] / len(test) >= 0.83
    assert right["review"] > right["social"]


def test_the_platform_picks_the_polarity_head():
    model = shipped_rules().sentiment
    assert model.head_of("weibo") == "social"
    assert model.head_of("wenzheng") == "social"
    assert model.head_of("xiaohongshu") == "review"
    assert model.head_of("news") == "general"
    assert model.head_of(None) == "general"
    office = load_model(MODEL, {"heads": {"wechat": "social"}})
    assert office.head_of("wechat") == "social"
    assert office.head_of("weibo") == "general"  # the office's map replaces the default


def test_an_item_is_read_with_the_head_of_its_platform():
    rules = shipped_rules()
    text = "今天终于吃到了这家店，味道还可以，就是排队太久了，服务员态度一般"
    social = judge_sentiment(rules, None, text, platform="weibo")
    review = judge_sentiment(rules, None, text, platform="xiaohongshu")
    news = judge_sentiment(rules, None, text, platform="news")
    assert social == asdict(rules.sentiment.judge(None, text, head="social"))
    assert review == asdict(rules.sentiment.judge(None, text, head="review"))
    assert news == asdict(rules.sentiment.judge(None, text))
    assert len({social["score"], review["score"], news["score"]}) == 3


def test_the_stage_counts_the_head_each_text_was_read_with():
    crawler = get_crawler()
    crawler.stats.open_spider()
    stage = SentimentPipeline.from_crawler(crawler)
    stage.process_item(
        CommentItem(opinion_id="weibo:1", source="weibo", platform="weibo", content="太差劲了")
    )
    stage.process_item(
        CommentItem(opinion_id="news:1", source="cctv", platform="news", content="服务很好")
    )
    assert crawler.stats.get_value("analysis/sentiment/head/social") == 1
    assert crawler.stats.get_value("analysis/sentiment/head/general") == 1


def test_items_get_label_score_and_the_words_that_decided():
    negative = judge_sentiment(
        shipped_rules(), "小区垃圾成堆没人管", "物业服务态度太差了，投诉了好几次都没用，臭气熏天。"
    )
    assert negative["label"] == "negative"
    assert negative["score"] < 0
    assert negative["terms"]
    positive = judge_sentiment(
        shipped_rules(), "点赞！", "社区工作人员连夜清理积水，服务很到位，非常满意。"
    )
    assert positive["label"] == "positive"


def test_explanations_name_words_never_single_characters():
    found = judge_sentiment(shipped_rules(), None, "太差劲了，半夜施工噪音扰民，投诉多次没人管")
    names = [term.rsplit("-", 1)[0].rsplit("+", 1)[0] for term in found["terms"]]
    assert names
    for name in names:
        prefix, word = name.split(":", 1)
        assert prefix in ("w", "b", "e")
        assert len(word) >= 2
    assert "w:投诉" in names


def test_a_water_cut_notice_is_neutral_not_a_complaint():
    found = judge_sentiment(
        shipped_rules(),
        "关于青山湖区部分区域停水的通知",
        "因供水管道改造施工，12月6日8:00至18:00青山湖区湖坊镇部分小区将暂停供水，"
        "请广大用户提前做好储水准备，给您带来不便敬请谅解。",
    )
    assert found["label"] == "neutral"
    assert abs(found["score"]) < 0.3


def test_a_text_the_model_cannot_read_is_neutral():
    found = judge_sentiment(shipped_rules(), "龘靐齉", None)  # characters no training text uses
    assert found["label"] == "neutral"


def test_only_the_window_of_a_long_text_is_read():
    head = "服务很好，非常满意。"
    fill = WINDOW - len(head)
    assert features(head + "差" * 5000) == features(head + "差" * fill + "好" * 5000)
    assert features(head + "差" * 5000) != features(head + "差" * (fill - 2) + "好" * 5000)


def test_the_weights_are_read_on_first_use_only(tmp_path: Path):
    copy = tmp_path / "model.json"
    copy.write_bytes(MODEL.read_bytes())
    model = load_model(copy, {})
    copy.write_text("{not json", encoding="utf-8")
    assert model._weights is None  # load_model only checked that the file is there
    with pytest.raises(json.JSONDecodeError):
        model.judge("服务很好，非常满意")  # the first judgement reads it


def test_comments_are_scored_and_leaned():
    rules = shipped_rules()
    comments = ["太差劲了，根本没人管", "物业不作为，失望", "恶心，投诉了也没用", "还不错，挺好的"]
    judged = [judge_sentiment(rules, c, platform="weibo") for c in comments]
    assert [j["label"] for j in judged] == ["negative"] * 3 + ["positive"]
    lean = comment_lean(rules, judged)
    assert lean is not None
    assert lean["label"] == "negative"
    assert lean["counts"] == {"negative": 3, "neutral": 0, "positive": 1}
    assert lean["score"] < 0


def test_too_few_comments_give_no_lean():
    assert aggregate([{"label": "negative", "score": -0.9}], min_count=3) is None
    assert aggregate([], min_count=1) is None


def test_lean_of_mixed_comments_is_their_mean():
    lean = aggregate(
        [
            {"label": "positive", "score": 0.8},
            {"label": "negative", "score": -0.7},
            {"label": "neutral", "score": 0.05},
            {"label": "bogus", "score": 1.0},
        ],
        min_count=3,
        band=0.2,
    )
    assert lean == {
        "label": "neutral",
        "score": 0.05,
        "counts": {"negative": 1, "neutral": 1, "positive": 1},
    }
