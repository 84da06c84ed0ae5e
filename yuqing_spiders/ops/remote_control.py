"""No remote control of a crawl: Scrapy's console extensions stay off, their token
files go.

Scrapy's remote-control extension (and the older telnet console) run any Python code
sent to them inside the crawl, which holds the session cookies, proxy credentials and
the SMTP password in its environment. Settings turn both off
(REMOTE_CONTROL_ENABLED, TELNETCONSOLE_ENABLED, and their EXTENSIONS entries set to
None); this extension also removes job files — a port and a bearer token Scrapy
writes to the user's state directory — that a crawl of this project left there
before it was off (a killed crawl never removes its own).
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Self

from scrapy.utils._remote_control import job_files_dir

if TYPE_CHECKING:
    from pathlib import Path

    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings

logger = logging.getLogger(__name__)


def remove_job_files(settings: BaseSettings) -> int:
    """Delete this project's remote-control job files; how many were removed."""
    folder = job_files_dir(settings)
    if not folder.is_dir():
        return 0
    removed = 0
    for path in folder.glob("*.json"):
        if _project_of(path) == settings.get("BOT_NAME"):
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def _project_of(path: Path) -> str | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data.get("project") if isinstance(data, dict) else None


class NoRemoteControl:
    """EXTENSIONS entry: removes leftover job files when a crawl starts."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        removed = remove_job_files(crawler.settings)
        if removed and crawler.stats is not None:
            crawler.stats.set_value("yuqing/remote_control_files_removed", removed)
            logger.warning("removed %d remote-control token file(s) left by old crawls", removed)
        return cls()
