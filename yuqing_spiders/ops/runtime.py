"""Build Scrapy settings for a CLI command: overlay, services, replay routing."""

from __future__ import annotations

import os

from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings

OVERLAYS = ("local", "distributed", "test")


def project_settings(overlay: str, *, replay_url: str | None = None) -> Settings:
    """The project's settings with `overlay` applied and this process's services.

    Service URLs are read from the environment again here (not only when the settings
    module was first imported), because the CLI starts embedded services first.
    """
    if overlay not in OVERLAYS:
        raise ValueError(f"unknown settings overlay {overlay!r}; one of {OVERLAYS}")
    os.environ["SCRAPY_SETTINGS_MODULE"] = f"settings.{overlay}"
    settings = get_project_settings()
    for name in ("MONGO_URI", "REDIS_URL", "YUQING_DATA_DIR"):
        if os.environ.get(name):
            settings.set(name, os.environ[name], priority="cmdline")
    replay_url = replay_url or os.environ.get("YUQING_REPLAY_URL")
    if replay_url:
        use_replay(settings, replay_url)
    return settings


def use_replay(settings: Settings, replay_url: str) -> None:
    """Send every http(s) request to the replay server; spiders keep the real URLs.

    The project's download handler (yuqing_spiders/fetch/browser.py) reads this setting for
    plain and browser requests alike.
    """
    settings.set("YUQING_REPLAY_URL", replay_url, priority="cmdline")
