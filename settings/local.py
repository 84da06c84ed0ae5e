"""One node: Scrapy's own scheduler and dupefilter, the same pipelines."""

from settings import *  # noqa: F403
