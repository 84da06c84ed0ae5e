"""Word segmentation (jieba), computed once per text and shared by the analysis stages.

One private jieba tokenizer per process, so nothing another module adds to jieba's
global dictionary changes our words. Segmenting is the dearest step of the analysis,
so the words of the last CACHE_SIZE texts are kept: every stage of one item asks for
the words of the same title and content strings and gets the first stage's result.
The cache is keyed by the text itself; a stage passes the item's own string object,
so a lookup costs one cached hash and an identity check, not a comparison of the
text.

Who reads what (the bounded windows, and why):

* risk (analysis/risk.py): the whole title and content, once a risk term is found in
  it — a term at the end of a long report counts as much as one at the start, and its
  word boundaries and negation are checked on the words;
* sentiment (analysis/sentiment.py): the title and the first `sentiment.WINDOW`
  characters of the content through `words_within` — the opening carries the tone.
  When the whole text was segmented already (risk ran first and found a term) its
  words are cut at the window; otherwise only the window is segmented;
* departments, 属地 and the event signatures do not segment: departments and places
  are Aho-Corasick automatons over the raw text, the event signatures hash character
  shingles (analysis/neardup.py);
* the event stage's story facts (analysis/storyfacts.py): the title's words and the
  content's through `words_within` its first EVENTS_STORY_LEAD_CHARS characters.
"""

from __future__ import annotations

import bisect
import contextlib
import logging
import os
import sqlite3
import tempfile
import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

import jieba

from yuqing_spiders.model.resources import cache_dir, digest

# jieba logs its dictionary loading at DEBUG to its own stderr handler.
jieba.setLogLevel(logging.WARNING)
logger = logging.getLogger(__name__)

Words = tuple[tuple[str, int, int], ...]
# Title, content and a few comments of the items in flight at once.
CACHE_SIZE = 64

_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None
_cache: OrderedDict[str, Words] = OrderedDict()
# Heads segmented for stages that read only the start of a long text: the whole text
# -> (head length, its words). A stage asking for a shorter head of the same text cuts
# it from there (sentiment reads 400 characters, the story key 300).
_heads: OrderedDict[str, tuple[int, Words]] = OrderedDict()
_counts = {"segmented": 0, "shared": 0, "characters": 0}


_lookup_on_disk = False


def look_up_on_disk() -> None:
    """Segment with jieba's dictionary looked up in an SQLite copy instead of loaded.

    For one-shot commands (`yuqing tag TEXT`): loading the 350 000 words takes half a
    second, and one text looks up a few hundred. A process that segments many texts
    (a worker, a batch) keeps the default, the whole dictionary in memory. Call before
    the first segmentation; the words are the same either way (same dictionary, same
    jieba)."""
    global _lookup_on_disk
    _lookup_on_disk = True


def tokenizer() -> jieba.Tokenizer:
    global _tokenizer
    with _lock:
        if _tokenizer is None:
            tok = jieba.Tokenizer()
            # jieba's own cache of the parsed dictionary, kept with yuqing's other caches
            # (a temporary directory may be emptied, and rebuilding costs two seconds).
            tok.tmp_dir = _jieba_cache_dir()
            if not (_lookup_on_disk and _open_on_disk(tok)):
                tok.initialize()
            _tokenizer = tok
        return _tokenizer


def _jieba_cache_dir() -> str:
    root = cache_dir()
    if root is not None:
        try:
            root.mkdir(parents=True, exist_ok=True)
            return str(root)
        except OSError:
            pass
    return tempfile.gettempdir()


class DiskDictionary:
    """jieba's prefix dictionary (word or word prefix -> frequency) read from SQLite.

    jieba's segmentation only asks `frag in FREQ`, `FREQ[frag]` and `FREQ.get(frag)`;
    each answer is remembered for the rest of the process."""

    def __init__(self, path: Path) -> None:
        uri = f"{path.resolve().as_uri()}?mode=ro&immutable=1"
        self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        self._seen: dict[str, int | None] = {}
        self.total = int(self._db.execute("SELECT n FROM meta WHERE k = 'total'").fetchone()[0])

    def _find(self, word: str) -> int | None:
        if word in self._seen:
            return self._seen[word]
        row = self._db.execute("SELECT n FROM freq WHERE w = ?", (word,)).fetchone()
        found = None if row is None else int(row[0])
        self._seen[word] = found
        return found

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self._find(word) is not None

    def __getitem__(self, word: str) -> int:
        found = self._find(word)
        if found is None:
            raise KeyError(word)
        return found

    def get(self, word: str, default: int | None = None) -> int | None:
        found = self._find(word)
        return default if found is None else found


