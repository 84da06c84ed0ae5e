"""yuqing: the core packages (model, extract, fetch, queue, store, analysis, ops, report,
replay, cli); docs/architecture.md draws the layout."""

from __future__ import annotations

import scrapy.downloadermiddlewares.cookies as _scrapy_cookies
from tldextract import TLDExtract

# Scrapy's cookie middleware splits cookie domains with a TLDExtract that downloads the
# public suffix list from the internet on first use. Use the snapshot tldextract ships:
# the same answers, no outbound request from a worker (or a test) just to set a cookie.
_scrapy_cookies._split_domain = TLDExtract(suffix_list_urls=(), include_psl_private_domains=True)
