"""pyahocorasick automatons that scan Chinese text fast, finding what a plain one finds.

pyahocorasick finds a node's child by a linear scan of its children. The gazetteer's
root has ~2,650 children (every first character of a name), so a character read at the
root scanned hundreds of entries on average (0.24 ms per 1,100-character article even
with the commonest characters first). A `Scanner` therefore searches a code of the
text in which each character is two symbols, its high byte and its low byte (disjoint
alphabets), and every character that occurs in no word is the pair (BLANK, BLANK):

- the root has one child per high byte of a first character (~80) plus BLANK, which
  comes first, and each of those at most 256 children: a step scans a few dozen
  entries at most (0.24 -> 0.085 ms per article, the coding included);
- the matches are the same, in iter_long as in iter (tests/unit/analysis/
  test_automaton.py compares with a plain automaton on random texts): a word can only
  match where a character starts, since no word begins with a low byte or BLANK, and
  each node of the plain trie is the node of its coded path, with the same end of word
  and the coded fail link; the nodes in between (after a high byte) end no word and
  fail to nodes like them or the root, so pyahocorasick's iter_long, which follows
  fail links and remembers the last and failed-over ends of words, passes through the
  same ends of words at the same characters. A character in no word can only send the
  search back to the root, which BLANK does too. Offsets are halved back.

The order of adding the words (commonest high byte, then commonest first character,
by COMMON_CHARACTERS) only changes the order of a node's children: a worse guess is
slower, never wrong. COMMON_CHARACTERS was counted over the sample reviews in
datasets/sentiment and the recorded news pages in tests/fixtures/web.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ahocorasick
import numpy as np

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from numpy.typing import NDArray

COMMON_CHARACTERS = (
    ' "，0e,的:t1\nio。2sanlcr不是d_m.p了一u有我5房3店8酒间'
    "6f794/很人g在%h住个b还到服务上没好这v就大-w点来也！时要们y说以地{"
    "}：都小可=前客后下过、去日比次餐多能水天入电和k出家员早会开价道台错x但对南车"
    "感方差理为网里面用么较中得昌发打月然设年程太觉区只西看通晚门行所常新分江|于如给"
    "生楼问经星他D话工位意便果最非携E您AC本施提度进样宾定那实全其子馆而费再床知&"
    "市P外评;自格现）高才当因（第>[]机部安元明T建什作且'路I已总你之国心吃两让"
    "!结L调事民二想等回着三近关真修环交)号空边业公内无级热洗算订单(接该q？被湖办"
    "境管情<；音反标候?户别走线N“老置气装更同预铁”几海厅从相体应场态离站饭望改半"
    "又加味口Q些此旧般居卫题钟信直议见动四换东种周S起整特收山X少推正\\重供商干品件"
    "告准浴头选合找期充带补城快停保受法待处微手视退主满B求将把谢解卡j隔表声者查游成"
    "记窗免完送排连先报并清友布净做吧景闻备性首政华夜像及睡层长每M十钱贵诉\u3000确质万值"
    "风己原由+舒广菜象竟街堂马怎物需放示续计难另今希消馈旅择温优超叫系冷任复色强根至"
    "荐光青量向远平临权室与梯硬页博吵啊冬五朋zFGHJKORUVWYZ#$*@^`~"
    "\t‘’《》【】…—·"
)

# The code's symbols (any BMP characters that are not surrogates would do): a low byte,
# a high byte, a character in no word, and a symbol the code never holds (the dead end
# that puts BLANK first among the root's children).
LOW, HIGH, BLANK, NEVER = 0x100, 0x200, 0x300, 0x301
_BMP = 0x10000
_BLANKS = chr(BLANK) * 2
# Up to this length a text is coded by a dict look-up per character, longer ones by numpy.
SHORT = 32


def _coded(word: str) -> str:
    return "".join(chr(HIGH + (ord(c) >> 8)) + chr(LOW + (ord(c) & 0xFF)) for c in word)


def ordered(words: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """(word, value) in the order to add them: commonest high byte of the first
    character first (its first place in COMMON_CHARACTERS), then commonest first
    character, the rest in their own order (the sort is stable)."""
    rank = {c: i for i, c in enumerate(COMMON_CHARACTERS)}
    high_rank: dict[int, int] = {}
    for c in COMMON_CHARACTERS:
        high_rank.setdefault(ord(c) >> 8, len(high_rank))

    def key(pair: tuple[str, Any]) -> tuple[int, int]:
        first = pair[0][0]
        return high_rank.get(ord(first) >> 8, len(high_rank)), rank.get(first, len(rank))

    return sorted(words.items(), key=key)


class Scanner:
    """An automaton of `words` (word -> value) searching the two-symbol code of a text;
    `iter_long` and `iter` give what a plain pyahocorasick automaton's do."""

    def __init__(self, words: Mapping[str, Any]) -> None:
        self.automaton = ahocorasick.Automaton()
        # Words beyond the BMP (none in the shipped data) have no code: searched plainly.
        self.plain = any(ord(c) >= _BMP for word in words for c in word)
        if self.plain:
            for word, value in words.items():
                self.automaton.add_word(word, value)
        else:
            self.automaton.add_word(chr(BLANK) + chr(NEVER), None)
            for word, value in ordered(words):
                self.automaton.add_word(_coded(word), value)
        if words:
            self.automaton.make_automaton()
        self.empty = not words
        chars = {c for word in words for c in word}
        self.code = _code_table(chars)
        # The same code as a dict, for short texts (place names, titles): numpy's calls
        # cost ~3 us whatever the length.
        self.small = {c: _coded(c) for c in chars if ord(c) < _BMP}

    def __len__(self) -> int:
        return 0 if self.empty else len(self.automaton) - (0 if self.plain else 1)

    def coded(self, text: str) -> str:
        """`text` in the code: one table look-up per character (numpy; a str.translate
        of the same cost a dict look-up and an int object per character)."""
        if self.plain:
            return text
        if len(text) <= SHORT:
            small, blank = self.small, _BLANKS
            return "".join([small.get(c, blank) for c in text])
        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        pairs = self.code[np.minimum(codes, _BMP)]
        return pairs.tobytes().decode("utf-16-le")

    def iter_long(self, text: str) -> list[tuple[int, Any]]:
        """(end offset, value) of the leftmost-longest, non-overlapping matches."""
        return self._matches(self.automaton.iter_long, text)

    def iter(self, text: str) -> list[tuple[int, Any]]:
        """(end offset, value) of every match, as pyahocorasick's iter."""
        return self._matches(self.automaton.iter, text)

    def _matches(
        self, search: Callable[[str], Iterable[tuple[int, Any]]], text: str
    ) -> list[tuple[int, Any]]:
        """`search` over the code of `text`, its end offsets halved back: a list, built
        in one comprehension (every stage reads all the matches, and a generator resumed
        per match cost ~1 us each, ~10 a text)."""
        if self.empty or not text:
            return []
        if self.plain:
            return list(search(text))
        return [(end >> 1, value) for end, value in search(self.coded(text))]


def _code_table(chars: set[str]) -> NDArray[np.uint32]:
    """Code point -> its two symbols as one little-endian uint32 (high byte first), for
    the BMP and one entry past it for every character beyond."""
    points = np.arange(_BMP + 1, dtype=np.uint32)
    pairs = (HIGH + (points >> 8)) | ((LOW + (points & 0xFF)) << 16)
    known = np.zeros(_BMP + 1, dtype=bool)
    known[np.fromiter((ord(c) for c in chars if ord(c) < _BMP), dtype=np.int64)] = True
    return np.where(known, pairs, BLANK | (BLANK << 16)).astype(np.uint32)


def build(words: Mapping[str, Any]) -> Scanner:
    """The scanner of `words` (word -> value)."""
    return Scanner(words)
