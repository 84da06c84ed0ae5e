"""CPU time of the per-item analysis against plain jieba segmentation, in one run.

Takes the labelled texts (tests/data/jurisdiction_*.jsonl) and, for longer items,
each text joined with the eleven after it (article-sized, ~300 characters); measures
process time (CPU, not wall clock) for:

* baseline: segmentation of title and text by the Python jieba package (precise
  mode), the cheapest thing any Chinese text analysis does (the analysis itself uses
  rjieba, the same words at an eighth of the cost);
* analysis: the full `analyse_text` (属地, departments, risk, sentiment, big-V, and
  the later stages registered with it), as `yuqing tag --jsonl` runs it;
* sentiment: the sentiment judgement alone (its window of the text segmented, then
  scored), the issue-11 budget being 1 ms per item;

each over fresh copies of the texts (a counter is appended so no cache helps), and
prints ms per item for each, how many segmentations the stages shared (jieba cut each
text once, `analysis/tokens.py`) and, last, `ratio: R` (analysis / baseline).

    python bench/analysis_cpu.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from yuqing_spiders.analysis import tokens  # noqa: E402
from yuqing_spiders.analysis.rules import load_rules  # noqa: E402
from yuqing_spiders.analysis.text_analysis import analyse_text  # noqa: E402

DATA = REPO / "tests" / "data"


def texts() -> list[tuple[str, str]]:
    rows = []
    for name in ("jurisdiction_labelled.jsonl", "jurisdiction_fresh.jsonl"):
        with (DATA / name).open(encoding="utf-8") as handle:
            rows += [json.loads(line) for line in handle if line.strip()]
    short = [(r["title"], r["text"]) for r in rows]
    # Articles: a text and the eleven after it, about the length of a short local report.
    long = [
        (t, "".join(short[(i + k) % len(short)][1] for k in range(12)))
        for i, (t, _) in enumerate(short)
    ]
    return short + long


def fresh(batch: list[tuple[str, str]], round_no: int) -> list[tuple[str, str]]:
    """New strings each round, so that no cache keyed by text helps either side."""
    return [(f"{t}{round_no}", f"{x}（{round_no}）") for t, x in batch]


def python_jieba():
    """The Python jieba package (a dev dependency), loaded: the baseline stays what it
    was before the analysis moved to rjieba, so ratios compare across versions."""
    import jieba

    jieba.setLogLevel(60)
    tok = jieba.Tokenizer()
    tok.initialize()
    return tok


def baseline(batch: list[tuple[str, str]], tok) -> None:
    for title, text in batch:
        list(tok.tokenize(title, HMM=False))
        list(tok.tokenize(text, HMM=False))


def analysis(batch: list[tuple[str, str]], rules) -> None:
    for title, text in batch:
        analyse_text(title, text, rules=rules, followers=1000, verified=False)


def sentiment_only(batch: list[tuple[str, str]], rules) -> None:
    for title, text in batch:
        rules.sentiment.judge(title, text)


def measure(func, batch: list[tuple[str, str]], rounds: int, *args) -> float:
    spent = 0.0
    for round_no in range(rounds):
        data = fresh(batch, round_no)
        start = time.process_time()
        func(data, *args)
        spent += time.process_time() - start
    return spent / (rounds * len(batch)) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rules = load_rules()
    batch = texts()
    tokens.tokenizer()  # the dictionaries' load is start-up, not per-item cost
    reference = python_jieba()
    analysis(batch[:5], rules)  # warm: level rules, lazy imports
    chars = sum(len(t) + len(x) for t, x in batch) / len(batch)
    base = measure(baseline, batch, args.repeat, reference)
    before = tokens.counts()
    full = measure(analysis, batch, args.repeat, rules)
    after = tokens.counts()
    senti = measure(sentiment_only, batch, args.repeat, rules)
    print(f"items: {len(batch)} x {args.repeat} rounds, mean {chars:.0f} characters")
    print(f"baseline (jieba segmentation): {base:.3f} ms CPU per item")
    print(f"analysis (analyse_text):       {full:.3f} ms CPU per item ({1000 / full:.0f} items/s)")
    print(f"sentiment alone:               {senti:.3f} ms CPU per item")
    cut = after["segmented"] - before["segmented"]
    shared = after["shared"] - before["shared"]
    print(f"segmentation in analysis: {cut} texts cut, {shared} lookups answered from the cache")
    print(f"ratio: {full / base:.2f}")


if __name__ == "__main__":
    main()