def _dictionary_key(tok: jieba.Tokenizer) -> str:
    """jieba's version and its dictionary file's name, size and modification time (what
    jieba's own cache checks): a changed dictionary gets a new SQLite copy."""
    path = Path(jieba.__file__).parent / jieba.DEFAULT_DICT_NAME
    if tok.dictionary:
        path = Path(tok.dictionary)
    stat = path.stat()
    return digest(jieba.__version__, str(path), str(stat.st_size), str(stat.st_mtime_ns))


def disk_dictionary_path(tok: jieba.Tokenizer) -> Path | None:
    """Where the SQLite copy of `tok`'s dictionary is (or would be); None without a cache."""
    root = cache_dir()
    return None if root is None else root / f"jieba-{_dictionary_key(tok)}.sqlite"


def _write_disk_dictionary(tok: jieba.Tokenizer, path: Path) -> None:
    """Load the dictionary the usual way once and copy it into `path` (atomically)."""
    tok.initialize()
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.glob("jieba-*.sqlite"):
        stale.unlink(missing_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    os.close(fd)
    try:
        with contextlib.closing(sqlite3.connect(temporary)) as db:
            db.execute("CREATE TABLE freq (w TEXT PRIMARY KEY, n INTEGER) WITHOUT ROWID")
            db.execute("CREATE TABLE meta (k TEXT PRIMARY KEY, n INTEGER)")
            db.executemany("INSERT INTO freq VALUES (?, ?)", tok.FREQ.items())
            db.execute("INSERT INTO meta VALUES ('total', ?)", (tok.total,))
            db.commit()
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)


def _open_on_disk(tok: jieba.Tokenizer) -> bool:
    """Point `tok` at the SQLite copy of its dictionary (written on first use); False
    when there is no cache directory or the copy cannot be made or read."""
    try:
        path = disk_dictionary_path(tok)
        if path is None:
            return False
        if not path.exists():
            _write_disk_dictionary(tok, path)
            return True  # loaded whole to write the copy: use that
        on_disk = DiskDictionary(path)
    except (OSError, sqlite3.Error, TypeError) as error:
        logger.debug("jieba dictionary on disk not usable: %s", error)
        return False
    tok.FREQ, tok.total, tok.initialized = on_disk, on_disk.total, True
    return True


def _cached(text: str) -> Words | None:
    with _lock:
        found = _cache.get(text)
        if found is not None:
            _cache.move_to_end(text)
            _counts["shared"] += 1
        return found


def _segment(text: str) -> Words:
    found = tuple(tokenizer().tokenize(text, HMM=False))
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


def _cached_head(text: str, limit: int) -> Words | None:
    """The words of a head of `text` at least `limit` long that a stage segmented."""
    with _lock:
        head = _heads.get(text)
        if head is None or head[0] < limit:
            return None
        _heads.move_to_end(text)
        _counts["shared"] += 1
        return head[1]


@lru_cache(maxsize=CACHE_SIZE)
def boundaries(text: str) -> frozenset[int]:
    """Every offset in `text` where a word starts or ends."""
    marks: set[int] = set()
    for _word, start, end in words(text):
        marks.add(start)
        marks.add(end)
    return frozenset(marks)


@lru_cache(maxsize=CACHE_SIZE)
def starts(text: str) -> tuple[int, ...]:
    """The start offset of each word of `text`, ascending (for bisecting)."""
    return tuple(start for _word, start, _end in words(text))


def counts() -> dict[str, int]:
    """Texts segmented, lookups answered from the cache, characters segmented (for
    stats and the CPU bench: `shared` is the segmentation the stages did not repeat)."""
    with _lock:
        return dict(_counts)
