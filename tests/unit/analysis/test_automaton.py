"""The fast-scanning automatons find exactly what a plain pyahocorasick automaton finds."""

from __future__ import annotations

import random
import unicodedata

import ahocorasick
import pytest

from tests.helpers.analysis import shipped_rules
from yuqing_spiders.analysis import automaton
from yuqing_spiders.model.text import _NFKC_OF

# First characters of words, and the characters inside them: the common characters of
# the ranking, some of which then get dead ends, others start or continue words.
FIRSTS = "南昌市区县东西湖新建赣鄱洪城豫章红谷滩青山云谱" + automaton.COMMON_CHARACTERS[10:20]
INSIDE = automaton.COMMON_CHARACTERS[:10] + "南昌市区湖城山谱"


def plain(words: dict[str, object]) -> ahocorasick.Automaton:
    found = ahocorasick.Automaton()
    for word, value in words.items():
        found.add_word(word, value)
    found.make_automaton()
    return found


def random_words(rnd: random.Random) -> dict[str, object]:
    words: dict[str, object] = {}
    while len(words) < 150:
        length = rnd.randint(2, 5)
        word = rnd.choice(FIRSTS) + "".join(rnd.choice(INSIDE) for _ in range(length - 1))
        words[word] = len(words)
    return words


def random_text(rnd: random.Random, words: list[str]) -> str:
    parts = []
    for _ in range(rnd.randint(1, 30)):
        roll = rnd.random()
        if roll < 0.4:
            parts.append(rnd.choice(words))
        elif roll < 0.6:
            parts.append(rnd.choice(words)[: rnd.randint(1, 3)])
        else:
            alphabet = FIRSTS + INSIDE + "，。x\n" + automaton.SENTINEL + automaton.STAND_IN
            parts.append("".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 4))))
    return "".join(parts)


@pytest.mark.parametrize("seed", range(20))
def test_iter_long_and_iter_find_what_a_plain_automaton_finds(seed: int) -> None:
    rnd = random.Random(seed)
    words = random_words(rnd)
    fast, reference = automaton.build(words), plain(words)
    assert len(automaton.ordered(words)) > len(words)  # dead ends were added
    for _ in range(300):
        text = random_text(rnd, list(words))
        searched = automaton.searchable(text)
        assert list(fast.iter_long(searched)) == list(reference.iter_long(text))
        assert list(fast.iter(searched)) == list(reference.iter(text))


def test_the_gazetteer_finds_what_a_plain_automaton_finds() -> None:
    gaz = shipped_rules().gazetteer
    reference = plain(gaz.names)
    rnd = random.Random(7)
    names = list(gaz.names)
    for _ in range(500):
        text = random_text(rnd, rnd.sample(names, 30)) + "在南昌市红谷滩区，" + rnd.choice(names)
        expected = [(end - len(n.surface) + 1, n) for end, n in reference.iter_long(text)]
        assert list(gaz.find(text)) == expected


def test_no_word_may_hold_the_sentinels() -> None:
    with pytest.raises(ValueError, match="noncharacter"):
        automaton.build({"南昌" + automaton.SENTINEL: 1})
    assert len(automaton.build({})) == 0


def test_wide_punctuation_replaced_before_nfkc_is_its_whole_decomposition() -> None:
    # Why replacing it first leaves every text's NFKC form unchanged (model/text.nfkc,
    # which watchlist.fold uses).
    for wide in "，！：（）；？．…－～\u3000":
        narrow = _NFKC_OF[wide]
        assert narrow.isascii()
        assert unicodedata.normalize("NFKD", wide) == narrow
