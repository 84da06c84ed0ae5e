"""The event signatures keep their values: stored MinHash and SimHash values must stay
comparable with those computed before (SimHash now takes the shingles unsorted, which
its bit sums make order-free; issue 13).

Models: the generated people.com.cn bodies (yuqing_spiders/replay/sitegen.py, texts
of datasets/sentiment/sample.csv) — Chinese news paragraphs of the kind the event stage
fingerprints — and a few edge cases (short, ASCII, mixed).
"""

from __future__ import annotations

import numpy as np
import pytest
from datasketch import MinHash
from simhash import Simhash

from yuqing_spiders.analysis.neardup import (
    SCHEME,
    _permutations,
    normalise,
    shingles,
    signature,
)
from yuqing_spiders.replay import sitegen


def _reference(body: str, num_perm: int = 144, size: int = 3) -> tuple[np.ndarray, int, int]:
    """The way before: datasketch's default sha1_hash32, simhash over sorted features."""
    grams = shingles(normalise(body), size)
    minhash = MinHash(
        num_perm=num_perm, seed=1, permutations=_permutations(num_perm), scheme=SCHEME
    )
    minhash.update_batch([g.encode("utf-8") for g in grams])
    return minhash.hashvalues.astype("<u4"), len(grams), Simhash(sorted(grams)).value


BODIES = [
    *sitegen._texts()[:40],
    "南昌市红谷滩区凤凰洲小区地下车库积水，业主反映物业未及时处置。" * 3,
    "Nanchang metro line 4 opened on 2021-12-26 with 29 stations along 39.6 km of track.",
    "南昌地铁 Line 1 早高峰 8:00 加开 12 班列车，间隔缩短至 3 分钟以内，方便市民出行。",
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
