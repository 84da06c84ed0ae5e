"""`nfkc` is unicodedata's NFKC, by a shortcut for Chinese text: checked on random texts
mixing Han characters, full-width and compatibility signs, combining marks and jamo."""

from __future__ import annotations

import random
import unicodedata

from yuqing_spiders.model.text import nfkc

ALPHABET = (
    "南昌市红谷滩区停水，！：（）；？．…－～\u3000ＡＢ１２①②½²\xa0"
    "\u0301\u0308e\u1100\u1161\u11a8가ﬁ㍿ｶﾞ\ufb01abc 123\n"
)


def test_nfkc_is_unicodedatas_nfkc() -> None:
    rng = random.Random(13)
    for _ in range(5_000):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 40)))
        assert nfkc(text) == unicodedata.normalize("NFKC", text), text
