"""Sentiment stage: negative / neutral / positive with a score and the words that decided.

Thin shell over yuqing_spiders.analysis.sentiment (the shipped model). The lean of an
item's comments (`comment_sentiment`) is set where comments are collected, with
`yuqing_spiders.analysis.text_analysis.comment_lean`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from yuqing_spiders.analysis.rules_stage import RulesStage
from yuqing_spiders.analysis.text_analysis import apply_sentiment

if TYPE_CHECKING:
    from yuqing_spiders.analysis.rules import Rules
    from yuqing_spiders.items import OpinionItem


class SentimentPipeline(RulesStage):
    name = "sentiment"

    def judge(self, item: OpinionItem, rules: Rules) -> None:
        found = apply_sentiment(item, rules)
        self.inc(f"label/{found.label}")
