"""The charset a page's bytes are really in, whatever it claims.

Chinese sites often serve GBK bytes under a `charset=utf-8` header (or the reverse)
after a CMS migration. The rule: bytes that are valid UTF-8 and not plain ASCII are
UTF-8 (GBK text almost never is); otherwise the first declared charset (header, then
<meta>) that decodes the bytes strictly; otherwise GB18030, which covers GBK and
GB2312. For a body nothing decodes strictly (a page cut mid-character, one stray byte)
`least_lossy_encoding` picks the candidate that loses the fewest characters: one U+FFFD
in a GBK page beats a whole page of mojibake under its wrong UTF-8 label.
middlewares/encoding.py applies it to every response.

A page can also mix the two: a UTF-8 template around a GBK article pasted in by an
old CMS (or the reverse). No single charset reads it: GB18030 "decodes" the UTF-8
parts without an error, as mojibake. `MIXED` marks such a body — valid UTF-8 runs
of several characters (which GBK text practically never forms by chance) beside
bytes that are not UTF-8 — and `decode_mixed` reads each part in its own charset.
"""

from __future__ import annotations

import codecs
import re

from w3lib.encoding import html_body_declared_encoding

# GBK and GB2312 labels are decoded as their superset, as browsers do.
_SUPERSETS = {"gbk": "gb18030", "gb2312": "gb18030", "hz": "gb18030"}
# What detect_encoding answers for a body that mixes UTF-8 and GBK (see decode_mixed).
MIXED = "utf-8+gb18030"
# Runs of non-ASCII bytes: in a page, text between markup, spaces and punctuation.
_NON_ASCII = re.compile(rb"[\x80-\xff]+")
# The only runs `_utf8_run` can accept are whole runs of 3-byte sequences led by E2-E9
# or EF (the UTF-8 of every character `_chinese` allows). To find them at C speed, each
# byte is first mapped to its class (`a` ASCII, `L` such a lead byte, `c` a continuation
# byte 80-BF, `x` any other) and the class string searched for "ASCII, then lead and
# two continuations, repeated, then no more non-ASCII": exact, and a GBK page costs
# ~10 µs instead of a Python decode attempt per run (~120 µs, issue 13).
_CJK_RUN_CLASSES = re.compile(rb"aLcc(?:Lcc)*(?![Lcx])")
# UTF-8 runs that make a body mixed rather than GBK with a fluke: this many characters,
# and this share of the body's non-ASCII text.
_MIXED_MIN_CHARS = 8
_MIXED_MIN_SHARE = 0.1


def _byte_class(byte: int) -> int:
    """The class letter of a byte for `_CJK_RUN_CLASSES`."""
    if byte < 0x80:
        return ord("a")
    if 0xE2 <= byte <= 0xE9 or byte == 0xEF:
        return ord("L")
    return ord("c") if byte < 0xC0 else ord("x")


_BYTE_CLASSES = bytes(_byte_class(byte) for byte in range(256))


def codec_name(label: str | None) -> str | None:
    """Python's codec for a charset label (the GBK family as GB18030); None if unknown."""
    if not label:
        return None
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return _SUPERSETS.get(name, name)


def _decodes(body: bytes, encoding: str) -> bool:
    try:
        body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def detect_encoding(body: bytes, header_charset: str | None) -> str | None:
    """The charset `body` really is in, `MIXED` for UTF-8 and GBK side by side, or
    None when nothing decodes it cleanly."""
    if not body.isascii() and _decodes(body, "utf-8"):
        return "utf-8"
    if _is_mixed(body):
        return MIXED
    declared = [codec_name(header_charset), codec_name(html_body_declared_encoding(body))]
    for encoding in [e for e in declared if e] + ["gb18030"]:
        if _decodes(body, encoding):
            return encoding
    return None


def least_lossy_encoding(body: bytes, header_charset: str | None) -> str:
    """For a body no charset decodes strictly: UTF-8 when it is UTF-8 but for a few bad
    bytes, else the candidate (declared ones first, then GB18030) that replaces fewest."""
    text = body.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for char in text if ord(char) > 127) - bad
    # GB18030 maps nearly any byte pair, so counting its losses cannot refute it; but long
    # valid UTF-8 runs almost never arise by chance from GBK bytes.
    if good >= 10 * max(bad, 1):
        return "utf-8"
    declared = [codec_name(header_charset), codec_name(html_body_declared_encoding(body))]
    candidates = list(dict.fromkeys([e for e in declared if e] + ["utf-8", "gb18030"]))
    return min(candidates, key=lambda enc: _replacements(body, enc))


def _replacements(body: bytes, encoding: str) -> int:
    try:
        return body.decode(encoding, errors="replace").count("\ufffd")
    except LookupError:
        return len(body)


def _utf8_run(run: bytes) -> str | None:
    """`run` as UTF-8 text when it is UTF-8 of Chinese text (CJK, full-width forms), else
    None. GBK bytes form valid 2-byte UTF-8 often (Latin, Cyrillic letters), whole runs
    of 3-byte CJK sequences almost never."""
    try:
        text = run.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text if all(_chinese(char) for char in text) else None


def _chinese(char: str) -> bool:
    code = ord(char)
    return 0x2000 <= code <= 0x206F or 0x3000 <= code <= 0x9FFF or 0xFF00 <= code <= 0xFFEF


def _is_mixed(body: bytes) -> bool:
    """Chinese UTF-8 runs beside non-ASCII runs that are not UTF-8 (the GBK part)."""
    # A leading "a" stands for the start of the body: class i + 1 is byte i.
    classes = b"a" + body.translate(_BYTE_CLASSES)
    utf8_chars = utf8_bytes = 0
    for match in _CJK_RUN_CLASSES.finditer(classes):
        run = body[match.start() : match.end() - 1]
        text = _utf8_run(run)
        if text is not None:
            utf8_chars += len(text)
            utf8_bytes += len(run)
    # Every other non-ASCII byte belongs to a run that is not Chinese UTF-8.
    other_bytes = len(classes) - classes.count(b"a") - utf8_bytes
    if not other_bytes or utf8_chars < _MIXED_MIN_CHARS:
        return False
    return utf8_chars >= _MIXED_MIN_SHARE * (utf8_chars + other_bytes / 2)


def decode_mixed(body: bytes) -> str:
    """A mixed body as text: each non-ASCII run as UTF-8 when it is Chinese UTF-8, else as
    GB18030; ASCII as ASCII; a byte neither reads becomes U+FFFD."""
    parts: list[str] = []
    done = 0
    for match in _NON_ASCII.finditer(body):
        parts.append(body[done : match.start()].decode("ascii"))
        run = match.group()
        parts.append(_utf8_run(run) or run.decode("gb18030", errors="replace"))
        done = match.end()
    parts.append(body[done:].decode("ascii"))
    return "".join(parts)
