"""Word segmentation (jieba), computed once per text and shared by the analysis stages.

The segmenter is jieba's algorithm and dictionary as compiled by rjieba (jieba-rs):
precise mode without HMM guesses, the same words and offsets as the Python package
(tests/unit/analysis/test_load_caches.py compares them on real text) at an eighth of
the cost; its dictionary loads in 0.2 s instead of 0.6 s and takes 59 MB instead of
83 MB (issue 13). One private tokenizer per process, so nothing another module adds
to a shared dictionary changes our words. Segmenting is still the dearest step of
the analysis, so the words of the last CACHE_SIZE texts are kept: every stage of one
item asks for the words of the same title and content strings and gets the first
stage's result. The cache is keyed by the text itself; a stage passes the item's own
string object, so a lookup costs one cached hash and an identity check, not a
comparison of the text.

Who reads what (the bounded windows, and why):

* risk (analysis/risk.py): only the stretch around each risk term found in the title
  or content (its clause up to the term, through `words_between`) — a term at the end
  of a long report counts as much as one at the start, and its word boundaries and
  negation are checked on the words there. jieba segments each run of Han characters,
  letters and digits on its own, so the words of that run are the same as in the
  whole text, at a fraction of the cost (a 1,000-character report has two or three
  terms; segmenting it whole cost 1.5 ms, issue 13);
* sentiment (analysis/sentiment.py): the title and the first `sentiment.WINDOW`
  characters of the content through `words_within` — the opening carries the tone.
  Only the window is segmented (unless some caller segmented the whole text: its
  words are then cut at the window);
* departments, 属地 and the event signatures do not segment: departments and places
  are Aho-Corasick automatons over the raw text, the event signatures hash character
  shingles (analysis/neardup.py);
* the event stage's story facts (analysis/storyfacts.py): the title's words and the
  content's through `words_within` its first EVENTS_STORY_LEAD_CHARS characters.
"""

from __future__ import annotations

import bisect
import re
import threading
from collections import OrderedDict

import rjieba

Words = tuple[tuple[str, int, int], ...]
# Title, content and a few comments of the items in flight at once.
CACHE_SIZE = 64

_lock = threading.Lock()
_tokenizer: rjieba.Jieba | None = None
_cache: OrderedDict[str, Words] = OrderedDict()
# Heads segmented for stages that read only the start of a long text: the whole text
# -> (head length, its words). A stage asking for a shorter head of the same text cuts
# it from there (sentiment reads 400 characters, the story key 300).
_heads: OrderedDict[str, tuple[int, Words]] = OrderedDict()
_counts = {"segmented": 0, "shared": 0, "characters": 0}
# One character of the runs jieba segments on its own (its `re_han_default` in
# precise mode); any other character is a word by itself, "\r\n" and single spaces
# too. tests/unit/analysis/test_tokens.py checks `words_between` against whole texts.
_RUN_CHAR = re.compile(r"[\u4E00-\u9FD5a-zA-Z0-9+#&._%\-]")


def tokenizer() -> rjieba.Jieba:
    global _tokenizer
    with _lock:
        if _tokenizer is None:
            _tokenizer = rjieba.Jieba()
        return _tokenizer


def _cached(text: str) -> Words | None:
    with _lock:
        found = _cache.get(text)
        if found is not None:
            _cache.move_to_end(text)
            _counts["shared"] += 1
        return found


def _segment(text: str) -> Words:
    found = tuple(tokenizer().tokenize(text, "default", False))  # precise, no HMM
    with _lock:
        _cache[text] = found
        if len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
        _counts["segmented"] += 1
        _counts["characters"] += len(text)
    return found


def words(text: str) -> Words:
    """(word, start, end) for each word of `text`, in order (jieba's precise mode, no HMM
    guesses, so the boundaries are those of dictionary words)."""
    found = _cached(text)
    return found if found is not None else _segment(text)


def _end(word: tuple[str, int, int]) -> int:
    return word[2]


def words_within(text: str, limit: int) -> Words:
    """The words of `text` that end within its first `limit` characters: cut from the
    whole text's words when some stage segmented them already, else from segmenting
    only the head (a long text is not segmented whole for a stage that reads its head)."""
    if len(text) <= limit:
        return words(text)
    found = _cached(text)
    if found is None:
        found = _cached_head(text, limit)
    if found is None:
        found = words(text[:limit])
        with _lock:
            _heads[text] = (limit, found)
            if len(_heads) > CACHE_SIZE:
                _heads.popitem(last=False)
    return found[: bisect.bisect_right(found, limit, key=_end)]


def words_between(text: str, start: int, end: int) -> Words:
    """The words of `text` that overlap `start`..`end`, with offsets in `text`: only
    the runs of Han characters, letters and digits holding that stretch are segmented
    (the same words as in the whole text, see above)."""
    start, end = max(0, start), min(len(text), max(start, end))
    while start > 0 and _RUN_CHAR.match(text, start - 1):
        start -= 1
    while end < len(text) and _RUN_CHAR.match(text, end):
        end += 1
    if text.startswith("\r\n", start - 1):  # jieba keeps "\r\n" as one word
        start -= 1
    if text.startswith("\r\n", end - 1):
        end += 1
    if start == 0 and end == len(text):
        return words(text)
    return tuple((word, a + start, b + start) for word, a, b in words(text[start:end]))


def _cached_head(text: str, limit: int) -> Words | None:
    """The words of a head of `text` at least `limit` long that a stage segmented."""
    with _lock:
        head = _heads.get(text)
        if head is None or head[0] < limit:
            return None
        _heads.move_to_end(text)
        _counts["shared"] += 1
        return head[1]


def counts() -> dict[str, int]:
    """Texts segmented, lookups answered from the cache, characters segmented (for
    stats and the CPU bench: `shared` is the segmentation the stages did not repeat)."""
    with _lock:
        return dict(_counts)
