"""The event signatures are the libraries' MinHash and SimHash of the shingles.

The shingles are hashed in numpy (analysis/neardup.py, issue 13); here each shingle is
hashed on its own in plain Python integers, the same polynomial and MurmurHash3
finalizer written out, and handed to datasketch's MinHash and to the `simhash`
package's Simhash: the fast signature must equal what the libraries make from it.

Models: the generated people.com.cn bodies (yuqing_spiders/replay/sitegen.py, texts
of datasets/sentiment/sample.csv) — Chinese news paragraphs of the kind the event stage
fingerprints — and a few edge cases (short, ASCII, mixed, outside the BMP).
"""

from __future__ import annotations

import numpy as np
import pytest
from datasketch import MinHash
from simhash import Simhash

from yuqing_spiders.analysis.neardup import (
    NON_WORD,
    SCHEME,
    _permutations,
    _word_chars,
    normalise,
    shingles,
    signature,
)
from yuqing_spiders.replay import sitegen

MASK = (1 << 64) - 1


def _shingle_hash(gram: str) -> int:
    value = 0
    for char in gram:
        value = (value * 0x9E3779B97F4A7C15 + ord(char)) & MASK
    for multiplier in (0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53):
        value ^= value >> 33
        value = (value * multiplier) & MASK
    return value ^ (value >> 33)


def _reference(body: str, num_perm: int = 144, size: int = 3) -> tuple[np.ndarray, int, int]:
    grams = shingles(normalise(body), size)
    minhash = MinHash(
        num_perm=num_perm,
        seed=1,
        permutations=_permutations(num_perm),
        scheme=SCHEME,
        hashfunc=lambda gram: _shingle_hash(gram.decode("utf-8")) & 0xFFFFFFFF,
    )
    minhash.update_batch([g.encode("utf-8") for g in grams])
    simhash = Simhash(grams, hashfunc=lambda gram: _shingle_hash(gram.decode()).to_bytes(8, "big"))
    return minhash.hashvalues.astype("<u4"), len(grams), simhash.value


BODIES = [
    *sitegen._texts()[:40],
    "南昌市红谷滩区凤凰洲小区地下车库积水，业主反映物业未及时处置。" * 3,
    "Nanchang metro line 4 opened on 2021-12-26 with 29 stations along 39.6 km of track.",
    "南昌地铁 Line 1 早高峰 8:00 加开 12 班列车，间隔缩短至 3 分钟以内，方便市民出行。",
    "𠀋𠀌𠀍 南昌话里的生僻字𡘙𡘚，网友整理了四十个常用的写法并逐一注音说明来源和用法。",
]


@pytest.mark.parametrize("body", BODIES, ids=range(len(BODIES)))
def test_signature_values_equal_the_libraries(body: str) -> None:
    sig = signature(body, num_perm=144, shingle=3, min_chars=40)
    if len(normalise(body)) < 40:
        assert sig is None
        return
    assert sig is not None
    minhash, size, simhash = _reference(body)
    assert np.array_equal(sig.minhash, minhash)
    assert (sig.size, sig.simhash) == (size, simhash)


def test_word_chars_equal_the_regex_on_every_code_point() -> None:
    # `normalise` keeps the characters `NON_WORD` would keep, looked up in a table for
    # the BMP; the regex still takes emoji, other planes and lone surrogates.
    every = "".join(chr(c) for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF)
    for text in (every, every[::7] + "😀𠀋_", "a_b\ud800南昌，", "", "，。！"):
        assert _word_chars(text) == NON_WORD.sub("", text)


def test_empty_text_signature_when_no_minimum() -> None:
    # Nothing to hash: the MinHash keeps datasketch's empty values.
    sig = signature("", num_perm=144, shingle=3, min_chars=0)
    assert sig is not None
    assert (sig.size, sig.simhash) == (0, 0)
    assert np.array_equal(sig.minhash, np.full(144, 0xFFFFFFFF, dtype="<u4"))


def test_signature_does_not_depend_on_the_bodies_before() -> None:
    # One MinHash is reused (cleared) from body to body: each signature is still its
    # body's own, and a later call leaves an earlier signature's values as they were.
    forward = [signature(b, num_perm=144, shingle=3, min_chars=0) for b in BODIES]
    kept = [s.to_bytes() for s in forward if s is not None]
    backward = [signature(b, num_perm=144, shingle=3, min_chars=0) for b in reversed(BODIES)]
    assert [s.to_bytes() for s in forward if s is not None] == kept
    assert [s.to_bytes() for s in reversed(backward) if s is not None] == kept


def test_simhash_of_a_body_with_many_shingles_equals_the_library() -> None:
    # Over 8,192 distinct shingles the SimHash counts its bits another way.
    body = "\n".join(sitegen._texts()[:200])
    sig = signature(body, num_perm=144, shingle=3, min_chars=40)
    assert sig is not None
    assert sig.size > 8192
    minhash, size, simhash = _reference(body)
    assert np.array_equal(sig.minhash, minhash)
    assert (sig.size, sig.simhash) == (size, simhash)
