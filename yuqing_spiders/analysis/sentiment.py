"""Sentiment of items and comments: two small linear models over words, shipped as JSON.

The model file (yuqing_spiders/data/sentiment/model.json) is written by
scripts/train_sentiment.py from labelled Weibo posts, Weibo emotion posts and
product/hotel reviews (its SOURCE.md says which, how they were split and the scores).
Each feature of a text carries two weights:

* **polarity** — the log-odds of positive against negative, learnt from polar texts;
  a shared weight plus, per kind of text (a *head*), a weight learnt on that kind only;
* **neutrality** — the log-odds that the text leans neither way, learnt from the
  emotion sets' "neutral" / "no emotion" posts against every polar text.

The heads: `social` (Weibo-like posts and comments: the model learnt it on Weibo
posts), `review` (a customer's verdict on a shop, a meal, a stay: learnt on
food-delivery and hotel reviews) and `general` (the shared weights alone: news
articles, official notices, any platform not named in HEADS). The head follows the
item's platform, which the run time knows from the source, never from the text; a
comment takes its item's platform. The polarity weights were learnt on features
scaled by their naive-Bayes log-count ratio (NB-LR); the scale is folded into the
shipped weights, so scoring is a plain sum.

A text is `neutral` when the neutrality probability passes the calibrated threshold
(set on the dev split so that few polar posts are answered neutral), when its
polarity is a coin toss (|2p - 1| below the band) or when it has too few features
the model knows; otherwise the polarity decides. The score is the polarity 2p - 1
shrunk by the neutrality, (2p - 1)(1 - p_neutral), so a neutral notice scores near 0
and the mean score of comments means something.

Features are jieba words (`w:`), adjacent word pairs (`b:`), Weibo emoticons such as
`[怒]` (`e:`) and character pairs (`c:`, for words jieba splits oddly), each valued
1/sqrt(feature count). Only the words, word pairs and emoticons are named in the
explanation (`terms`): a character pair is a fragment, not evidence a reader can check.
text_features names them as strings (the training script reads them so); a judgement
finds the same features as numbers (_Table.find: word ids, character code pairs in a
hash table) and never builds the ~800 strings of an article.

The evidence is summed, and tied terms of the explanation listed, in the model file's
order of the features (then the office's extra terms, in their order), so every
process gives a text the same score and terms. (It was a set's order, which varies
with PYTHONHASHSEED: two workers could store different term orders, and scores
differing in the last bits, for one text.)

Scoring needs nothing but this file, the standard library and numpy (the weights
are laid out in arrays for speed, see _Table), and the file is read on first use, so
commands that never judge sentiment never pay for it. The arrays are compiled from
the file once and kept in the user's cache (_compiled): the JSON file stays the
shipped, reviewable model, and a changed file is compiled again.
"""

from __future__ import annotations

import json
import math
import operator
import re
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from yuqing_spiders.analysis import tokens
from yuqing_spiders.model.resources import (
    collector_paused,
    digest,
    load_cached,
    read_bytes,
    read_text,
    store_cached,
)
from yuqing_spiders.model.text import word_chars_bmp

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

LABELS = ("negative", "neutral", "positive")
# The bounded window: sentiment reads the title and the first WINDOW characters of the
# content. The opening of a post or article carries its tone; the tail costs CPU and
# dilutes it (the training texts are mostly shorter than this).
WINDOW = 400
EVIDENCE_TERMS = 5
# platform -> polarity head. Reviews stand in for texts where a customer judges a
# shop, a meal or a stay (notes and reviews on lifestyle platforms); Weibo posts for
# the short first-person posts, comments and complaints of social platforms and
# citizens' message boards. News, official accounts and anything else: `general`.
HEADS: dict[str, str] = {
    "weibo": "social",
    "douyin": "social",
    "kuaishou": "social",
    "tieba": "social",
    "forum": "social",
    "zhihu": "social",
    "bilibili": "social",
    "wenzheng": "social",
    "xiaohongshu": "review",
    "dianping": "review",
    "meituan": "review",
}
GENERAL = "general"
_EMOTICON = re.compile(r"\[[^\[\]\s]{1,8}\]")
# Punctuation, spaces, symbols and emoji: neither words nor characters of a feature.
_NOT_WORD = re.compile(r"[\W_]+")
# Prefixes an explanation may name: words, word pairs, emoticons (not `c:`).
_NAMED = ("w:", "b:", "e:")
# The compiled model's name in the user's cache (model/resources.py).
CACHE_KIND = "sentiment"


