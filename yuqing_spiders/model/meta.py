"""Request-meta keys that cross components: spiders set them, middlewares and the
queue read them (or the other way round). One name each, here, so a typo is an
ImportError rather than a silently ignored key.

Keys one spider sets for its own callbacks (`page_url`, `block_page`, ...) stay in
that spider; Scrapy's and scrapy-playwright's own keys (`proxy`, `playwright`,
`dont_retry`) keep their libraries' names.
"""

from __future__ import annotations

from typing import Any

# Which configured source (sources.yaml key) a request was made for; config-driven
# spiders serve several sources, stats and coverage are per source.
SOURCE = "yuqing_source"
# What a seed asks for: "list" (a start page, every tick) or "refresh" (a stored
# item fetched again for its metrics).
KIND = "yuqing_kind"
# Which list page of a channel this is (1 = the start page); pagination stops at
# the source's `max_list_pages`.
LIST_PAGE = "list_page"
# The page an article was linked from (stored as `found_on`).
FOUND_ON = "found_on"
# An answer that may legitimately be empty (a 204, an empty search): the
# bad-response middleware lets it through.
ALLOW_EMPTY = "yuqing_allow_empty"
# Epoch seconds before which a retried request must not be sent (retry back-off,
# ban retries); the delay middleware holds it until then.
NOT_BEFORE = "yuqing_not_before"
# A request whose redirects may lead to any public host (a search engine's result
# link, `baidu.com/link?url=...`); others are refused off-site (middlewares/safe_fetch.py).
REDIRECT_ANY_HOST = "yuqing_redirect_any_host"
# A per-request minimum interval for the cluster-wide rate limit (seconds).
RATE_INTERVAL = "yuqing_rate_interval"
# The User-Agent the rotation middleware chose, kept so retries reuse it.
USER_AGENT = "yuqing_user_agent"

# --- sessions (cookie pool, proxy pool, ban detection) --------------------------------
# The platform whose sessions a request uses, when its host does not say (a spider
# fetching a platform's API through another host); ban rules follow it too.
SESSION_PLATFORM = "session_platform"
COOKIE_POOL = "cookie_pool"  # False: never attach a pool cookie
COOKIE_POOL_ID = "cookie_pool_id"
COOKIE_POOL_PLATFORM = "cookie_pool_platform"
COOKIE_POOL_KIND = "cookie_pool_kind"
COOKIE_POOL_FORCE = "cookie_pool_force"  # use exactly this session (a health check)
COOKIE_POOL_SKIP = "cookie_pool_skip"  # a visitor handshake's own requests
PROXY_POOL = "proxy_pool"  # False: never send through a pool proxy
PROXY_POOL_ID = "proxy_pool_id"
BAN_DETECTION = "ban_detection"  # False: the response is not judged for bans
BAN_RETRIES = "ban_retries"


def render_meta() -> dict[str, Any]:
    """Request meta that asks for the page rendered in Debian's chromium, after its
    scripts ran (a channel list built by JavaScript; fetch/browser.py serves it). A fresh
    dict per request: scrapy-playwright edits the goto kwargs it is given."""
    return {"playwright": True, "playwright_page_goto_kwargs": {"wait_until": "networkidle"}}
