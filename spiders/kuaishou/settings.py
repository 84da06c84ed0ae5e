"""Kuaishou's settings and their defaults (folded into the project settings at start-up,
settings/_sources.py); override any of them like a Scrapy setting (`-s`, `--set`)."""

from __future__ import annotations

# The search offers no "newest first": pages (pcursor) are read until the oldest
# result on a page is older than this, `no_more`, or the source's max_list_pages.
KUAISHOU_LOOKBACK_HOURS = 48
# Comment pages per video; reply levels (Kuaishou has one) and reply pages per root.
KUAISHOU_COMMENT_PAGES = 1
KUAISHOU_REPLY_DEPTH = 1
KUAISHOU_REPLY_PAGES = 1
# A creator's profile (fans) is reused this long.
KUAISHOU_PROFILE_TTL = 24 * 3600
# The signer hidden in the page (platforms.md §2, MC `help.py`): a script run before the
# page's own catches the first object that receives a `caver` property and has
# `$encode`; the search call is signed with it as `__NS_hxfalcon`. The page must be
# loaded logged in on the live site (passToken). NEEDS A LIVE CHECK (docs/platforms.md).
KUAISHOU_SIGN_PAGE = "https://www.kuaishou.com/"
KUAISHOU_SIGN_INIT = """
(() => {
  Object.defineProperty(Object.prototype, "caver", {
    configurable: true,
    set(value) {
      if (!window.__yuqingKsSigner && typeof this.$encode === "function") {
        window.__yuqingKsSigner = this;
      }
      Object.defineProperty(this, "caver", {
        value, writable: true, configurable: true, enumerable: true,
      });
    },
  });
})();
"""
KUAISHOU_SIGN_READY = "() => !!window.__yuqingKsSigner"
KUAISHOU_SIGN_CALL = (
    "(a) => Promise.resolve(window.__yuqingKsSigner.$encode("
    "{url: a.url, query: {caver: 2}, form: {}, requestBody: a.body}))"
)

# Sessions: MediaCrawler always logs in. No pool entry yet: a platform in the pool
# without a free session and without a visitor handshake has every request dropped, and
# whether anonymous search works needs a live check. Add {"kuaishou": {"hosts":
# ["www.kuaishou.com"]}} to COOKIE_POOL_PLATFORMS once login cookies are configured.
# How a ban looks on Kuaishou (platforms.md §2): `result` 2 (rate limited) and 2001
# (captcha, `captchaConfig`) in the body are judged by the spider; the captcha host here.
# Sessions (docs/sessions.md): login cookies from the pool (`YUQING_COOKIES_KUAISHOU`,
# `$YUQING_COOKIES_DIR/kuaishou/`) are used first; without one a visitor session is
# made from the home page's `did` device cookie, so an empty pool still crawls.
COOKIE_POOL_PLATFORMS = {
    "kuaishou": {
        "hosts": ["www.kuaishou.com"],
        "visitor": "spiders.kuaishou.visitor.kuaishou_visitor",
    },
}
BAN_DETECTION_RULES = {
    "kuaishou": {
        "hosts": ["www.kuaishou.com"],
        "statuses": [429],
        "captcha_patterns": [r"captcha\.zt\.kuaishou\.com"],
        "login_patterns": [r"passport\.kuaishou\.com"],
    },
}
