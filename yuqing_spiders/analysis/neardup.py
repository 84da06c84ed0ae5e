"""Near-duplicate fingerprints of an item's body: MinHash for events, SimHash for readers.

Pure functions, no Redis: `signature` turns a body into a MinHash (datasketch) over
character shingles of the normalised text plus a 64-bit SimHash; `band_hashes` gives
the LSH bucket of each band; `similarity` and `is_near_duplicate` confirm a candidate.

Only the body counts here. Reposts often change the headline (原标题 ...), and two
stories with the same headline ("南昌一小区地下车库积水") are not the same story, so a
title alone can never make two items one event; rewrites in other words are grouped by
their facts (analysis/storyfacts.py). Bodies too short to judge get no signature.

Each distinct shingle is hashed once, in numpy, to 64 bits (a polynomial over its
code points, then the MurmurHash3 finalizer): the MinHash takes the low 32 bits through
datasketch's permutations, the SimHash sums the 64 bits. Hashing every shingle with
sha1 and md5 in a Python loop, as the libraries do by default, cost 1.5 ms per
1,000-character article; this costs about 0.1 ms (bench/throughput.py, issue 13).

Why MinHash and not SimHash for grouping: an abridged repost (a portal keeping the
first half) keeps most of its shingles inside the original — high containment — but
moves a 64-bit SimHash by 13-15 bits on a 500-character story, far past the usual
3-bit radius; the MinHash estimate of Jaccard and set sizes recovers containment.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from hashlib import blake2b

import numpy as np
from datasketch import MinHash

from yuqing_spiders.model.text import nfkc, word_chars_bmp

# Lines that reposting sites add or change around the same body: source credits,
# editors, "original title", reporters, copyright notes. Dropped before shingling.
BOILERPLATE_LINE = re.compile(
    r"^\s*[（(【\[]?\s*(来源|稿源|原标题|原文标题|责任编辑|责编|编辑|记者|通讯员|作者|"
    r"校对|审核|监制|本文来源|本文转自|转载自|声明|版权)\s*[:：]"
)
# Everything that is not a letter, digit or CJK character: punctuation and spacing
# differ between sites for the same text.
NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
# A MinHash value is kept in 32 bits by datasketch; stored as little-endian uint32.
SIG_DTYPE = np.dtype("<u4")
MIN_CONTAINMENT_RATIO = 0.25
# Named, not left to datasketch's default: stored signatures must stay comparable
# across datasketch upgrades (its 2.0 changed the hashing scheme).
SCHEME = "affine32"
# How shingles are hashed. Part of every LSH bucket's name, so that signatures made
# by another way of hashing (before 2026-12: sha1 and md5 per shingle) are never
# compared with these: they age out of the index with its retention.
FINGERPRINT = b"cp-poly-fmix64"
# Odd 64-bit multipliers: the polynomial's base and MurmurHash3's fmix64 constants.
_BASE = np.uint64(0x9E3779B97F4A7C15)
_FMIX = (np.uint64(33), np.uint64(0xFF51AFD7ED558CCD), np.uint64(0xC4CEB9FE1A85EC53))


@dataclass(frozen=True)
class Signature:
    """The fingerprint of one body."""

    minhash: np.ndarray  # uint32, num_perm values
    size: int  # distinct shingles: with the Jaccard estimate it gives containment
    simhash: int  # 64-bit SimHash of the same shingles

    @property
    def simhash_hex(self) -> str:
        return f"{self.simhash:016x}"

    def to_bytes(self) -> bytes:
        return self.minhash.astype(SIG_DTYPE).tobytes()

    @classmethod
    def from_stored(cls, raw: bytes, size: int, simhash: int = 0) -> Signature:
        return cls(np.frombuffer(raw, dtype=SIG_DTYPE), size, simhash)


def normalise(text: str) -> str:
    """Fold width and case, drop credit lines, keep only letters, digits and CJK."""
    return _word_chars(_without_credits(text))


def _without_credits(text: str) -> str:
    """`text` folded (NFKC, lower case) without its credit lines."""
    text = nfkc(text).lower()
    return "".join(line for line in text.splitlines() if not BOILERPLATE_LINE.match(line))


def _word_chars(text: str) -> str:
    """`NON_WORD.sub("", text)`: the letters, digits and CJK characters of `text`."""
    return _word_char_points(text).tobytes().decode("utf-32-le")


def _word_char_points(text: str) -> np.ndarray:
    """The code points (uint32) of `_word_chars(text)`: the signature hashes these, so
    they are not decoded to a string and encoded again.

    A numpy look-up of each code point in `word_chars_bmp()`: the regex tested the Unicode
    category of every character, 30 us of a 1,000-character article's 55 us here.
    Texts with code points outside the BMP (emoji) or lone surrogates take the regex.
    """
    try:
        points = np.frombuffer(text.encode("utf-32-le"), dtype="<u4")
    except UnicodeEncodeError:  # a lone surrogate: UTF-32 cannot carry it
        return _points_of(NON_WORD.sub("", text))
    if not len(points) or points.max() > 0xFFFF:
        return _points_of(NON_WORD.sub("", text))
    return points[word_chars_bmp()[points]]


def _points_of(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype="<u4")


def shingles(text: str, size: int) -> set[str]:
    """Overlapping character n-grams of normalised text (Chinese has no spaces)."""
    if len(text) < size:
        return {text} if text else set()
    return {text[i : i + size] for i in range(len(text) - size + 1)}


def shingle_hashes(text: str, size: int) -> np.ndarray:
    """The distinct 64-bit hashes of the overlapping `size`-character shingles of
    `text` (all of it when shorter), sorted: one hash per member of `shingles()`."""
    return _point_shingle_hashes(_points_of(text), size)


def _point_shingle_hashes(code_points: np.ndarray, size: int) -> np.ndarray:
    """`shingle_hashes` of the text with these code points."""
    points = code_points.astype(np.uint64)
    if not len(points):
        return points
    width = min(size, len(points))
    count = len(points) - width + 1
    # h = c0·B^(w-1) + c1·B^(w-2) + ... + c(w-1), wrapping at 2^64 (array arithmetic
    # wraps silently), for every window at once; in place, no temporary per step.
    hashed = points[:count].copy()
    for offset in range(1, width):
        hashed *= _BASE
        hashed += points[offset : offset + count]
    shift, first, second = _FMIX
    hashed ^= hashed >> shift
    hashed *= first
    hashed ^= hashed >> shift
    hashed *= second
    hashed ^= hashed >> shift
    return _distinct(hashed)


def _distinct(values: np.ndarray) -> np.ndarray:
    """`np.unique(values)` (sorted, distinct) by a sort and a neighbour mask: numpy 2's
    `unique` hashes first and cost 0.08 ms per 1,000-character article, ten times this."""
    values = np.sort(values)
    keep = np.empty(len(values), dtype=bool)
    keep[:1] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


# The bits of each byte value, most significant first (as `np.unpackbits` gives them).
_BITS_OF_BYTE = np.unpackbits(np.arange(256, dtype=np.uint8)[:, None], axis=1).astype(np.int64)
# Byte position k of a hash counts in bins k*256 .. k*256+255.
_POSITION_BASE = np.arange(8, dtype=np.intp) * 256
# The same bases repeated for up to 8,192 hashes (512 KB, a slice touched per call):
# added to the bytes as one flat array, as a broadcast over rows of 8 the addition cost
# 16 us per 1,000-character article, the bincount itself 14 (issue 13).
_FLAT_BASES = np.tile(_POSITION_BASE, 8192)


def simhash_of(hashes: np.ndarray) -> int:
    """Charikar's SimHash of equally weighted features given by their 64-bit hashes:
    bit i is set when more than half the features have it set (what `simhash.Simhash`
    computes from its per-feature hashes; the test checks the two agree)."""
    if not len(hashes):
        return 0
    # How many features have each bit set, bit 0 the most significant: count each
    # byte value per byte position (one bincount), then the bits of those values
    # (a 256x8 table). Unpacking every bit of every hash cost twice as much.
    octets = hashes.astype("<u8", copy=False).view(np.uint8)
    if len(octets) <= len(_FLAT_BASES):
        bins = octets.astype(np.intp)
        bins += _FLAT_BASES[: len(bins)]
    else:
        bins = (octets.reshape(-1, 8) + _POSITION_BASE).ravel()
    per_value = np.bincount(bins, minlength=8 * 256).reshape(8, 256)
    # the bytes were read least significant first: the most significant row is last
    ones = (per_value[::-1] @ _BITS_OF_BYTE).ravel()
    return int.from_bytes(np.packbits(ones * 2 > len(hashes)).tobytes(), "big")


@lru_cache(maxsize=8)
def _permutations(num_perm: int) -> tuple[np.ndarray, np.ndarray]:
    # Fixed seed: every worker must draw the same permutations, or signatures made
    # by two workers could not be compared.
    template = MinHash(num_perm=num_perm, seed=1, scheme=SCHEME)
    return template.permutations


def signature(body: str | None, *, num_perm: int, shingle: int, min_chars: int) -> Signature | None:
    """The fingerprint of `body`, or None when its normalised text is shorter than
    `min_chars` (too little text to say two items are the same story)."""
    points = _word_char_points(_without_credits(body or ""))
    if len(points) < min_chars:
        return None
    hashes = _point_shingle_hashes(points, shingle)
    minhash = _fresh_minhash(num_perm)
    # The low 32 bits of every shingle hash, handed over as ONE batch value whose
    # "hash" is the whole array: datasketch stacks its hash outputs with one
    # `np.array(..., uint32)` and reshapes them to a column, so the result is the
    # same as one value per shingle, without a Python list and a hashfunc call per
    # shingle (~1,000 each per article: 0.1 ms, half of the MinHash's cost).
    if len(hashes):  # an empty column would fail datasketch's min (min_chars=0)
        minhash.update_batch([hashes.astype(np.uint32)])
    return Signature(minhash.hashvalues.astype(SIG_DTYPE), len(hashes), simhash_of(hashes))


# One MinHash per thread and size, cleared for each body: making one checked its
# permutations again (8 us per item); a thread's calls never overlap.
_SKETCHES = threading.local()


def _fresh_minhash(num_perm: int) -> MinHash:
    """An empty MinHash of `num_perm` permutations (the fixed ones of `_permutations`)."""
    sketches: dict[int, MinHash] | None = getattr(_SKETCHES, "by_size", None)
    if sketches is None:
        sketches = _SKETCHES.by_size = {}
    sketch = sketches.get(num_perm)
    if sketch is None:
        sketch = sketches[num_perm] = MinHash(
            num_perm=num_perm,
            seed=1,
            permutations=_permutations(num_perm),
            scheme=SCHEME,
            hashfunc=_as_is,
        )
    else:
        sketch.clear()
    return sketch


def _as_is(hashes: np.ndarray) -> np.ndarray:
    """The values are hashes already (datasketch still mixes them with fmix32)."""
    return hashes


def band_hashes(sig: Signature, bands: int) -> list[str]:
    """One short hash per LSH band: two items share a bucket in band i when their
    MinHash values agree on all the band's rows."""
    width = len(sig.minhash) // bands * SIG_DTYPE.itemsize
    raw = sig.to_bytes()  # sliced as bytes: a numpy slice per band cost more than its hash
    hexes = []
    for band in range(bands):
        # A copy of the personalised start state: a new blake2b with its
        # keyword arguments per band cost half as much again (8 us of 24 per item).
        digest = _BAND_HASH.copy()
        digest.update(raw[band * width : (band + 1) * width])
        hexes.append(digest.hexdigest())
    return hexes


