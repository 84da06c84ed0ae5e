"""The sentiment model's compiled form (the weights as arrays, kept in the user's cache):
it must score exactly as the shipped JSON reads, and be compiled again when the file
changes."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from yuqing_spiders.analysis.rules import PACKAGE_DATA
from yuqing_spiders.analysis.sentiment import (
    CACHE_KIND,
    SentimentModel,
    _nameable,
    read_weights,
)
from yuqing_spiders.model.resources import CACHE_ENV

MODEL = PACKAGE_DATA / "sentiment" / "model.json"
_HEADS = ("general", "social", "review", "unknown")  # unknown: no head weights
TEXTS = ["物业不作为，投诉了也没人管[怒]", "服务很好，非常满意，点赞", "明日停水通知"]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(root))
    return root


def _cached_files(cache: Path) -> list[Path]:
    return sorted(cache.glob(f"{CACHE_KIND}-*.pickle"))


def _rows_from_weights(path: Path, head: str) -> np.ndarray:
    """A head's rows built feature by feature from read_weights, as scoring once did."""
    weights = read_weights(path)
    extra = weights.heads.get(head, {})
    return np.array(
        [
            (polar + extra.get(name, 0.0), neutral, float(_nameable(name)))
            for name, (polar, neutral) in weights.features.items()
        ]
    )


def _judged(model: SentimentModel) -> list[dict]:
    return [model.judge(text, head=head).as_dict() for text in TEXTS for head in _HEADS]


def test_the_compiled_rows_are_the_weights_of_the_file(cache: Path) -> None:
    model = SentimentModel(MODEL)
    model.load()
    table = model._table()
    assert table.names == list(read_weights(MODEL).features)
    for head in _HEADS:
        # Bit for bit (tobytes): a -0.0 or a last bit of a sum would change a score.
        assert table.head(head).tobytes() == _rows_from_weights(MODEL, head).tobytes()
    assert model.meta == read_weights(MODEL).meta
    assert model._weights is None  # judging needs no Weights


def test_the_cached_model_judges_as_a_compiled_one(cache: Path) -> None:
    first = SentimentModel(MODEL)
    judged = _judged(first)
    (written,) = _cached_files(cache)
    again = SentimentModel(MODEL)
    assert _judged(again) == judged
    assert _cached_files(cache) == [written]


def test_a_changed_model_file_is_compiled_again(cache: Path, tmp_path: Path) -> None:
    copy = tmp_path / "model.json"
    data = json.loads(MODEL.read_text(encoding="utf-8"))
    copy.write_text(json.dumps(data), encoding="utf-8")
    before = SentimentModel(copy).judge("服务很好，非常满意")
    (old,) = _cached_files(cache)
    data["intercept"]["polarity"] -= 5.0
    copy.write_text(json.dumps(data), encoding="utf-8")
    after = SentimentModel(copy).judge("服务很好，非常满意")
    assert after.score < before.score
    (new,) = _cached_files(cache)
    assert new != old


def test_without_a_cache_it_compiles_each_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_ENV, "")
    assert _judged(SentimentModel(MODEL)) == _judged(SentimentModel(MODEL))
