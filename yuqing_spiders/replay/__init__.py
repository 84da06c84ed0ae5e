"""The replay site: fixtures for real URLs served from 127.0.0.1 (see docs/replay.md).

``fixture_path`` maps a URL to its fixture file, ``ReplayServer`` serves a fixtures
root for every host, ``record`` fills fixtures from live sites. The Scrapy download
handler lives in ``yuqing_spiders.replay.handler`` and is imported by settings only.
"""

from __future__ import annotations

from yuqing_spiders.replay.record import RecordError, fixture_path, record, sidecar_path
from yuqing_spiders.replay.server import ReplayServer, ServedRequest

__all__ = [
    "RecordError",
    "ReplayServer",
    "ServedRequest",
    "fixture_path",
    "record",
    "sidecar_path",
]
