"""Sentiment of items and comments: two small linear models over words, shipped as JSON.

The model file (yuqing_spiders/data/sentiment/model.json) is written by
scripts/train_sentiment.py from labelled Weibo posts, Weibo emotion posts and
product/hotel reviews (its SOURCE.md says which, how they were split and the scores).
Each feature of a text carries two weights:

* **polarity** — the log-odds of positive against negative, learnt from polar texts;
  a shared weight plus, per kind of text (a *head*), a weight learnt on that kind only;
* **neutrality** — the log-odds that the text leans neither way, learnt from the
  emotion sets' "neutral" / "no emotion" posts against every polar text.

The heads: `social` (Weibo-like posts and comments: the model learnt it on Weibo
posts), `review` (a customer's verdict on a shop, a meal, a stay: learnt on
food-delivery and hotel reviews) and `general` (the shared weights alone: news
articles, official notices, any platform not named in HEADS). The head follows the
item's platform, which the run time knows from the source, never from the text; a
comment takes its item's platform. The polarity weights were learnt on features
scaled by their naive-Bayes log-count ratio (NB-LR); the scale is folded into the
shipped weights, so scoring is a plain sum.

A text is `neutral` when the neutrality probability passes the calibrated threshold
(set on the dev split so that few polar posts are answered neutral), when its
polarity is a coin toss (|2p - 1| below the band) or when it has too few features
the model knows; otherwise the polarity decides. The score is the polarity 2p - 1
shrunk by the neutrality, (2p - 1)(1 - p_neutral), so a neutral notice scores near 0
and the mean score of comments means something.

Features are jieba words (`w:`), adjacent word pairs (`b:`), Weibo emoticons such as
`[怒]` (`e:`) and character pairs (`c:`, for words jieba splits oddly), each valued
1/sqrt(feature count). Only the words, word pairs and emoticons are named in the
explanation (`terms`): a character pair is a fragment, not evidence a reader can check.

Scoring needs nothing but this file and the standard library, and the file is read
on first use, so commands that never judge sentiment never pay for it.
"""

from __future__ import annotations

import json
import math
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from yuqing_spiders.analysis import tokens
from yuqing_spiders.model.resources import read_bytes, read_text

if TYPE_CHECKING:
    from collections.abc import Iterable

LABELS = ("negative", "neutral", "positive")
# The bounded window: sentiment reads the title and the first WINDOW characters of the
# content. The opening of a post or article carries its tone; the tail costs CPU and
# dilutes it (the training texts are mostly shorter than this).
WINDOW = 400
EVIDENCE_TERMS = 5
# platform -> polarity head. Reviews stand in for texts where a customer judges a
# shop, a meal or a stay (notes and reviews on lifestyle platforms); Weibo posts for
# the short first-person posts, comments and complaints of social platforms and
# citizens' message boards. News, official accounts and anything else: `general`.
HEADS: dict[str, str] = {
    "weibo": "social",
    "douyin": "social",
    "kuaishou": "social",
    "tieba": "social",
    "forum": "social",
    "zhihu": "social",
    "bilibili": "social",
    "wenzheng": "social",
    "xiaohongshu": "review",
    "dianping": "review",
    "meituan": "review",
}
GENERAL = "general"
_EMOTICON = re.compile(r"\[[^\[\]\s]{1,8}\]")
# Punctuation, spaces, symbols and emoji: neither words nor characters of a feature.
_NOT_WORD = re.compile(r"[\W_]+")
# Prefixes an explanation may name: words, word pairs, emoticons (not `c:`).
_NAMED = ("w:", "b:", "e:")


def _is_word(word: str) -> bool:
    return _NOT_WORD.fullmatch(word) is None


def text_features(text: str | None, window: int = WINDOW) -> set[str]:
    """The features of one text's first `window` characters.

    The words come from the shared segmentation (tokens.words of the whole text, which
    the risk stage reads too), cut at the window, so each text is segmented once.
    """
    if not text:
        return set()
    words = [w.lower() for w, _start, _end in tokens.words_within(text, window) if _is_word(w)]
    head = text[:window]
    found = {f"w:{w}" for w in words}
    found.update(f"b:{a}_{b}" for a, b in zip(words, words[1:], strict=False))
    found.update(f"e:{m}" for m in _EMOTICON.findall(head))
    chars = _NOT_WORD.sub("", head.lower())
    found.update(f"c:{a}{b}" for a, b in zip(chars, chars[1:], strict=False))
    return found


def features(*texts: str | None) -> set[str]:
    """The model's features of title and content (or of one comment) together."""
    found: set[str] = set()
    for text in texts:
        found |= text_features(text)
    return found


def head_of(platform: str | None, heads: dict[str, str] | None = None) -> str:
    """The polarity head for an item's platform (HEADS, or the office's override)."""
    return (heads if heads is not None else HEADS).get(platform or "", GENERAL)


def _sigmoid(logit: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, logit))))


def _nameable(feature: str) -> bool:
    """Words of two or more characters (not bare numbers), word pairs and emoticons:
    never one character."""
    if not feature.startswith(_NAMED):
        return False
    return not feature.startswith("w:") or (len(feature) > 3 and not feature[2:].isdigit())


