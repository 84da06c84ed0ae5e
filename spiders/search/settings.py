"""The keyword-search sources' settings and their defaults (folded into the project
settings); the watch-list itself is settings/watchlist.yaml (YUQING_WATCHLIST_FILE)."""

from __future__ import annotations

# One cooldown key per search engine, shared by every worker (yuqing_spiders/fetch/cooldown.py).
SEARCH_COOLDOWN_KEY = "yuqing:cooldown:%(engine)s"
# After a captcha page: no request to that engine for this long.
SEARCH_COOLDOWN_SECONDS = 900
# After an unreadable answer (invalid JSON, an error code): a shorter pause.
SEARCH_BAD_ANSWER_COOLDOWN = 300
