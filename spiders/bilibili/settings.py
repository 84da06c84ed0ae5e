"""Bilibili's settings and their defaults (folded into the project settings at start-up,
settings/_sources.py); override any of them like a Scrapy setting (`-s`, `--set`)."""

from __future__ import annotations

# Results per search page (the web page asks for 42, MediaCrawler for 20).
BILIBILI_PAGE_SIZE = 20
# Search newest first and page back until results are older than this (0: no window,
# page up to the source's max_list_pages). The site caps a query at 50 pages.
BILIBILI_LOOKBACK_HOURS = 48
# Comment pages (20 root comments each, newest first) per video; 0: none.
BILIBILI_COMMENT_PAGES = 1
# Reply levels under a root comment (Bilibili has one: replies to a root); 0: none.
BILIBILI_REPLY_DEPTH = 1
# Reply pages (20 each) per root comment with replies.
BILIBILI_REPLY_PAGES = 1
# A refresh of a tracked video signs its comment pages with the WBI keys this process
# read from nav this many seconds ago at most (the site rotates them daily); older or
# none: the refresh fetches nav first.
BILIBILI_WBI_KEYS_TTL = 3600
# An up主's card (fans, Official role) is reused this long across workers.
BILIBILI_PROFILE_TTL = 24 * 3600

# Sessions (docs/sessions.md): api.bilibili.com answers -412 to a client without the
# buvid3 cookie; a visitor gets one from `x/frontend/finger/spi`. Login (SESSDATA)
# cookies from the pool are used first when configured: comment IP属地 may need one.
COOKIE_POOL_PLATFORMS = {
    "bilibili": {
        "hosts": ["api.bilibili.com"],
        "visitor": "spiders.bilibili.visitor.bilibili_visitor",
    },
}
# How a ban looks on Bilibili: JSON envelopes with HTTP 200 (platforms.md §3).
BAN_DETECTION_RULES = {
    "bilibili": {
        "hosts": ["api.bilibili.com"],
        "statuses": [412],
        # -412 blocked, -352 risk control (v_voucher), -799 too frequent. Anchored at
        # the envelope's start: a comment quoting the code must never look like a wall.
        "captcha_patterns": [r'^\s*\{\s*"code"\s*:\s*-(?:412|352|799)\b'],
        "login_patterns": [r"passport\.bilibili\.com/login"],
    },
}
