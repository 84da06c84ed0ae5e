"""Sentiment stage: negative / neutral / positive with a score and the words that decided.

Thin shell over yuqing_spiders.analysis.sentiment (the shipped model). Comments
(`CommentItem`) are scored too, each on its own text, and carry their label and score
to storage, where the item's `comment_sentiment` is aggregated from them. Counted:
labels (`label/*`, `comment_label/*`), the polarity head each text was read with
(`head/social|review|general`, from the platform), items read on a window of a long text
(`windowed`), and the shared segmentation (`analysis/tokens/segmented` texts jieba cut,
`analysis/tokens/shared` lookups a stage answered from another's segmentation).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from yuqing_spiders.analysis import tokens
from yuqing_spiders.analysis.rules_stage import RulesStage
from yuqing_spiders.analysis.sentiment import WINDOW
from yuqing_spiders.analysis.text_analysis import apply_sentiment, judge_sentiment
from yuqing_spiders.model.items import CommentItem, Sentiment

if TYPE_CHECKING:
    from yuqing_spiders.analysis.rules import Rules
    from yuqing_spiders.model.items import OpinionItem


class SentimentPipeline(RulesStage):
    name = "sentiment"
    _token_counts: dict[str, int] | None = None

    def process_item(self, item: Any) -> Any:
        if isinstance(item, CommentItem):
            return self._comment(item)
        return super().process_item(item)

    def _comment(self, item: CommentItem) -> CommentItem:
        if not item.content:
            self.inc("comment_skipped_empty")
            return item
        try:
            found = judge_sentiment(self._rules(), item.content, platform=item.platform)
        except Exception as error:  # one comment must not stop the worker
            self.inc(f"errors/{type(error).__name__}")
            return item
        item.sentiment = Sentiment(label=found["label"], score=found["score"])
        self.inc(f"comment_label/{found['label']}")
        self.inc(f"head/{self._rules().sentiment.head_of(item.platform)}")
        self._count_tokens()
        return item

    def judge(self, item: OpinionItem, rules: Rules) -> None:
        found = apply_sentiment(item, rules)
        self.inc(f"label/{found.label}")
        self.inc(f"head/{rules.sentiment.head_of(item.platform)}")
        if item.content and len(item.content) > WINDOW:
            self.inc("windowed")
        self._count_tokens()

    def _count_tokens(self) -> None:
        """The process's segmentation counters, as stats (their growth since last time)."""
        now = tokens.counts()
        before = self._token_counts or dict.fromkeys(now, 0)
        for key in ("segmented", "shared"):
            if now[key] > before[key]:
                self.stats.inc_value(f"analysis/tokens/{key}", now[key] - before[key])
        self._token_counts = now
