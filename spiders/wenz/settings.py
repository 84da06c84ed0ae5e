"""问政江西's settings and their defaults (folded into the project settings)."""

from __future__ import annotations

# The id walk: the last id (and its month) seen per source, Redis hashes.
WENZ_LAST_ID_KEY = "yuqing:wenz:last_id"
WENZ_LAST_MONTH_KEY = "yuqing:wenz:last_month"
