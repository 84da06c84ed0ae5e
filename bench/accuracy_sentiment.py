"""Sentiment accuracy on the test splits of real labelled text, next to snownlp.

The sets (bench/sentiment_data.py) and their split (bench/splits.py) are those the
training script used; only the test split is read. Figures:

* weibo2018 — Weibo posts labelled positive / negative: share answered with the right
  label (a `neutral` answer counts as wrong);
* reviews — food-delivery and hotel reviews, the same;
* emotion polar — the emotion sets' posts whose emotion has a polarity, the same;
* neutral on polar posts — share of the polar Weibo posts (weibo2018 and emotion)
  answered `neutral`;
* neutral precision / recall — against the emotion sets' neutral / no-emotion class.

Ours is the shipped model as a worker runs it (settings/analysis.yaml included, through
`yuqing_spiders.analysis.rules.load_rules`), each set read with the polarity head a
worker picks for its kind of text (Weibo sets: `social`, reviews: `review`); the
`general` rows read weibo2018 and the reviews with the head news articles get. The
baseline, snownlp (naive Bayes on product reviews, `pip install snownlp`), runs in this
process: positive when
`SnowNLP(text).sentiments >= 0.5`; for the neutral figures it answers neutral inside
0.4-0.6, where its probability says it cannot tell.

    python bench/accuracy_sentiment.py [--data ../shared/data]

bench/accuracy.py prints `sentiment_rows()` in its table.
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.sentiment_data import Row, default_data_dir, kind_of, read_all  # noqa: E402

Judge = Callable[[str, str], str]  # (text, head) -> label
REVIEWS = ("waimai", "hotel")
EMOTION = ("smp2020", "nlpcc2013")
SNOWNLP_NEUTRAL = (0.4, 0.6)


def ours(head: str | None = None) -> Judge:
    """The shipped model; `head` forces one head, None reads each text with its kind's."""
    from yuqing_spiders.analysis.rules import load_rules

    model = load_rules().sentiment
    return lambda text, kind: model.judge(text, head=head or kind).label


def snownlp() -> Judge:
    from snownlp import SnowNLP  # type: ignore[import-untyped]

    def judge(text: str, _kind: str = "") -> str:
        p = SnowNLP(text).sentiments
        if SNOWNLP_NEUTRAL[0] < p < SNOWNLP_NEUTRAL[1]:
            return "neutral"
        return "positive" if p >= 0.5 else "negative"

    return judge


def snownlp_binary() -> Judge:
    from snownlp import SnowNLP

    return lambda text, _kind: "positive" if SnowNLP(text).sentiments >= 0.5 else "negative"


def _share(hits: int, total: int) -> float:
    return hits / total if total else 0.0


def figures(judge: Judge, binary: Judge | None, rows: list[Row]) -> dict[str, tuple[float, int]]:
    """name -> (value, n). `binary` answers the polar figures when the judge has a
    separate two-way form (snownlp); None uses `judge` for everything."""
    said = {id(row): judge(row.text, kind_of(row.source)) for row in rows}
    two_way = (
        {id(r): binary(r.text, kind_of(r.source)) for r in rows if r.label != "neutral"}
        if binary
        else said
    )

    def accuracy(sources: tuple[str, ...]) -> tuple[float, int]:
        chosen = [r for r in rows if r.source in sources and r.label != "neutral"]
        return _share(sum(two_way[id(r)] == r.label for r in chosen), len(chosen)), len(chosen)

    posts = [r for r in rows if r.source in ("weibo2018", *EMOTION) and r.label != "neutral"]
    emotion = [r for r in rows if r.source in EMOTION]
    answered = [r for r in emotion if said[id(r)] == "neutral"]
    truly = [r for r in emotion if r.label == "neutral"]
    hits = sum(r.label == "neutral" for r in answered)
    return {
        "weibo2018": accuracy(("weibo2018",)),
        "reviews": accuracy(REVIEWS),
        "emotion polar": accuracy(EMOTION),
        "neutral on polar posts": (
            _share(sum(said[id(r)] == "neutral" for r in posts), len(posts)),
            len(posts),
        ),
        "neutral precision": (_share(hits, len(answered)), len(answered)),
        "neutral recall": (_share(hits, len(truly)), len(truly)),
    }


GOALS = {
    "weibo2018": "≥ 88 %",
    "reviews": "≥ 92 %",
    "neutral on polar posts": "≤ 5 %",
}


def split_rows(data_dir: Path | None = None) -> list[Row]:
    return [r for r in read_all(data_dir or default_data_dir()) if r.split == "test"]


def sentiment_rows(
    data_dir: Path | None = None, *, baseline: bool = True
) -> list[tuple[str, str, float, float, int]]:
    """(name, goal, snownlp, ours, n) for each figure, on the test split; snownlp's
    figure is NaN without the baseline (`baseline=False`, or the `bench` extra, which
    installs snownlp, not installed)."""
    rows = split_rows(data_dir)
    now = figures(ours(), None, rows)
    with_base = baseline and importlib.util.find_spec("snownlp") is not None
    base = figures(snownlp(), snownlp_binary(), rows) if with_base else {}
    general = figures(ours("general"), None, rows)

    def before(name: str) -> float:
        return base[name][0] if name in base else math.nan

    return [
        (f"sentiment {name}", GOALS.get(name, ""), before(name), value, n)
        for name, (value, n) in now.items()
    ] + [
        (f"sentiment {name} (general head)", "", before(name), general[name][0], general[name][1])
        for name in ("weibo2018", "reviews")
    ]


def percent(value: float, width: int) -> str:
    """A share as a percentage, or a dash for a figure not measured (NaN)."""
    return f"{'-':>{width}} " if math.isnan(value) else f"{value * 100:>{width}.1f}%"


def cpu_ms_per_item(judge: Judge, texts: list[str]) -> float:
    """CPU per judgement of texts nobody judged before (segmentation included)."""
    fresh = [f"{text}（{n}）" for n, text in enumerate(texts)]
    start = time.process_time()
    for text in fresh:
        judge(text, "social")
    return (time.process_time() - start) / len(fresh) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=default_data_dir())
    args = parser.parse_args()
    rows = split_rows(args.data)
    print(f"test split: {len(rows)} texts; a neutral answer to a polar text counts as wrong")
    print(f"{'figure':<34} {'goal':>8} {'snownlp':>9} {'ours':>9} {'n':>6}")
    for name, goal, base, now, n in sentiment_rows(args.data):
        print(f"{name:<34} {goal:>8} {percent(base, 8)} {percent(now, 8)} {n:>6}")
    texts = [r.text for r in rows[:2000]]
    judge = ours()
    judge("预热", "social")  # jieba and the weights load once per process, not per item
    mean = sum(len(t) for t in texts) / len(texts)
    base = (
        f", snownlp {cpu_ms_per_item(snownlp(), texts[:500]):.3f} ms"
        if importlib.util.find_spec("snownlp")
        else ""
    )
    print(
        f"cpu per item (mean {mean:.0f} characters, jieba included): "
        f"ours {cpu_ms_per_item(judge, texts):.3f} ms{base}"
    )


if __name__ == "__main__":
    main()
