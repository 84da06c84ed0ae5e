"""How a crawl ends: exit codes and the stat that marks a fatal stop.

One place for the contract between the parts that detect a fatal condition
(storage with no disk, a bad configuration at start-up) and the commands that
turn it into an exit code for cron and systemd.
"""

from __future__ import annotations

EXIT_OK = 0
# Requests failed and nothing (or less than ``--fail-on`` allows) was stored,
# or the crawl stopped itself on a fatal runtime condition.
EXIT_FAILED = 1
# The configuration cannot be used: a file, source or key is wrong.
EXIT_CONFIG = 2
# Stopped by SIGINT (128 + 2, as shells report it).
EXIT_INTERRUPTED = 130

# A component that must stop the crawl sets this stat to a short reason in
# words and closes the spider with ``FATAL_REASON``; the command exits
# ``EXIT_FAILED`` and prints the reason.
FATAL_STAT = "yuqing/fatal"
FATAL_REASON = "fatal"


class ConfigError(ValueError):
    """A start-up error naming the file, the source and the key at fault.

    Raised while settings, sources or the watch-list are loaded; commands print
    ``str(error)`` as one line and exit ``EXIT_CONFIG``.
    """

    def __init__(self, message: str, *, path: str = "", source: str = "", key: str = "") -> None:
        self.path = path
        self.source = source
        self.key = key
        where = ", ".join(
            part
            for part in (
                path,
                f"source {source}" if source else "",
                f"key {key}" if key else "",
            )
            if part
        )
        super().__init__(f"{where}: {message}" if where else message)
