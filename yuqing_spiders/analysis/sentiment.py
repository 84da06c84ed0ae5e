"""Sentiment of items and comments: a small linear model over jieba words, shipped as JSON.

The model (yuqing_spiders/data/sentiment/model.json) is trained by
scripts/train_sentiment.py on the labelled reviews in datasets/sentiment; it holds
one weight per word, character and character pair, an intercept and the calibrated
neutral band. Scoring needs nothing but this file: the weights of the features
present, scaled by 1/sqrt(feature count), plus the office's extra terms from
settings/analysis.yaml, give the log-odds of positive; the score is 2p - 1 in
[-1, 1]. The training data has only positive and negative labels, so neutral is
derived: a score inside the band where the model guesses no better than chance, or a
text with too few features the model knows.
"""

from __future__ import annotations

import json
import math
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from yuqing_spiders.analysis import tokens
from yuqing_spiders.model.resources import read_text

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

LABELS = ("negative", "neutral", "positive")
# Long articles: the opening carries the tone, the tail costs CPU and adds noise.
MAX_CHARS = 3000
EVIDENCE_TERMS = 5


def _is_word(word: str) -> bool:
    return not all(unicodedata.category(ch)[0] in "PZSC" for ch in word)


def features(text: str | None) -> set[str]:
    """The model's features of `text`: its words, and its characters and character
    pairs (prefixed `c:`), which carry short comments whose words the model never saw."""
    if not text:
        return set()
    # The whole text's words (the risk stage has segmented it already), then the head.
    found = {w.lower() for w, _s, end in tokens.words(text) if end <= MAX_CHARS and _is_word(w)}
    chars = "".join(ch for ch in text[:MAX_CHARS].lower() if _is_word(ch))
    found.update(f"c:{ch}" for ch in chars)
    found.update(f"c:{a}{b}" for a, b in zip(chars, chars[1:], strict=False))
    return found


@dataclass
class SentimentResult:
    label: str
    score: float
    terms: list[str] = field(default_factory=list)


@dataclass
class SentimentModel:
    weights: dict[str, float]
    intercept: float
    neutral_band: float
    min_known: int = 3
    extra_terms: dict[str, float] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    def judge_features(self, feats: set[str], raw_text: str = "") -> SentimentResult:
        # Features are scaled by 1/sqrt(count), as in training: long and short texts
        # then land on one scale instead of long ones always looking sure.
        scale = 1.0 / math.sqrt(len(feats)) if feats else 0.0
        present = {f: self.weights[f] * scale for f in feats if f in self.weights}
        known = len(present)
        for term, weight in self.extra_terms.items():
            if term in raw_text:
                present[term] = present.get(term, 0.0) + weight
        logit = self.intercept + sum(present.values())
        p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, logit))))
        score = round(2 * p - 1, 4)
        if known < self.min_known or abs(score) < self.neutral_band:
            label = "neutral"
        else:
            label = "positive" if score > 0 else "negative"
        strongest = sorted(present, key=lambda f: -abs(present[f]))[:EVIDENCE_TERMS]
        return SentimentResult(label, score, [f"{f}{present[f]:+.2f}" for f in strongest])

    def judge(self, *texts: str | None) -> SentimentResult:
        """Sentiment of one text (a comment) or of title and content together."""
        feats: set[str] = set()
        for text in texts:
            feats |= features(text)
        return self.judge_features(feats, "\n".join(t[:MAX_CHARS] for t in texts if t))


def aggregate(
    results: Iterable[SentimentResult | dict[str, Any]], min_count: int = 1, band: float = 0.2
) -> dict[str, Any] | None:
    """The lean of an item's comments: their mean score, its label, and the label counts.

    None when fewer than `min_count` comments were judged: a lean of two comments
    says little.
    """
    counts = dict.fromkeys(LABELS, 0)
    scores = []
    for result in results:
        label = result["label"] if isinstance(result, dict) else result.label
        score = result["score"] if isinstance(result, dict) else result.score
        if label not in counts or score is None:
            continue
        counts[label] += 1
        scores.append(float(score))
    if not scores or len(scores) < min_count:
        return None
    mean = round(sum(scores) / len(scores), 4)
    label = "neutral" if abs(mean) < band else ("positive" if mean > 0 else "negative")
    return {"label": label, "score": mean, "counts": counts}


def load_model(path: Path, section: dict[str, Any] | None = None) -> SentimentModel:
    """The shipped model, with the office's band, minimum and extra terms applied."""
    section = section or {}
    data = json.loads(read_text(path))
    band = section.get("neutral_band")
    return SentimentModel(
        weights={str(k): float(v) for k, v in data["weights"].items()},
        intercept=float(data["intercept"]),
        neutral_band=float(data["neutral_band"] if band is None else band),
        min_known=int(section.get("min_known_tokens", 3)),
        extra_terms={str(k): float(v) for k, v in (section.get("extra_terms") or {}).items()},
        meta=data.get("meta", {}),
    )
