"""Sentiment stage: negative / neutral / positive with a score and the words that decided.

Thin shell over yuqing_spiders.analysis.sentiment (the shipped model). Comments
(`CommentItem`) are scored too, each on its own text; the lean of an item's comments
(`comment_sentiment`) is aggregated with `text_analysis.comment_lean`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from yuqing_spiders.analysis.rules_stage import RulesStage
from yuqing_spiders.analysis.text_analysis import apply_sentiment, judge_sentiment
from yuqing_spiders.model.items import CommentItem, Sentiment

if TYPE_CHECKING:
    from yuqing_spiders.analysis.rules import Rules
    from yuqing_spiders.model.items import OpinionItem


class SentimentPipeline(RulesStage):
    name = "sentiment"

    def process_item(self, item: Any) -> Any:
        if isinstance(item, CommentItem) and item.content:
            found = judge_sentiment(self._rules(), item.content)
            item.sentiment = Sentiment(label=found["label"], score=found["score"])
            self.inc(f"comment_label/{found['label']}")
            return item
        return super().process_item(item)

    def judge(self, item: OpinionItem, rules: Rules) -> None:
        found = apply_sentiment(item, rules)
        self.inc(f"label/{found.label}")