# Tokens a word memo (_Words) holds before it is replaced by an empty one: ~5 MB.
_MEMO_SIZE = 50_000


def _lower_words(found: tokens.Words) -> list[str]:
    """The lower-case words among the segmentation's tokens, in order (punctuation,
    spaces, symbols and emoji dropped)."""
    return [word.lower() for word, _start, _end in found if _NOT_WORD.fullmatch(word) is None]


def text_features(text: str | None, window: int = WINDOW) -> set[str]:
    """The features of one text's first `window` characters, named (the training
    script's form; a judgement finds the same features as numbers, _Table.find).

    The words come from the shared segmentation (tokens.words of the whole text, which
    the risk stage reads too), cut at the window, so each text is segmented once.
    """
    if not text:
        return set()
    words = _lower_words(tokens.words_within(text, window))
    head = text[:window]
    found = {f"w:{w}" for w in words}
    found.update(f"b:{a}_{b}" for a, b in zip(words, words[1:], strict=False))
    found.update(f"e:{m}" for m in _EMOTICON.findall(head))
    chars = _NOT_WORD.sub("", head.lower())
    found.update(f"c:{a}{b}" for a, b in zip(chars, chars[1:], strict=False))
    return found


def features(*texts: str | None) -> set[str]:
    """The model's features of title and content (or of one comment) together."""
    found: set[str] = set()
    for text in texts:
        found |= text_features(text)
    return found


def head_of(platform: str | None, heads: dict[str, str] | None = None) -> str:
    """The polarity head for an item's platform (HEADS, or the office's override)."""
    return (heads if heads is not None else HEADS).get(platform or "", GENERAL)


def _sigmoid(logit: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, logit))))


def _nameable(feature: str) -> bool:
    """Words of two or more characters (not bare numbers), word pairs and emoticons:
    never one character."""
    if not feature.startswith(_NAMED):
        return False
    return not feature.startswith("w:") or (len(feature) > 3 and not feature[2:].isdigit())


@dataclass
class SentimentResult:
    label: str
    score: float
    terms: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """dataclasses.asdict(self), built by hand: asdict deep-copies field by field
        (~0.05 ms per item); the terms are plain strings, a shallow copy is enough."""
        return {"label": self.label, "score": self.score, "terms": list(self.terms)}


@dataclass
class Weights:
    """The file's contents: feature -> (polarity weight, neutrality weight)."""

    features: dict[str, tuple[float, float]]
    # head -> feature -> polarity weight added to the shared one (absent: 0).
    heads: dict[str, dict[str, float]]
    polar_intercept: float
    neutral_intercept: float
    neutral_threshold: float
    polar_band: float
    meta: dict[str, Any] = field(default_factory=dict)


def read_weights(path: Path | str) -> Weights:
    data = json.loads(read_text(path))
    return Weights(
        features={str(k): (float(v[0]), float(v[1])) for k, v in data["features"].items()},
        heads={
            str(name): {str(k): float(v) for k, v in weights.items()}
            for name, weights in (data.get("heads") or {}).items()
        },
        polar_intercept=float(data["intercept"]["polarity"]),
        neutral_intercept=float(data["intercept"]["neutrality"]),
        neutral_threshold=float(data["neutral_threshold"]),
        polar_band=float(data["polar_band"]),
        meta=data.get("meta", {}),
    )


