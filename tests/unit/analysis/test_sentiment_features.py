"""The judgement's features as numbers (word ids, character code pairs in a hash table)
must be the features text_features names, and its result must not depend on the
process (PYTHONHASHSEED)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from yuqing_spiders.analysis.rules import PACKAGE_DATA
from yuqing_spiders.analysis.sentiment import SentimentModel, _Pairs, features
from yuqing_spiders.model.text import word_chars_bmp
from yuqing_spiders.replay import sitegen

REPO = Path(__file__).resolve().parents[3]
MODEL = PACKAGE_DATA / "sentiment" / "model.json"
# Texts whose explanation has exactly tied terms (their order once followed a set's).
TIED = [
    "还好了!朋友建议入住的酒店,可以接受了,有机会会尝试其他酒店对比",
    "房间设施都好，尤其是豪华房内浴缸的上方还有镶在墙里面的电视很难得。",
    "隔音效果太差，窗外空调机闹得一晚上没睡着觉，第二天就退店，换地方住了。",
    "1、空调噪音大，换了两个房间都这样；2、有蚊子；3、内部空间较为凌乱。",
]
# Upper case, emoticons, an underscore, symbols, NUL, a final sigma and a character
# whose lower case is two: each must give the features their strings give.
ODD = [
    "",
    "好",
    "[怒][怒]好[哈哈] [不存在的表情]",
    "ABC Def İstanbul ΑΣ ΣΑΣ 好评好评 WiFi wifi",
    "a_b_c 好_的 __ 服务_好",
    "\x00\x01好的\x00 😀😀很好😀 Ｆｕｌｌ　ｗｉｄｔｈ好",
    "投诉投诉，不作为!!! 点赞 123 4567 12.5% C++ c#",
]


def _rows_and_count(model: SentimentModel, *texts: str | None) -> tuple[list[int], int]:
    """The rows and count of the features as text_features names them."""
    rows = {name: row for row, name in enumerate(model._table().names)}
    named = features(*texts)
    return sorted(rows[f] for f in named if f in rows), len(named)


def test_the_judgement_finds_the_features_text_features_names() -> None:
    model = SentimentModel(MODEL)
    texts = sitegen._texts()[:300]
    cases: list[tuple[str | None, ...]] = [(t,) for t in texts + ODD + TIED]
    cases += [(texts[i][:20], "".join(texts[i : i + 6])) for i in range(0, 120, 6)]
    cases += [(odd, "服务很好，非常满意") for odd in ODD] + [(None, "很好"), (None, None)]
    for case in cases:
        found = model._table().find(case)
        assert (found.rows.tolist(), found.count) == _rows_and_count(model, *case), case
        assert found.rows.tolist() == sorted(found.rows.tolist())  # the file's order


def test_the_pair_table_holds_its_keys_and_no_others() -> None:
    rng = np.random.default_rng(13)
    keys = np.unique(rng.integers(0, 2**62, 5000, dtype=np.uint64))
    rows = rng.permutation(len(keys))
    table = _Pairs.build(keys, rows)
    assert sorted(table.rows_of(keys).tolist()) == sorted(rows.tolist())
    assert np.array_equal(table.rows_of(keys[:1]), rows[:1])
    others = np.setdiff1d(rng.integers(0, 2**62, 5000, dtype=np.uint64), keys)
    assert len(table.rows_of(others)) == 0
    assert len(_Pairs.build(keys[:0], rows[:0]).rows_of(keys)) == 0


_JUDGE = """
import json, sys
from yuqing_spiders.analysis.rules import load_rules
model = load_rules().sentiment
texts = json.loads(sys.stdin.read())
print(json.dumps([
    model.judge(*text, head=head).as_dict()
    for text in texts for head in ("general", "social", "review")
]))
"""


def _judged_in_a_process(seed: str, texts: list[list[str]]) -> list[dict]:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    done = subprocess.run(
        [sys.executable, "-c", _JUDGE],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        check=True,
        timeout=120,
    )
    return json.loads(done.stdout)


def test_judgements_are_the_same_in_every_process() -> None:
    # The evidence is summed and tied terms listed in the model file's order, not in
    # the order of a set of strings, which follows PYTHONHASHSEED.
    texts = [[t] for t in TIED] + [["南昌一小区物业不作为", "".join(sitegen._texts()[:6])]]
    first = _judged_in_a_process("1", texts)
    assert first == _judged_in_a_process("2", texts)
    assert any(len(judged["terms"]) == 5 for judged in first)


def test_the_word_character_table_drops_what_the_regex_drops() -> None:
    """_char_keys drops characters by a table of the BMP: it must keep exactly the
    characters `_NOT_WORD` keeps, for every BMP character, and a text beyond the BMP
    (which takes the regex) or with a lone surrogate must give the regex's keys."""
    from yuqing_spiders.analysis import sentiment

    table = word_chars_bmp()
    dropped = [c for c in range(0x10000) if sentiment._NOT_WORD.fullmatch(chr(c))]
    assert not table[dropped].any()
    assert table.sum() == 0x10000 - len(dropped)
    for text in [*ODD, *TIED, "\ud800好的\udfff很好", "好_的İ\U0001f600ΣΑΣ"]:
        chars = sentiment._NOT_WORD.sub("", text.lower())
        codes = np.array([ord(c) for c in chars], dtype=np.uint64)
        expected = (codes[:-1] << sentiment._CHAR_BITS) | codes[1:]
        assert np.array_equal(sentiment._char_keys(text), expected)
