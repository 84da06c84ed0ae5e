"""Decode pages with the charset their bytes are in, not the one they claim.

Scrapy trusts the Content-Type header first, which turns every Chinese character of a
GBK page labelled UTF-8 into U+FFFD. This middleware re-decodes such a response with
the charset yuqing_spiders/fetch/encoding.py finds in its bytes, and counts each
repair (`encoding/repaired/<claimed>-><found>`) and each body nothing decodes cleanly
(`encoding/undecodable`, `encoding/lossy/...`).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Self

from scrapy.http import TextResponse
from w3lib.encoding import http_content_type_encoding

from yuqing_spiders.fetch.encoding import (
    MIXED,
    codec_name,
    decode_mixed,
    detect_encoding,
    least_lossy_encoding,
)

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.statscollectors import StatsCollector

logger = logging.getLogger(__name__)


class EncodingRepairMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        assert crawler.stats is not None
        self.stats: StatsCollector = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if not isinstance(response, TextResponse) or not response.body:
            return response
        header = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
        detected = detect_encoding(response.body, http_content_type_encoding(header))
        current = codec_name(response.encoding)
        if detected is None:
            self.stats.inc_value("encoding/undecodable")
            best = least_lossy_encoding(response.body, http_content_type_encoding(header))
            if best == current:
                logger.warning("no charset decodes %s cleanly; kept %s", response.url, current)
                return response
            self.stats.inc_value(f"encoding/lossy/{current}->{best}")
            logger.warning(
                "no charset decodes %s cleanly; decoded as %s (loses least), not %s",
                response.url,
                best,
                current,
            )
            return response.replace(encoding=best)
        if detected == MIXED:
            # No charset reads it all: each part in its own, the text re-encoded as UTF-8.
            self.stats.inc_value(f"encoding/mixed/{current}")
            logger.info("%s mixes UTF-8 and GBK; each part decoded in its own", response.url)
            return response.replace(body=decode_mixed(response.body).encode(), encoding="utf-8")
        if detected == current:
            return response
        self.stats.inc_value(f"encoding/repaired/{current}->{detected}")
        logger.info(
            "%s claims %s but is %s; decoded as %s", response.url, current, detected, detected
        )
        return response.replace(encoding=detected)
