"""analyse_text: every judgement of a bare text, comments, and later stages plugged in."""

from __future__ import annotations

import pytest

from tests.helpers.analysis import shipped_rules
from yuqing_spiders.analysis import text_analysis
from yuqing_spiders.analysis.text_analysis import analyse_text, register_stage


@pytest.fixture
def stages():
    text_analysis._register_plugins()  # so that restoring keeps the level stage
    saved = list(text_analysis.STAGES)
    yield text_analysis.STAGES
    text_analysis.STAGES[:] = saved


def test_a_post_with_comments_and_an_author(stages):
    result = analyse_text(
        "青云谱区一小区业主聚集维权",
        "开发商延期交房两年，数百名业主聚集售楼部拉横幅。",
        rules=shipped_rules(),
        followers=600_000,
        verified=True,
        verified_type=0,
        comments=["开发商太黑心了，太差劲", "物业不作为，失望", "恶心，投诉了也没用"],
    )
    assert result["jurisdiction"]["district"] == "青云谱区"
    assert "住建" in result["departments"]
    assert result["risk"]["mass"] is True
    assert result["comment_sentiment"]["label"] == "negative"
    assert result["comment_sentiment"]["counts"]["negative"] == 3
    assert result["author"]["is_big_v"] is True


def test_later_stages_add_their_keys_and_a_broken_one_is_named(stages):
    def tag_heat(result, context):
        result["heat_hint"] = len(context.get("comments") or ())

    def broken(result, context):
        raise RuntimeError("boom")

    register_stage(tag_heat)
    register_stage(broken)
    register_stage(tag_heat)  # once only
    result = analyse_text("标题", "正文", rules=shipped_rules(), comments=["a", "b"])
    assert result["heat_hint"] == 2
    assert result["stage_errors"] == [broken.__qualname__]
    assert result["sentiment"]["label"] in ("negative", "neutral", "positive")
