"""Bilibili's WBI request signature, in pure Python (platforms.md §3, since 2023-03).

1. `/x/web-interface/nav` carries `data.wbi_img.{img_url, sub_url}` (logged out too);
   the file stems of the two URLs are `img_key` and `sub_key`. They rotate daily.
2. The mixin key is the first 32 characters of `img_key + sub_key` picked in the order
   of the fixed 64-entry table below.
3. The query gets `wts` (epoch seconds); its pairs are sorted by key, the characters
   `!'()*` are stripped from values, and the pairs are URL-encoded (upper-case `%XX`,
   `%20` for a space). `w_rid = md5(query + mixin_key)`, appended to the query.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlsplit

# The published permutation: position i of the mixin key is character MIXIN[i].
MIXIN_KEY_TABLE = (
    46, 47, 18, 2, 53, 8, 23, 32, 15, 50, 10, 31, 58, 3, 45, 35,
    27, 43, 5, 49, 33, 9, 42, 19, 29, 28, 14, 39, 12, 38, 41, 13,
    37, 48, 7, 16, 24, 55, 40, 61, 26, 17, 0, 1, 60, 51, 30, 4,
    22, 25, 54, 21, 56, 59, 6, 63, 57, 62, 11, 36, 20, 34, 44, 52,
)  # fmt: skip
_STRIPPED = str.maketrans("", "", "!'()*")


def key_from_url(url: str) -> str:
    """`https://i0.hdslb.com/bfs/wbi/7cd0...077c.png` -> `7cd0...077c`."""
    name = urlsplit(url).path.rsplit("/", 1)[-1]
    return name.split(".", 1)[0]


def mixin_key(img_key: str, sub_key: str) -> str:
    raw = img_key + sub_key
    if len(raw) < 64:
        raise ValueError("WBI keys too short")
    return "".join(raw[i] for i in MIXIN_KEY_TABLE)[:32]


def encode_query(params: Mapping[str, Any]) -> str:
    """Sorted, stripped, encoded the way the site's script does it."""
    pairs = []
    for key in sorted(params):
        value = str(params[key]).translate(_STRIPPED)
        pairs.append(f"{quote(str(key), safe='')}={quote(value, safe='')}")
    return "&".join(pairs)


def sign(params: Mapping[str, Any], img_key: str, sub_key: str, wts: int) -> str:
    """The signed query string: the params plus `wts` and `w_rid`."""
    query = encode_query({**params, "wts": wts})
    w_rid = hashlib.md5((query + mixin_key(img_key, sub_key)).encode(), usedforsecurity=False)
    return f"{query}&w_rid={w_rid.hexdigest()}"
