"""Build Scrapy settings for a CLI command: overlay, services, replay routing."""

from __future__ import annotations

import logging
import os
from collections import Counter

from scrapy.settings import BaseSettings, Settings
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


class OncePerProcess(logging.Filter):
    """Lets each distinct warning through once per process and counts the repeats.

    One worker hosts every spider, so a warning each crawler logs (a disabled
    extension, an alert receiver without credentials) would otherwise appear once per
    spider, and per batch. Errors always pass: each may be a different loss.
    """

    def __init__(self) -> None:
        super().__init__()
        self.repeats: Counter[tuple[str, str]] = Counter()

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno != logging.WARNING:
            return True
        key = (record.name, record.getMessage())
        seen = key in self.repeats
        self.repeats[key] += 1
        return not seen

    def attach(self) -> None:
        """Filter every handler the root logger has now (a command's own handler;
        crawls use `crawl_log_handler`, which Scrapy never replaces)."""
        for handler in logging.root.handlers:
            if self not in handler.filters:
                handler.addFilter(self)

    def report(self, log: logging.Logger) -> None:
        """One line per warning that was repeated, with how often."""
        for (name, message), count in self.repeats.most_common():
            if count > 1:
                log.info(
                    "warning repeated %d times in all (shown once): [%s] %s", count, name, message
                )


ONCE = OncePerProcess()


def crawl_log_handler(settings: BaseSettings) -> logging.Handler:
    """The root log handler of a crawl, built from Scrapy's LOG_* settings, with the
    once-per-process filter.

    Scrapy would install its own root handler and replace it with a new one for each
    crawler it starts (a worker starts one per spider), dropping any filter on the old
    one; the CLI starts CrawlerProcess with ``install_root_handler=False`` and adds
    this one, which stays.
    """
    from scrapy.utils.log import TopLevelFormatter

    handler: logging.Handler
    if settings.get("LOG_FILE"):
        mode = "a" if settings.getbool("LOG_FILE_APPEND") else "w"
        encoding = settings.get("LOG_ENCODING") or "utf-8"
        handler = logging.FileHandler(settings["LOG_FILE"], mode=mode, encoding=encoding)
    elif settings.getbool("LOG_ENABLED"):
        handler = logging.StreamHandler()
    else:
        handler = logging.NullHandler()
    handler.setFormatter(
        logging.Formatter(fmt=settings.get("LOG_FORMAT"), datefmt=settings.get("LOG_DATEFORMAT"))
    )
    handler.setLevel(settings.get("LOG_LEVEL") or "DEBUG")
    if settings.getbool("LOG_SHORT_NAMES"):
        handler.addFilter(TopLevelFormatter(["scrapy"]))
    handler.addFilter(ONCE)
    return handler
