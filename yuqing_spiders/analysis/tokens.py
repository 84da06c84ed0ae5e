"""Word segmentation (jieba) shared by the risk and sentiment stages.

One private jieba tokenizer per process, so nothing another module adds to jieba's
global dictionary changes our words. Segmenting is the dearest step of the analysis,
so the last few texts' tokens are cached: the risk and the sentiment stage of one
item segment it once.
"""

from __future__ import annotations

import logging
import threading
from functools import lru_cache

import jieba

# jieba logs its dictionary loading at DEBUG to its own stderr handler.
jieba.setLogLevel(logging.WARNING)

_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None


def tokenizer() -> jieba.Tokenizer:
    global _tokenizer
    with _lock:
        if _tokenizer is None:
            tok = jieba.Tokenizer()
            tok.initialize()
            _tokenizer = tok
        return _tokenizer


@lru_cache(maxsize=32)
def words(text: str) -> tuple[tuple[str, int, int], ...]:
    """(word, start, end) for each word of `text`, in order (jieba's precise mode, no HMM
    guesses, so the boundaries are those of dictionary words)."""
    return tuple(tokenizer().tokenize(text, HMM=False))


@lru_cache(maxsize=32)
def boundaries(text: str) -> frozenset[int]:
    """Every offset in `text` where a word starts or ends."""
    marks: set[int] = set()
    for _word, start, end in words(text):
        marks.add(start)
        marks.add(end)
    return frozenset(marks)


@lru_cache(maxsize=32)
def starts(text: str) -> tuple[int, ...]:
    """The start offset of each word of `text`, ascending (for bisecting)."""
    return tuple(start for _word, start, _end in words(text))
