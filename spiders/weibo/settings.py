"""Weibo's settings and their defaults (folded into the project settings at start-up,
settings/_sources.py); override any of them like a Scrapy setting (`-s`, `--set`)."""

from __future__ import annotations

# Result pages one query can show; a query reaching it is split (day, hour, region).
WEIBO_PAGE_CAP = 50
# A capped keyword is split into this many days, ending with its newest post's day.
WEIBO_LOOKBACK_DAYS = 2
# Regions an hour is split into (Sina province codes), then the home province's cities.
WEIBO_SLICE_PROVINCES = None  # default: all (spiders/weibo/search.py PROVINCES)
WEIBO_HOME_PROVINCE = "36"  # 江西
WEIBO_HOME_CITIES = 11
# m.weibo.cn search type: 61 实时 (newest first), 1 综合, 60 热门.
WEIBO_SEARCH_TYPE = "61"
# Comment pages (hotflow, about 20 comments each) fetched per post; 0: none.
WEIBO_COMMENT_PAGES = 1
# An author's profile (followers, verified, verified_type) is reused this long.
WEIBO_USER_CACHE_TTL = 24 * 3600
# s.weibo.com is searched instead of m.weibo.cn when a login cookie is configured.
WEIBO_PC_SEARCH = True

# Sessions (docs/sessions.md): which hosts take Weibo cookies, and how to get a
# visitor cookie when no login session is free.
COOKIE_POOL_PLATFORMS = {
    "weibo": {
        # Only the hosts the weibo spider reads (weibo.com's hot list is anonymous).
        "hosts": ["m.weibo.cn", "s.weibo.com"],
        "login_only": ["s.weibo.com"],
        "visitor": "spiders.weibo.visitor.weibo_visitor",
    },
}
# How a ban, a captcha wall and a login wall look on Weibo.
BAN_DETECTION_RULES = {
    "weibo": {
        "hosts": ["m.weibo.cn", "s.weibo.com"],
        # 432: the WAF refuses the session; 418: "I'm a teapot" throttle.
        "statuses": [432, 418],
        # The visitor system's check page (a redirect, or its page). Body patterns must
        # be specific: a search page full of posts must never look like a wall.
        "captcha_patterns": [
            r"passport\.weibo\.com/visitor/visitor",
            r"<title>Sina Visitor System</title>",
        ],
        # Sign-in redirects; m.weibo.cn JSON {"ok": -100, "url": <login>}.
        "login_patterns": [
            r"passport\.weibo\.com/sso/signin",
            r"weibo\.com/login\.php",
            r"login\.sina\.com\.cn",
            r"m\.weibo\.cn/login",
            r'^\s*\{\s*"ok"\s*:\s*-100',
        ],
    },
}
