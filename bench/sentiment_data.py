"""The labelled sentiment sets, read the same way by the training script and the bench.

Each set is a `label,text` CSV. Polar labels are `negative` / `positive`; the emotion
sets' classes map to a polarity (happy, like, happiness -> positive; angry, anger, sad,
sadness, fear, disgust -> negative; neutral, none -> neutral); `surprise` can go either
way and is left out. Every row carries its split (bench/splits.py).

The data sit outside the repository (research use only, not redistributed); the path
is given on the command line.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from bench.splits import Split, split_of

# name -> files under <data>/sentiment/, and the kind of text: the polarity head
# (yuqing_spiders.analysis.sentiment.HEADS) that learns from it and is measured on it.
SETS: dict[str, tuple[tuple[str, ...], str]] = {
    "weibo2018": (("weibo2018_train.csv",), "social"),
    "waimai": (("waimai_10k.csv",), "review"),
    "hotel": (("sample.csv",), "review"),
    "smp2020": (
        (
            "emotion/smp2020_ewect_usual_eval_labeled.csv",
            "emotion/smp2020_ewect_usual_test_labeled.csv",
            "emotion/smp2020_ewect_virus_train.csv",
            "emotion/smp2020_ewect_virus_eval_labeled.csv",
            "emotion/smp2020_ewect_virus_test_labeled.csv",
        ),
        "social",
    ),
    "nlpcc2013": (("emotion/nlpcc2013_weibo_emotion.csv",), "social"),
}

POLARITY = {
    "positive": "positive",
    "negative": "negative",
    "happy": "positive",
    "like": "positive",
    "happiness": "positive",
    "angry": "negative",
    "anger": "negative",
    "sad": "negative",
    "sadness": "negative",
    "fear": "negative",
    "disgust": "negative",
    "neutral": "neutral",
    "none": "neutral",
}


@dataclass(frozen=True)
class Row:
    text: str
    label: str  # negative | neutral | positive
    source: str  # the set's name
    split: Split


def kind_of(name: str) -> str:
    """The kind of text of a set: `social` or `review`."""
    return SETS[name][1]


def default_data_dir() -> Path:
    """`../shared/data` next to the repository: where the team keeps the sets."""
    return Path(__file__).resolve().parents[2] / "shared" / "data"


def read_set(data_dir: Path, name: str) -> list[Row]:
    """The rows of one set with a polarity, duplicates (same text) kept once."""
    files, _kind = SETS[name]
    seen: set[str] = set()
    rows = []
    for file in files:
        with (data_dir / "sentiment" / file).open(encoding="utf-8", newline="") as handle:
            for record in csv.DictReader(handle):
                text = (record.get("text") or "").strip()
                label = POLARITY.get((record.get("label") or "").strip())
                if not text or label is None or text in seen:
                    continue
                seen.add(text)
                rows.append(Row(text, label, name, split_of(text)))
    return rows


def read_all(data_dir: Path) -> list[Row]:
    return [row for name in SETS for row in read_set(data_dir, name)]