# Keys of the pair table (_Pairs). A character pair is its two code points (21 bits
# each); a word pair its two word ids (_Compiled.words, 31 bits each) under a tag bit,
# so the two kinds never share a key. A text's unknown words get ids from _UNKNOWN up,
# above any id of the model's vocabulary, so a pair holding one is never looked up.
_CHAR_BITS = 21
_WORD_BITS = 31
_WORD_PAIR = 1 << 62
_UNKNOWN = 1 << 30
# An empty place of the pair table: above every key (keys stay below 2**63).
_EMPTY = np.uint64(2**64 - 1)
# Fibonacci hashing: the top bits of key * 2**64/phi spread neighbouring keys apart.
_MIX = np.uint64(0x9E3779B97F4A7C15)


_BMP = 0x10000


def _char_keys(head: str) -> np.ndarray:
    """The pair-table keys of the `c:` features of a text's window: lower case, its
    punctuation, spaces and symbols dropped (as text_features builds them).

    The characters are dropped by a table look-up on the code points rather than by
    `_NOT_WORD.sub`, which cost 16 of the 20 us (a text beyond the BMP, rare, takes
    the regex)."""
    lower = head.lower()
    # One code point per uint32 (surrogatepass: a lone surrogate is a code point too).
    codes = np.frombuffer(lower.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    if len(codes) and codes.max() >= _BMP:
        chars = _NOT_WORD.sub("", lower)
        codes = np.frombuffer(chars.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    else:
        codes = codes[word_chars_bmp()[codes]]
    wide = codes.astype(np.uint64)
    return (wide[:-1] << _CHAR_BITS) | wide[1:]


def _word_pair_keys(ids: np.ndarray) -> np.ndarray:
    """The pair-table keys of the `b:` features of a text's word ids, in order."""
    return _WORD_PAIR | (ids[:-1] << _WORD_BITS) | ids[1:]


@dataclass
class _Pairs:
    """The model's character pairs and word pairs (`c:` and `b:` rows, ~54,000) as an
    open-addressing hash table of integer keys, looked up for a whole text in a few
    numpy operations.

    Why: a text has ~400 character pairs and ~200 word pairs; building each one's
    string and looking it up in a 65,000-entry dict cost ~0.7 ms per item in the crawl,
    where the dict is cold. Here a key's place is found from its hash (one or two
    cache lines) and no string is built. Linear probing with the keys placed in the
    order of their home places; the table is at most half full, so a key sits at most
    `reach` places after its home (7 for the shipped model), and a look-up compares
    the reach + 1 places from each key's home at once."""

    keys: np.ndarray  # uint64 per place; _EMPTY where none
    rows: np.ndarray  # int32: the model row of the key at the same place
    bits: int  # the table has 2**bits home places (+ reach places of tail)
    reach: int

    @classmethod
    def build(cls, keys: np.ndarray, rows: np.ndarray) -> _Pairs:
        """The table of unique `keys` (uint64) -> `rows`."""
        bits = max(1, (2 * len(keys) - 1).bit_length())  # at most half full
        home = _home(keys, bits)
        order = np.argsort(home, kind="stable")
        homes = home[order]
        # Each key, in home order, takes the first free place at or after its home:
        # place[i] = max(home[i], place[i - 1] + 1), a running maximum of home - i.
        count = np.arange(len(keys))
        places = np.maximum.accumulate(homes - count) + count if len(keys) else count
        reach = int((places - homes).max()) if len(keys) else 0
        # No wrap-around: the last run spills into a tail of `reach` places.
        table = np.full((1 << bits) + reach, _EMPTY, dtype=np.uint64)
        table[places] = keys[order]
        # int32: half the memory a look-up reads from (one miss per row in the crawl).
        at = np.full(len(table), -1, dtype=np.int32)
        at[places] = rows[order]
        return cls(keys=table, rows=at, bits=bits, reach=reach)

    def rows_of(self, keys: np.ndarray) -> np.ndarray:
        """The rows of those of `keys` (unique) the table holds, in no particular order;
        the others are left out.

        Each key's home place first: most keys the table holds sit there, and a key
        whose home is empty is not held. Only the rest (a third) compare the `reach`
        places after their home (all keys doing so gathered 8 places each: ~7 us more)."""
        home = _home(keys, self.bits)
        there = self.keys[home]
        at_home = there == keys
        found = self.rows[home[at_home]]
        rest = np.flatnonzero(~at_home & (there != _EMPTY))
        if not len(rest) or not self.reach:
            return found
        after = home[rest] + 1
        places = after[:, None] + np.arange(self.reach)
        which, step = np.nonzero(self.keys[places] == keys[rest, None])
        return np.concatenate((found, self.rows[after[which] + step]))


def _home(keys: np.ndarray, bits: int) -> np.ndarray:
    """Each key's home place in a table of 2**bits (uint64 multiplication wraps)."""
    return ((keys * _MIX) >> np.uint64(64 - bits)).astype(np.intp)


@dataclass
class _Compiled:
    """The model file laid out for scoring, as the user's cache keeps it (see
    _compiled): one row per feature, in the file's order, of [shared polarity weight,
    neutrality weight, 1.0 if an explanation may name the feature else 0.0], per head
    the rows its own polarity weights are added to, and the look-ups from a text to
    its rows: word ids, word id -> `w:` row, the pair table, emoticon -> `e:` row.

    Why: json.loads of the 2 MB file and a tuple per feature cost ~0.1 s in every
    worker, _nameable on each of the 65,000 names ~10 ms; this form unpickles in ~11 ms
    and builds a head's rows in one array addition."""

    names: list[str]
    columns: np.ndarray
    heads: dict[str, tuple[np.ndarray, np.ndarray]]  # head -> (rows, polarity added)
    polar_intercept: float
    neutral_intercept: float
    neutral_threshold: float
    polar_band: float
    meta: dict[str, Any]
    # Every word of a `w:` or `b:` name -> its id (below _UNKNOWN).
    words: dict[str, int] = field(default_factory=dict)
    # Word id -> the row of `w:<word>`, -1 for a word only named in word pairs.
    word_rows: np.ndarray = field(default_factory=lambda: np.empty(0, np.intp))
    pairs: _Pairs | None = None
    emoticons: dict[str, int] = field(default_factory=dict)  # `e:` name -> row


def _compile(data: dict[str, Any]) -> _Compiled:
    """The parsed model file as a _Compiled (what read_weights reads, as arrays)."""
    weights = data["features"]
    names = [str(name) for name in weights]
    columns = np.empty((len(names), 3))
    if names:
        columns[:, :2] = np.array(list(weights.values()), dtype=np.float64)[:, :2]
    columns[:, 2] = np.fromiter(map(_nameable, names), dtype=bool, count=len(names))
    rows = {name: row for row, name in enumerate(names)}
    heads: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for head, extra in (data.get("heads") or {}).items():
        # A head's weight for a feature the file has no row for is never read (as
        # _Table._build never read it when it walked the features).
        known = [(rows[str(k)], float(v)) for k, v in extra.items() if str(k) in rows]
        at = np.array([row for row, _ in known], dtype=np.intp)
        heads[str(head)] = (at, np.array([value for _, value in known], dtype=np.float64))
    compiled = _Compiled(
        names=names,
        columns=columns,
        heads=heads,
        polar_intercept=float(data["intercept"]["polarity"]),
        neutral_intercept=float(data["intercept"]["neutrality"]),
        neutral_threshold=float(data["neutral_threshold"]),
        polar_band=float(data["polar_band"]),
        meta=data.get("meta", {}),
    )
    _index(compiled)
    return compiled


def _index(compiled: _Compiled) -> None:
    """The look-ups from a text's words, pairs and emoticons to the model's rows.

    A name no text can have is left out: a `c:` name that is not two characters, a
    `b:` name without exactly one `_` (words never hold one: jieba makes `_` a token
    of its own, and _NOT_WORD drops it)."""
    words = compiled.words
    word_rows: list[tuple[int, int]] = []
    keys: list[int] = []
    key_rows: list[int] = []
    for row, name in enumerate(compiled.names):
        kind, rest = name[:2], name[2:]
        if kind == "w:":
            word_rows.append((words.setdefault(rest, len(words)), row))
        elif kind == "b:" and rest.count("_") == 1:
            left, right = rest.split("_")
            ids = (words.setdefault(left, len(words)), words.setdefault(right, len(words)))
            keys.append(_WORD_PAIR | ids[0] << _WORD_BITS | ids[1])
            key_rows.append(row)
        elif kind == "c:" and len(rest) == 2:
            keys.append(ord(rest[0]) << _CHAR_BITS | ord(rest[1]))
            key_rows.append(row)
        elif kind == "e:":
            compiled.emoticons[name] = row
    if len(words) >= _UNKNOWN or len(compiled.names) >= 2**31:
        raise ValueError(f"the sentiment model is too large: {len(compiled.names)} features")
    compiled.word_rows = np.full(len(words), -1, dtype=np.intp)
    for word, row in word_rows:
        compiled.word_rows[word] = row
    compiled.pairs = _Pairs.build(
        np.array(keys, dtype=np.uint64), np.array(key_rows, dtype=np.intp)
    )


def _compiled(path: Path | str) -> _Compiled:
    """_compile of the model file, through the user's cache (model/resources.py): keyed
    by the file's bytes and this module's code, so a new model or a changed layout is
    compiled again: ~17 ms per process instead of ~0.1 s."""
    raw = read_bytes(path)
    key = digest(sys.version, np.__version__, read_bytes(Path(__file__)), raw)
    cached = load_cached(CACHE_KIND, key)
    if isinstance(cached, _Compiled):
        return cached
    with collector_paused():  # json.loads creates ~300,000 objects, none in a cycle
        built = _compile(json.loads(raw.decode("utf-8")))
    store_cached(CACHE_KIND, key, built)
    return built


# A token the features leave out (punctuation, spaces, symbols, emoji), in _Words.
_SKIPPED = -1
# The word of a segmentation's (word, start, end).
_word_of = operator.itemgetter(0)


def _distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, ascending: np.unique measured 15-70 us on a text's few
    hundred keys (numpy 2 hashes them first), sorting and dropping repeats 3-7 us."""
    ordered = np.sort(values)
    keep = np.empty(len(ordered), dtype=bool)
    keep[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


class _Memo(dict[str, int]):
    """Token -> id, learning a token on its first look-up (`__missing__`): a text's ids
    are one map() over its tokens, with no test of each answer for a miss (`None in`
    compared every id with None: ~0.04 us a token, 270 tokens an item)."""

    def __init__(self, learn: Callable[[str], int]) -> None:
        super().__init__()
        self._learn = learn

    def __missing__(self, token: str) -> int:
        return self._learn(token)


class _Words:
    """Token -> word id, for one model: the model's id of the token's lower case, else
    an id from _UNKNOWN up, one per distinct lower case the memo met; _SKIPPED for a
    token that is no word. Tokens repeat across texts, and lower(), the regex test and
    the vocabulary look-up of ~280 tokens cost ~0.05 ms per article.

    A long crawl's vocabulary keeps growing, so when full (~5 MB) the memo is replaced
    by an empty one, never emptied in place: a judgement keeps the memo it started with,
    so a word never gets two ids within it, whatever other threads do. New tokens are
    learnt under a lock, so two words never get one id."""

    def __init__(self, vocabulary: dict[str, int]) -> None:
        self.vocabulary = vocabulary
        self.ids = _Memo(self._learn)
        self.unknown: dict[str, int] = {}  # lower case -> id, for words not in vocabulary
        self._lock = threading.Lock()

    def current(self) -> _Words:
        """This memo, or a fresh one when this one is full."""
        return self if len(self.ids) <= _MEMO_SIZE else _Words(self.vocabulary)

    def of(self, found: tokens.Words) -> np.ndarray:
        """The ids of the words among the segmentation's tokens, in order (the words
        _lower_words keeps); a token met for the first time is learnt on the way."""
        # map() over the tokens' words: no bytecode per token (~0.1 us each, 250 a text),
        # read straight into the array (no list, no type guess per element).
        ids = map(self.ids.__getitem__, map(_word_of, found))
        array = np.fromiter(ids, dtype=np.int64, count=len(found))
        return array[array != _SKIPPED].astype(np.uint64)

    def _learn(self, token: str) -> int:
        with self._lock:
            found = dict.get(self.ids, token)  # another thread may have learnt it
            if found is None:
                found = self.ids[token] = self._id(token)
            return found

    def _id(self, token: str) -> int:
        if _NOT_WORD.fullmatch(token) is not None:
            return _SKIPPED
        lower = token.lower()
        found = self.vocabulary.get(lower)
        if found is None:
            found = self.unknown.setdefault(lower, _UNKNOWN + len(self.unknown))
        return found


@dataclass
class _Found:
    """The features of one judgement's texts: the model rows of those it knows, in
    ascending order (the file's), and how many distinct features there are, known
    or not (for the 1/sqrt(count) scale)."""

    rows: np.ndarray
    count: int


class _Table:
    """The weights laid out for scoring a text fast: per head an array with one row per
    feature of [polarity weight of that head (shared + head's, added once here as
    scoring once added them per feature), neutrality weight, 1.0 if an explanation may
    name the feature else 0.0], and the look-ups from a text to those rows.

    Why: a judgement has ~800 features and reads the weights of ~400; as dict
    values (a tuple of two floats each, scattered over 65,000 objects) the reads cost
    ~0.15 ms per article in cache misses, and _nameable on each ~0.1 ms more; the three
    numbers of a row sit side by side, so reading them is about one cache miss. The
    features are never built as strings (see find).
    """

    def __init__(self, compiled: _Compiled) -> None:
        self.compiled = compiled
        self.names = compiled.names
        self._heads: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()
        self.words = _Words(compiled.words)

    def head(self, head: str) -> np.ndarray:
        """The rows of one head (1.5 MB), built on its first use."""
        found = self._heads.get(head)
        if found is None:
            with self._lock:
                found = self._heads.get(head)
                if found is None:
                    found = self._heads[head] = self._build(head)
        return found

    def _build(self, head: str) -> np.ndarray:
        built = self.compiled.columns.copy()
        # Every row's shared weight plus the head's (0.0 where it has none), as the
        # per-feature sum this replaced did: the same doubles, -0.0 + 0.0 included.
        added = np.zeros(len(built))
        at, values = self.compiled.heads.get(head, (np.empty(0, np.intp), np.empty(0)))
        added[at] = values
        built[:, 0] += added
        return built

    def word_row(self, word: str) -> int | None:
        """The row of `w:<word>`, None when the model has none."""
        found = self.compiled.words.get(word)
        row = -1 if found is None else int(self.compiled.word_rows[found])
        return None if row < 0 else row

    def find(self, texts: Iterable[str | None], window: int = WINDOW) -> _Found:
        """The features of the texts together (the set `features(*texts)` would give),
        as rows and a count: words as word ids, character and word pairs as integer
        keys of the pair table, emoticons (rare) as strings."""
        words = self.words = self.words.current()
        ids: list[np.ndarray] = []
        keys: list[np.ndarray] = []  # character and word pairs
        emoticons: set[str] = set()
        for text in texts:
            if not text:
                continue
            head = text[:window]
            found = words.of(tokens.words_within(text, window))
            ids.append(found)
            keys += (_char_keys(head), _word_pair_keys(found))
            if "[" in head:  # every emoticon starts with one: no regex scan otherwise
                emoticons.update(f"e:{m}" for m in _EMOTICON.findall(head))
        if not ids:
            return _Found(np.empty(0, np.intp), 0)
        distinct = _distinct(np.concatenate(ids))
        word_rows = self.compiled.word_rows[distinct[distinct < _UNKNOWN]]
        assert self.compiled.pairs is not None  # _index built it
        # Every distinct pair is counted and looked up, one sort for both: a word pair
        # holding a text's unknown word has a key no model pair has (its id is at or
        # above _UNKNOWN, every model word's below), so it is simply not found.
        pairs = _distinct(np.concatenate(keys))
        pair_rows = self.compiled.pairs.rows_of(pairs)
        emoticon_rows = [self.compiled.emoticons.get(e, -1) for e in emoticons]
        rows = np.concatenate((word_rows, pair_rows, np.array(emoticon_rows, np.intp)))
        count = len(distinct) + len(pairs) + len(emoticons)
        return _Found(np.sort(rows[rows >= 0]), count)


class _Evidence:
    """What each known feature of one text (and each office term found in it) adds to
    the log-odds, in ascending model row (the file's order), then the office's terms the
    text has no feature for, in the office's order: the sums, the explanation and its
    ties follow that order. (It was the iteration order of a set of strings, which
    depends on PYTHONHASHSEED: two workers could store different term orders and
    scores differing in the last bits for one text.)"""

    def __init__(
        self, table: _Table, head: str, found: _Found, intercepts: tuple[float, float]
    ) -> None:
        self.table = table
        self.at = found.rows
        weights = table.head(head)[self.at]
        # 1/sqrt(all features), known or not, as in training: long and short texts land
        # on one scale, and dropping a small weight from the file changes nothing else.
        scale = 1.0 / math.sqrt(found.count) if found.count else 0.0
        # The intercepts, then each feature's polarity and neutrality, summed down the
        # columns in order (np.sum adds pairwise; accumulate adds one after the other,
        # as the loop this replaced did).
        summands = np.empty((len(self.at) + 1, 2))
        summands[0] = intercepts
        np.multiply(weights[:, :2], scale, out=summands[1:])
        self.polar, self.neutral = np.add.accumulate(summands)[-1].tolist()
        self.values = summands[1:, 0]
        self.named = weights[:, 2] != 0.0
        self.added: list[str] = []  # office terms the text has no feature for

    def add_term(self, term: str, weight: float) -> None:
        """An office term found in the text: added to the evidence of its feature `w:`
        when the text has that feature, else a new entry after the text's own features
        (each term comes once: they are the keys of extra_terms)."""
        row = self.table.word_row(term)
        if row is not None:
            where = np.flatnonzero(self.at == row)
            if len(where):
                self.values[where[0]] += weight
                return
        key = f"w:{term}"
        self.added.append(key)
        self.values = np.append(self.values, weight)
        self.named = np.append(self.named, _nameable(key))

    def name(self, k: int) -> str:
        known = len(self.at)
        return self.table.names[self.at[k]] if k < known else self.added[k - known]

    def explain(self, lean: float) -> list[str]:
        """The named features that pushed most towards the answer, strongest first (ties
        in the evidence's order: the sort is stable)."""
        values = self.values
        pushing = values > 0 if lean >= 0 else values < 0
        chosen = np.flatnonzero(self.named & pushing)
        strongest = chosen[np.argsort(-np.abs(values[chosen]), kind="stable")][:EVIDENCE_TERMS]
        # As Python ints and floats at once: no numpy scalar made per term.
        top = zip(strongest.tolist(), values[strongest].tolist(), strict=True)
        return [f"{self.name(k)}{value:+.2f}" for k, value in top]


class SentimentModel:
    """The shipped model with the office's settings; the weights load on first use."""

    def __init__(
        self,
        path: Path | str,
        *,
        neutral_band: float = 0.2,
        min_known: int = 3,
        extra_terms: dict[str, float] | None = None,
        heads: dict[str, str] | None = None,
    ) -> None:
        self.path = path
        # The band of the comments' mean score that reads as neutral (aggregate()).
        self.neutral_band = neutral_band
        self.min_known = min_known
        self.extra_terms = dict(extra_terms or {})
        self.heads = dict(HEADS if heads is None else heads)
        self._weights: Weights | None = None
        self._scoring: _Table | None = None
        self._lock = threading.Lock()

    @property
    def weights(self) -> Weights:
        """The file's contents as read_weights reads them, read on first use (judging
        reads the compiled form, _table(), not these)."""
        if self._weights is None:
            with self._lock:
                if self._weights is None:
                    self._weights = read_weights(self.path)
        return self._weights

    def load(self) -> None:
        """The scoring table, every head's rows and the word-character table, now rather
        than on first use (the workers' warm-up: ~26 ms with the compiled model cached,
        ~0.1 s without)."""
        table = self._table()
        for head in {GENERAL, *self.heads.values()}:
            table.head(head)
        word_chars_bmp()

    def _table(self) -> _Table:
        """The scoring table, built from the compiled model on first use."""
        table = self._scoring
        if table is None:
            with self._lock:
                table = self._scoring
                if table is None:
                    table = self._scoring = _Table(_compiled(self.path))
        return table

    @property
    def meta(self) -> dict[str, Any]:
        return self._table().compiled.meta

    def head_of(self, platform: str | None) -> str:
        return head_of(platform, self.heads)

    def judge(self, *texts: str | None, head: str = GENERAL) -> SentimentResult:
        """Sentiment of one text (a comment) or of title and content together, read
        with the polarity head of the text's kind (head_of(platform))."""
        table = self._table()
        model = table.compiled
        intercepts = (model.polar_intercept, model.neutral_intercept)
        evidence = _Evidence(table, head, table.find(texts), intercepts)
        polar, neutral = evidence.polar, evidence.neutral
        known = len(evidence.at)
        raw = "\n".join(t[:WINDOW] for t in texts if t) if self.extra_terms else ""
        for term, weight in self.extra_terms.items():
            if term in raw:
                polar += weight
                evidence.add_term(term, weight)
        lean = 2 * _sigmoid(polar) - 1
        p_neutral = _sigmoid(neutral)
        score = round(lean * (1 - p_neutral), 4)
        if (
            known < self.min_known
            or p_neutral >= model.neutral_threshold
            or abs(lean) < model.polar_band
        ):
            label = "neutral"
        else:
            label = "positive" if lean > 0 else "negative"
        return SentimentResult(label, score, evidence.explain(lean))


def aggregate(
    results: Iterable[SentimentResult | dict[str, Any]], min_count: int = 1, band: float = 0.2
) -> dict[str, Any] | None:
    """The lean of an item's comments: their mean score, its label, and the label counts.

    None when fewer than `min_count` comments were judged: a lean of two comments
    says little.
    """
    counts = dict.fromkeys(LABELS, 0)
    scores = []
    for result in results:
        label = result["label"] if isinstance(result, dict) else result.label
        score = result["score"] if isinstance(result, dict) else result.score
        if label not in counts or score is None:
            continue
        counts[label] += 1
        scores.append(float(score))
    if not scores or len(scores) < min_count:
        return None
    mean = round(sum(scores) / len(scores), 4)
    label = "neutral" if abs(mean) < band else ("positive" if mean > 0 else "negative")
    return {"label": label, "score": mean, "counts": counts}


def load_model(path: Path | str, section: dict[str, Any] | None = None) -> SentimentModel:
    """The shipped model with the office's band, minimum, extra terms and platform ->
    head map `heads` (settings/analysis.yaml `sentiment:`; no `heads` = HEADS). Only
    checks that the file is there; the weights are read on the first judgement."""
    section = section or {}
    if not Path(path).exists():
        read_bytes(path)  # inside an egg: raises now, at rules load, when it is missing
    band = section.get("neutral_band")
    heads = section.get("heads")
    return SentimentModel(
        path,
        neutral_band=0.2 if band is None else float(band),
        min_known=int(section.get("min_known_tokens", 3)),
        extra_terms={str(k): float(v) for k, v in (section.get("extra_terms") or {}).items()},
        heads=None if heads is None else {str(k): str(v) for k, v in heads.items()},
    )
