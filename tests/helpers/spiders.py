"""Spiders built as a crawl builds them, for tests that call their callbacks directly.

A real Scrapy crawler on the project's settings (settings/__init__.py), with the
test's overrides; the callbacks then get fixture responses carrying request meta.
"""

from __future__ import annotations

from typing import Any, TypeVar

import scrapy
from scrapy.http import TextResponse
from scrapy.utils.test import get_crawler

import settings as project

SpiderT = TypeVar("SpiderT", bound=scrapy.Spider)
ResponseT = TypeVar("ResponseT", bound=TextResponse)


def project_spider(cls: type[SpiderT], **overrides: Any) -> SpiderT:
    """`cls` from a crawler on the project's settings plus `overrides`, stats open."""
    values = {k: getattr(project, k) for k in dir(project) if k.isupper()}
    values.update(overrides)
    crawler = get_crawler(cls, values)
    crawler.stats.open_spider()
    spider = cls.from_crawler(crawler)
    crawler.spider = spider
    return spider


def with_meta(response: ResponseT, **meta: Any) -> ResponseT:
    """`response` as the answer to a request that carried `meta`."""
    return response.replace(request=scrapy.Request(response.url, meta=meta))
