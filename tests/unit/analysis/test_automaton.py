"""The fast-scanning automatons find exactly what a plain pyahocorasick automaton finds."""

from __future__ import annotations

import random
import unicodedata

import ahocorasick
import pytest

from tests.helpers.analysis import shipped_rules
from yuqing_spiders.analysis import automaton
from yuqing_spiders.model.text import _NFKC_OF

# First characters of words, and the characters inside them: several share their high
# byte (南 U+5357, 区 U+533A, 北 U+5317 ...), so that the code's nodes between a high and a
# low byte are reached, left and failed over; the texts add characters in no word.
FIRSTS = (
    "南昌市区县东西湖新建赣鄱洪城豫章红谷滩青山云谱北十千午半单"
    + automaton.COMMON_CHARACTERS[10:20]
)
INSIDE = automaton.COMMON_CHARACTERS[:10] + "南昌市区湖城山谱卖博卡占\ufffe\uffff"
OUTSIDE = "，。x\n卢卫印危即的了\U0001f600\ud800\u0100\u0200\u0300\u0301"


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
            alphabet = FIRSTS + INSIDE + OUTSIDE
            parts.append("".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 4))))
    return "".join(parts)


@pytest.mark.parametrize("seed", range(20))
def test_iter_long_and_iter_find_what_a_plain_automaton_finds(seed: int) -> None:
    rnd = random.Random(seed)
    words = random_words(rnd)
    fast, reference = automaton.build(words), plain(words)
    assert not fast.plain
    assert len(fast) == len(words)
    for _ in range(300):
        text = random_text(rnd, list(words))
        assert list(fast.iter_long(text)) == list(reference.iter_long(text))
        assert list(fast.iter(text)) == list(reference.iter(text))


def test_short_and_long_texts_are_coded_alike() -> None:
    fast = automaton.build(random_words(random.Random(3)))
    for length in (1, automaton.SHORT, automaton.SHORT + 1, 200):
        text = ((FIRSTS + OUTSIDE) * 10)[:length]
        codes = [fast.small.get(c, chr(automaton.BLANK) * 2) for c in text]
        assert fast.coded(text) == "".join(codes)


def test_the_gazetteer_finds_what_a_plain_automaton_finds() -> None:
    gaz = shipped_rules().gazetteer
    reference = plain(gaz.names)
    rnd = random.Random(7)
    names = list(gaz.names)
    for _ in range(500):
        text = random_text(rnd, rnd.sample(names, 30)) + "在南昌市红谷滩区，" + rnd.choice(names)
        expected = [(end - len(n.surface) + 1, n) for end, n in reference.iter_long(text)]
        assert list(gaz.find(text)) == expected


def test_words_beyond_the_bmp_are_searched_plainly() -> None:
    words: dict[str, object] = {"南昌\U0001f600": 1, "南昌": 2}
    fast = automaton.build(words)
    assert fast.plain
    assert len(fast) == 2
    text = "去南昌\U0001f600和南昌"
    assert list(fast.iter_long(text)) == list(plain(words).iter_long(text))


def test_no_words_find_nothing() -> None:
    empty = automaton.build({})
    assert len(empty) == 0
    assert list(empty.iter_long("南昌")) == list(empty.iter("南昌")) == []


def test_wide_punctuation_replaced_before_nfkc_is_its_whole_decomposition() -> None:
    # Why replacing it first leaves every text's NFKC form unchanged (model/text.nfkc,
    # which watchlist.fold uses).
    for wide in "，！：（）；？．…－～\u3000":
        narrow = _NFKC_OF[wide]
        assert narrow.isascii()
        assert unicodedata.normalize("NFKD", wide) == narrow
