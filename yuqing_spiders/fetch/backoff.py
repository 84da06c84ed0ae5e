"""How long a retry waits: exponential backoff with jitter, and a server's ``Retry-After``.

Retry n waits ``base * 2**(n-1)`` seconds (+-jitter, spreading the retries of many
requests that failed together), at most ``cap``; a ``Retry-After`` (seconds or an HTTP
date) wins when longer, within the same cap. middlewares/retry_backoff.py applies it.
"""

from __future__ import annotations

import random
from email.utils import parsedate_to_datetime


def parse_retry_after(value: bytes | str | None, now: float) -> float | None:
    """Seconds a ``Retry-After`` header asks for, or None when absent or unreadable."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - now)


def backoff_delay(
    attempt: int,
    *,
    base: float,
    cap: float,
    jitter: float = 0.0,
    retry_after: float | None = None,
) -> float:
    """The wait before retry number `attempt` (1 = first retry), in seconds."""
    delay = base * 2 ** max(0, attempt - 1)
    if jitter:
        # Spread the retries of many requests that failed together.
        delay *= 1 + random.uniform(-jitter, jitter)
    if retry_after is not None:
        delay = max(delay, retry_after)
    return max(0.0, min(delay, cap))
