"""Zhihu's settings and their defaults (folded into the project settings at start-up,
settings/_sources.py); override any of them like a Scrapy setting (`-s`, `--set`)."""

from __future__ import annotations

# Results per search request; the next page's offset steps by it.
ZHIHU_PAGE_SIZE = 20
# Search newest first (sort=created_time) within the nearest `time_interval` preset
# covering this window, and page back until results are older (0: no window).
ZHIHU_LOOKBACK_HOURS = 48
# Comment pages (10 root comments each) per answer or article; reply levels (Zhihu
# shows one) and reply pages per root comment.
ZHIHU_COMMENT_PAGES = 1
ZHIHU_REPLY_DEPTH = 1
ZHIHU_REPLY_PAGES = 1
# An author's profile (followers, organisation, badges) is reused this long.
ZHIHU_PROFILE_TTL = 24 * 3600
# Fixed request headers of the web client (platforms.md §5); x-zst-81 is a token in the
# site's script, empty until a live check fills it.
ZHIHU_API_HEADERS = {
    "x-zse-93": "101_3_3.0",
    "x-api-version": "3.0.91",
    "x-app-za": "OS=Web",
    "x-requested-with": "fetch",
}
ZHIHU_ZST_81 = ""
# Where the site's own signing script runs and how it is called (fetch/signer.py): it
# turns the source string `101_3_3.0+<path?query>+<d_c0>[+<x-zst-81>]` into x-zse-96.
# NEEDS A LIVE CHECK (docs/platforms.md): the real site keeps the function inside its
# bundle; the call must be pointed at it.
ZHIHU_SIGN_PAGE = "https://www.zhihu.com/"
ZHIHU_SIGN_READY = "() => typeof window.__zse96 === 'function'"
ZHIHU_SIGN_CALL = "(a) => window.__zse96(a.source)"

# Sessions (docs/sessions.md): login cookies from the pool (`YUQING_COOKIES_ZHIHU`,
# `$YUQING_COOKIES_DIR/zhihu/`) are used first; without one a visitor session is made
# from the home page's `d_c0` and `_xsrf`. x-zse-96 covers d_c0, so the spider signs
# with the d_c0 of the session the home page was fetched with, and pins that session.
COOKIE_POOL_PLATFORMS = {
    "zhihu": {
        "hosts": ["www.zhihu.com", "zhuanlan.zhihu.com"],
        "visitor": "spiders.zhihu.visitor.zhihu_visitor",
    },
}

# How a ban looks on Zhihu (platforms.md §5): 403 with error 10003, the "unhuman"
# verification redirect, 40362 "请求存在异常"; the spider also reads `error.code`.
BAN_DETECTION_RULES = {
    "zhihu": {
        "hosts": ["www.zhihu.com", "zhuanlan.zhihu.com"],
        "statuses": [429],
        "captcha_patterns": [r"/account/unhuman", r'"code"\s*:\s*40362\b'],
        "login_patterns": [r"zhihu\.com/signin"],
    },
}
