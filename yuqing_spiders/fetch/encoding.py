"""The charset a page's bytes are really in, whatever it claims.

Chinese sites often serve GBK bytes under a `charset=utf-8` header (or the reverse)
after a CMS migration. The rule: bytes that are valid UTF-8 and not plain ASCII are
UTF-8 (GBK text almost never is); otherwise the first declared charset (header, then
<meta>) that decodes the bytes strictly; otherwise GB18030, which covers GBK and
GB2312. For a body nothing decodes strictly (a page cut mid-character, one stray byte)
`least_lossy_encoding` picks the candidate that loses the fewest characters: one U+FFFD
in a GBK page beats a whole page of mojibake under its wrong UTF-8 label.
middlewares/encoding.py applies it to every response.
"""

from __future__ import annotations

import codecs

from w3lib.encoding import html_body_declared_encoding

# GBK and GB2312 labels are decoded as their superset, as browsers do.
_SUPERSETS = {"gbk": "gb18030", "gb2312": "gb18030", "hz": "gb18030"}


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
    """The charset `body` really is in, or None when nothing decodes it cleanly."""
    if not body.isascii() and _decodes(body, "utf-8"):
        return "utf-8"
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
