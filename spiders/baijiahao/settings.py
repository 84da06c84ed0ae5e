"""百家号's settings and their defaults (folded into the project settings)."""

from __future__ import annotations

import os

# Author feeds want the `ab_sr` cookie of a browser session; unset: the feed's
# refusals are counted and 百家号 articles come through 百度资讯 search.
BAIJIAHAO_AB_SR = os.environ.get("BAIJIAHAO_AB_SR") or None
