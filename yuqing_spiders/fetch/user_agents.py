"""The browser User-Agents requests rotate through: a data file, one string per line.

One fixed User-Agent across thousands of requests is the easiest crawler signature to
block; middlewares/user_agent.py draws one of these per request.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from yuqing_spiders.model.resources import DATA_DIR, read_text

if TYPE_CHECKING:
    from pathlib import Path

DEFAULT_FILE = DATA_DIR / "user_agents.txt"


def load_user_agents(path: str | Path) -> list[str]:
    """The non-blank, non-comment lines of `path`."""
    lines = (line.strip() for line in read_text(path).splitlines())
    return [line for line in lines if line and not line.startswith("#")]