@dataclass
class SentimentResult:
    label: str
    score: float
    terms: list[str] = field(default_factory=list)


@dataclass
class Weights:
    """The file's contents: feature -> (polarity weight, neutrality weight)."""

    features: dict[str, tuple[float, float]]
    # head -> feature -> polarity weight added to the shared one (absent: 0).
    heads: dict[str, dict[str, float]]
    polar_intercept: float
    neutral_intercept: float
    neutral_threshold: float
    polar_band: float
    meta: dict[str, Any] = field(default_factory=dict)


def read_weights(path: Path | str) -> Weights:
    data = json.loads(read_text(path))
    return Weights(
        features={str(k): (float(v[0]), float(v[1])) for k, v in data["features"].items()},
        heads={
            str(name): {str(k): float(v) for k, v in weights.items()}
            for name, weights in (data.get("heads") or {}).items()
        },
        polar_intercept=float(data["intercept"]["polarity"]),
        neutral_intercept=float(data["intercept"]["neutrality"]),
        neutral_threshold=float(data["neutral_threshold"]),
        polar_band=float(data["polar_band"]),
        meta=data.get("meta", {}),
    )


class SentimentModel:
    """The shipped model with the office's settings; the weights load on first use."""

    def __init__(
        self,
        path: Path | str,
        *,
        neutral_band: float = 0.2,
        min_known: int = 3,
        extra_terms: dict[str, float] | None = None,
        heads: dict[str, str] | None = None,
    ) -> None:
        self.path = path
        # The band of the comments' mean score that reads as neutral (aggregate()).
        self.neutral_band = neutral_band
        self.min_known = min_known
        self.extra_terms = dict(extra_terms or {})
        self.heads = dict(HEADS if heads is None else heads)
        self._weights: Weights | None = None
        self._lock = threading.Lock()

    @property
    def weights(self) -> Weights:
        if self._weights is None:
            with self._lock:
                if self._weights is None:
                    self._weights = read_weights(self.path)
        return self._weights

    @property
    def meta(self) -> dict[str, Any]:
        return self.weights.meta

    def head_of(self, platform: str | None) -> str:
        return head_of(platform, self.heads)

    def judge_features(
        self, feats: set[str], raw_text: str = "", head: str = GENERAL
    ) -> SentimentResult:
        model = self.weights
        extra = model.heads.get(head, {})
        # 1/sqrt(all features), known or not, as in training: long and short texts land
        # on one scale, and dropping a small weight from the file changes nothing else.
        scale = 1.0 / math.sqrt(len(feats)) if feats else 0.0
        polar = model.polar_intercept
        neutral = model.neutral_intercept
        evidence: dict[str, float] = {}
        for feat in feats:
            pair = model.features.get(feat)
            if pair is None:
                continue
            weight = pair[0] + extra.get(feat, 0.0)
            polar += weight * scale
            neutral += pair[1] * scale
            evidence[feat] = weight * scale
        known = len(evidence)
        for term, weight in self.extra_terms.items():
            if term in raw_text:
                polar += weight
                key = f"w:{term}"
                evidence[key] = evidence.get(key, 0.0) + weight
        lean = 2 * _sigmoid(polar) - 1
        p_neutral = _sigmoid(neutral)
        score = round(lean * (1 - p_neutral), 4)
        if (
            known < self.min_known
            or p_neutral >= model.neutral_threshold
            or abs(lean) < model.polar_band
        ):
            label = "neutral"
        else:
            label = "positive" if lean > 0 else "negative"
        return SentimentResult(label, score, self._explain(evidence, lean))

    @staticmethod
    def _explain(evidence: dict[str, float], lean: float) -> list[str]:
        """The named features that pushed most towards the answer, strongest first."""
        sign = 1.0 if lean >= 0 else -1.0
        named = [f for f in evidence if _nameable(f) and evidence[f] * sign > 0]
        named.sort(key=lambda f: -abs(evidence[f]))
        return [f"{f}{evidence[f]:+.2f}" for f in named[:EVIDENCE_TERMS]]

    def judge(self, *texts: str | None, head: str = GENERAL) -> SentimentResult:
        """Sentiment of one text (a comment) or of title and content together, read
        with the polarity head of the text's kind (head_of(platform))."""
        raw = "\n".join(t[:WINDOW] for t in texts if t) if self.extra_terms else ""
        return self.judge_features(features(*texts), raw, head)


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


def load_model(path: Path | str, section: dict[str, Any] | None = None) -> SentimentModel:
    """The shipped model with the office's band, minimum, extra terms and platform ->
    head map `heads` (settings/analysis.yaml `sentiment:`; no `heads` = HEADS). Only
    checks that the file is there; the weights are read on the first judgement."""
    section = section or {}
    if not Path(path).exists():
        read_bytes(path)  # inside an egg: raises now, at rules load, when it is missing
    band = section.get("neutral_band")
    heads = section.get("heads")
    return SentimentModel(
        path,
        neutral_band=0.2 if band is None else float(band),
        min_known=int(section.get("min_known_tokens", 3)),
        extra_terms={str(k): float(v) for k, v in (section.get("extra_terms") or {}).items()},
        heads=None if heads is None else {str(k): str(v) for k, v in heads.items()},
    )
