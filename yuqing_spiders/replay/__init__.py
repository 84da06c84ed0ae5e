"""The replay site: fixtures for real URLs served from 127.0.0.1 (see docs/replay.md).

``record.fixture_path`` maps a URL to its fixture file, ``server.ReplayServer`` serves
a fixtures root for every host, ``record.record`` fills fixtures from live sites. The
Scrapy download handler is ``handler.ReplayDownloadHandler``. Nothing is imported here,
so ``python -m yuqing_spiders.replay.server`` runs its module once.
"""
