"""Xiaohongshu's settings and their defaults (folded into the project settings at
start-up, settings/_sources.py); override any of them like a Scrapy setting."""

from __future__ import annotations

# Notes per search page (the web client asks for 20).
XHS_PAGE_SIZE = 20
# Search cards carry no time: the window is the site's `filter_note_time` preset
# covering these hours (一天内, 一周内, 半年内; 0: 不限), newest first; pages follow
# while `has_more`, up to the source's max_list_pages.
XHS_LOOKBACK_HOURS = 48
# Comment pages (about 10 each) per note; reply levels (Xiaohongshu shows one) and
# extra reply pages per root comment beyond the replies embedded in it.
XHS_COMMENT_PAGES = 1
XHS_REPLY_DEPTH = 1
XHS_REPLY_PAGES = 1
# An author's profile (fans, IP属地) is reused this long.
XHS_PROFILE_TTL = 24 * 3600
# Where the site's own signing script runs and how it is called (fetch/signer.py): the
# page's `_webmsxyw(uri, body)` returns {"X-s", "X-t"} (public crawlers until 2025-10;
# the site has since moved to `mnsv2`). NEEDS A LIVE CHECK (docs/platforms.md).
# A note's xsec_token (from its search card) is kept this long so a tracked note can be
# refreshed (tracking stops after `max_age_hours`, 72, in settings/analysis.yaml).
XHS_TOKEN_TTL = 72 * 3600
XHS_SIGN_PAGE = "https://www.xiaohongshu.com/"
XHS_SIGN_READY = "() => typeof window._webmsxyw === 'function'"
XHS_SIGN_CALL = "(a) => window._webmsxyw(a.uri, a.body)"

# How a ban looks on Xiaohongshu (platforms.md §4): HTTP 461/471 (captcha, with
# Verifytype/Verifyuuid headers), 401/403/429; the verification page's text; the
# login error page. Body codes (300011-300013) are judged by the spider.
# Sessions (docs/sessions.md): login cookies from the pool (`YUQING_COOKIES_XIAOHONGSHU`,
# `$YUQING_COOKIES_DIR/xiaohongshu/`) are used first; without one a visitor session is
# made from the home page's `a1` and `webId`, so an empty pool still crawls.
COOKIE_POOL_PLATFORMS = {
    "xiaohongshu": {
        "hosts": ["edith.xiaohongshu.com", "www.xiaohongshu.com"],
        "visitor": "spiders.xiaohongshu.visitor.xhs_visitor",
    },
}
BAN_DETECTION_RULES = {
    "xiaohongshu": {
        "hosts": ["edith.xiaohongshu.com", "www.xiaohongshu.com"],
        "statuses": [461, 471, 401, 429],
        "captcha_patterns": [r"请通过验证", r"/api/redcaptcha/", r"website-login/captcha"],
        "login_patterns": [r"website-login/error"],
    },
}
