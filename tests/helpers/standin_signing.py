"""The replay site's stand-in signing scripts, mirrored in Python for writing fixtures.

tests/fixtures/web serves, at each platform's script URL, a STAND-IN for the site's
signing script (NOT the real algorithm; tests/fixtures/web/README.md): a deterministic
token of what the real script signs, with the call shape public crawlers use. The
crawler runs those scripts in chromium; fixture writers (tests/scripts/
make_platform_fixtures.py, tests that build their own site) compute the same token
here to name the signed URLs the crawler will ask for.
"""

from __future__ import annotations


def fnv1a(text: str) -> str:
    """32-bit FNV-1a over UTF-16 code units (the scripts' `charCodeAt`), 8 hex digits."""
    value = 0x811C9DC5
    for unit in text.encode("utf-16-le").hex(" ", 2).split():
        value ^= int(unit[2:] + unit[:2], 16)
        value = (value * 0x01000193) & 0xFFFFFFFF
    return f"{value:08x}"


def douyin_a_bogus(params: str, body: str, user_agent: str) -> str:
    """What lf-security.bytegoofy.com/.../bdms_1.0.1.19_fix.js (the stand-in) returns."""
    return "STANDIN" + fnv1a(f"{params}|{body}|{user_agent}") + fnv1a(f"{user_agent}#{params}")


def kuaishou_hxfalcon(url: str, body: str) -> str:
    """What the stand-in signer of www.kuaishou.com's page returns for `$encode`."""
    return "STANDIN" + fnv1a(f"{url}|{body}") + fnv1a(f"{body}#{url}")
