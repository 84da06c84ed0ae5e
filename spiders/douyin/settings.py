"""Douyin's settings and their defaults (folded into the project settings at start-up,
settings/_sources.py); override any of them like a Scrapy setting (`-s`, `--set`)."""

from __future__ import annotations

# Results per search request (the web client asks for 10-15) and the page offsets step.
DOUYIN_PAGE_SIZE = 10
# Search newest first (sort_type 2) and page back until results are older than this;
# the site only filters by presets (1, 7, 180 days): the nearest one at or above it is
# asked for, the rest is cut by `create_time`. 0: no window.
DOUYIN_LOOKBACK_HOURS = 48
# Comment pages (20 each) per video; reply levels (Douyin has one) and reply pages.
DOUYIN_COMMENT_PAGES = 1
DOUYIN_REPLY_DEPTH = 1
DOUYIN_REPLY_PAGES = 1
# A creator's profile (followers, verification, IP属地) is reused this long.
DOUYIN_PROFILE_TTL = 24 * 3600
# The browser identity signed requests carry: a_bogus covers the User-Agent, so the
# request must send exactly the one that was signed.
DOUYIN_USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)
# Where the site's own signing script runs, and how it is called (fetch/signer.py):
# the page's bdms runtime signs `(params, body, user agent)` into a_bogus. A changed
# site needs these three edited, not the code. NEEDS A LIVE CHECK (docs/platforms.md).
DOUYIN_SIGN_PAGE = "https://www.douyin.com/"
DOUYIN_SIGN_READY = "() => !!(window.bdms && window.bdms.init)"
DOUYIN_SIGN_CALL = (
    "(a) => window.bdms.init._v[2].p[42].apply(null, [0, 1, 8, a.params, a.body, a.ua])"
)

# Sessions (docs/sessions.md): a visitor `ttwid` from ttwid.bytedance.com serves
# detail, comments and profiles; search may need a login cookie from the pool.
COOKIE_POOL_PLATFORMS = {
    "douyin": {
        "hosts": ["www.douyin.com"],
        "visitor": "spiders.douyin.visitor.douyin_visitor",
    },
}
# How a ban looks on Douyin (platforms.md §1): a verify redirect, a `blocked` body; the
# `verify_check` search wall and the empty 200 are judged by the spider (a body the
# ban middleware cannot tell from a short answer).
BAN_DETECTION_RULES = {
    "douyin": {
        "hosts": ["www.douyin.com"],
        "statuses": [403, 429],
        "captcha_patterns": [
            r"verify\.(?:snssdk|zijieapi)\.com",
            r"rmc\.bytedance\.com/verifycenter",
            r"^\s*blocked\s*$",
        ],
        "login_patterns": [r"sso\.douyin\.com/passport", r"passport/web/login"],
    },
}
