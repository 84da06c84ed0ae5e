"""Fixtures for the spider tests of this folder (helpers live in tests/helpers/)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import scrapy

from tests.helpers.spiders import project_spider


@pytest.fixture
def make_spider(redis_url: str, key_prefix: str) -> Callable[[type[scrapy.Spider]], scrapy.Spider]:
    """A guarded source's spider on the project's settings; its Redis keys (back-off,
    问政江西's walk state) live under the test's prefix, so tests never share state."""

    def make(cls: type[scrapy.Spider]) -> scrapy.Spider:
        return project_spider(
            cls,
            REDIS_URL=redis_url,
            BLOCK_BACKOFF_KEY=f"{key_prefix}:backoff:%(engine)s",
            WENZ_LAST_ID_KEY=f"{key_prefix}:wenz:last_id",
            WENZ_LAST_MONTH_KEY=f"{key_prefix}:wenz:last_month",
        )

    return make
