"""Train the shipped sentiment model (yuqing_spiders/data/sentiment/model.json).

    python scripts/train_sentiment.py [--data datasets/sentiment/sample.csv] [--out PATH]

Needs scikit-learn (`pip install -e '.[train]'`); the workers only read the JSON it
writes. The held-out split is fixed: a text is held out when the SHA-1 of its text
falls in the last fifth, so the split does not depend on row order or a random state
and tests/unit/analysis/test_analysis_sentiment.py can recompute the held-out accuracy.

Steps: word, character and character-pair features (yuqing_spiders.analysis.sentiment.features),
L2 logistic regression with C picked by 5-fold cross-validation on the training
part, then the neutral band: the data has only positive and negative labels, so
neutral is the band of |score| = |2p - 1| around zero made of the lowest tenths of
cross-validated scores whose guesses are right no more often than
NEUTRAL_MAX_ACCURACY (near chance: the model cannot tell).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from yuqing_spiders.analysis.sentiment import features, load_model  # noqa: E402

DATA = REPO / "datasets" / "sentiment" / "sample.csv"
OUT = REPO / "yuqing_spiders" / "data" / "sentiment" / "model.json"
HELD_OUT_FIFTHS = 1  # of 5
NEUTRAL_MAX_ACCURACY = 0.65
MIN_WEIGHT = 0.1  # smaller weights change hardly a decision and only grow the file
MIN_DOCS = 2  # a feature seen in one training text is noise to a linear model
C_GRID = (3.0, 10.0, 30.0)


def held_out(text: str) -> bool:
    """The fixed split: the last fifth of SHA-1 space is held out of training."""
    digest = hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).digest()
    return digest[0] % 5 < HELD_OUT_FIFTHS


def read_rows(path: Path) -> list[tuple[str, int]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            (row["text"], 1 if row["label"] == "positive" else 0) for row in csv.DictReader(handle)
        ]


def neutral_band(scores: list[float], labels: list[int]) -> float:
    """Upper |score| of the lowest tenths of cross-validated scores whose guesses are
    right no more often than NEUTRAL_MAX_ACCURACY: there the model cannot tell."""
    ranked = sorted(zip((abs(s) for s in scores), scores, labels, strict=True))
    band = 0.0
    for tenth in range(10):
        chunk = ranked[tenth * len(ranked) // 10 : (tenth + 1) * len(ranked) // 10]
        right = sum((score > 0) == bool(label) for _m, score, label in chunk)
        if not chunk or right / len(chunk) > NEUTRAL_MAX_ACCURACY:
            break
        band = chunk[-1][0]
    return round(band, 4)


def _feature_dicts(texts: list[str]) -> list[dict[str, float]]:
    """Features seen in at least MIN_DOCS texts, each 1/sqrt(all features of the text),
    which is what SentimentModel.judge_features computes without the vocabulary."""
    found = [features(t) for t in texts]
    docs = Counter(f for feats in found for f in feats)
    dicts = []
    for feats in found:
        value = 1.0 / math.sqrt(len(feats)) if feats else 0.0
        dicts.append({f: value for f in feats if docs[f] >= MIN_DOCS})
    return dicts


def train(rows: list[tuple[str, int]]) -> dict:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GridSearchCV, cross_val_predict

    texts = [t for t, _ in rows]
    labels = [y for _, y in rows]
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform(_feature_dicts(texts))
    search = GridSearchCV(
        LogisticRegression(max_iter=3000), {"C": list(C_GRID)}, cv=5, scoring="accuracy"
    )
    search.fit(matrix, labels)
    model = search.best_estimator_
    cv_p = cross_val_predict(model, matrix, labels, cv=5, method="predict_proba")[:, 1]
    names = vectorizer.get_feature_names_out()
    weights = {
        str(n): round(float(w), 4)
        for n, w in zip(names, model.coef_[0], strict=True)
        if abs(w) >= MIN_WEIGHT
    }
    return {
        "weights": weights,
        "intercept": round(float(model.intercept_[0]), 4),
        "neutral_band": neutral_band([2 * p - 1 for p in cv_p], labels),
        "meta": {"C": search.best_params_["C"], "cv_accuracy": round(search.best_score_, 4)},
    }


def evaluate(model_path: Path, rows: list[tuple[str, int]]) -> dict[str, float]:
    """Held-out scores of the model file as the workers load it (no extra terms)."""
    model = load_model(model_path, {"extra_terms": {}})
    judged = [(model.judge(text), label) for text, label in rows]
    right = sum((r.score > 0) == bool(label) for r, label in judged)
    decided = [(r, label) for r, label in judged if r.label != "neutral"]
    right_decided = sum((r.label == "positive") == bool(label) for r, label in decided)
    return {
        "held_out_accuracy": round(right / len(judged), 4),
        "held_out_neutral_share": round(1 - len(decided) / len(judged), 4),
        "held_out_accuracy_decided": round(right_decided / max(1, len(decided)), 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    rows = read_rows(args.data)
    training = [r for r in rows if not held_out(r[0])]
    model = train(training)
    model["meta"].update(
        {
            "trained_on": str(
                args.data.relative_to(REPO) if args.data.is_relative_to(REPO) else args.data
            ),
            "train_rows": len(training),
            "held_out_rows": len(rows) - len(training),
            "split": "sha1(text)[0] % 5 < 1 held out",
            "features": len(model["weights"]),
        }
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(model, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
    )
    model["meta"].update(evaluate(args.out, [r for r in rows if held_out(r[0])]))
    args.out.write_text(
        json.dumps(model, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8"
    )
    print(json.dumps(model["meta"], ensure_ascii=False), "neutral_band", model["neutral_band"])


if __name__ == "__main__":
    main()