# The start state of every band's hash (8-byte digest, personalised by FINGERPRINT).
_BAND_HASH = blake2b(digest_size=8, person=FINGERPRINT)


def similarity(a: Signature, b: Signature) -> tuple[float, float]:
    """(Jaccard, containment of the smaller in the larger), both estimated.

    |A∪B| = (|A|+|B|) / (1+J) and |A∩B| = J·|A∪B|, so containment follows from the
    Jaccard estimate and the two set sizes without keeping the sets.
    """
    if len(a.minhash) != len(b.minhash):
        return 0.0, 0.0
    jaccard = float(np.count_nonzero(a.minhash == b.minhash)) / len(a.minhash)
    smaller, larger = sorted((a.size, b.size))
    # Below this size ratio the Jaccard estimate is too coarse (a few matching
    # values out of num_perm) to read containment from it: a 40-character post would
    # "fit inside" many long articles by chance.
    if smaller <= 0 or smaller < MIN_CONTAINMENT_RATIO * larger:
        return jaccard, 0.0
    shared = jaccard * (a.size + b.size) / (1.0 + jaccard)
    return jaccard, min(1.0, shared / smaller)


def is_near_duplicate(a: Signature, b: Signature, *, jaccard: float, containment: float) -> bool:
    """Same story: nearly the same text, or one body (mostly) inside the other."""
    j, c = similarity(a, b)
    return j >= jaccard or c >= containment


def simhash_distance(a: int, b: int) -> int:
    return (a ^ b).bit_count()
