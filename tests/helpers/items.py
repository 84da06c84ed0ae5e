"""Opinion items for the storage tests: one per number, distinct and complete."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from yuqing_spiders.model.items import Metrics, OpinionItem

# The crawl time of every item unless a test says otherwise.
T0 = datetime(2025, 3, 1, 8, 0, tzinfo=UTC)


def make_item(n: int, **fields: Any) -> OpinionItem:
    """Item `n` (people:<n>), with `fields` replacing the defaults."""
    base: dict[str, Any] = {
        "url": f"https://example.gov.cn/a/{n}.html",
        "source": "people",
        "platform": "news",
        "id": f"people:{n}",
        "title": f"title {n}",
        "content": f"content {n}",
        "published_at": T0 - timedelta(hours=1),
        "crawled_at": T0,
        "metrics": Metrics(comments=n, reposts=0, likes=1, reads=100),
    }
    base.update(fields)
    return OpinionItem(**base)
