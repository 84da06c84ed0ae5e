"""Decode pages with the charset their bytes are in, not the one they claim.

Chinese sites often serve GBK bytes under a `charset=utf-8` header (or the reverse)
after a CMS migration. Scrapy trusts the header first, which turns every Chinese
character into U+FFFD. The rule here: bytes that are valid UTF-8 and not plain ASCII
are UTF-8 (GBK text almost never is); otherwise the first declared charset (header,
then <meta>) that decodes the bytes strictly; otherwise GB18030, which covers GBK and
GB2312. A body nothing decodes strictly is counted and left as Scrapy decoded it.
"""

from __future__ import annotations

import codecs
import logging
from typing import TYPE_CHECKING, Self

from scrapy.http import TextResponse
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)

# GBK and GB2312 labels are decoded as their superset, as browsers do.
_SUPERSETS = {"gbk": "gb18030", "gb2312": "gb18030", "hz": "gb18030"}


def _codec_name(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return _SUPERSETS.get(name, name)


def _decodes(body: bytes, encoding: str) -> bool:
    try:
        body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def detect_encoding(body: bytes, header_charset: str | None) -> str | None:
    """The charset `body` really is in, or None when nothing decodes it cleanly."""
    if not body.isascii() and _decodes(body, "utf-8"):
        return "utf-8"
    declared = [_codec_name(header_charset), _codec_name(html_body_declared_encoding(body))]
    for encoding in [e for e in declared if e] + ["gb18030"]:
        if _decodes(body, encoding):
            return encoding
    return None


class EncodingRepairMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if not isinstance(response, TextResponse) or not response.body:
            return response
        header = response.headers.get(b"Content-Type", b"").decode("latin-1")
        detected = detect_encoding(response.body, http_content_type_encoding(header))
        current = _codec_name(response.encoding)
        if detected is None:
            self.stats.inc_value("encoding/undecodable")
            logger.warning("no charset decodes %s cleanly; kept %s", response.url, current)
            return response
        if detected == current:
            return response
        self.stats.inc_value(f"encoding/repaired/{current}->{detected}")
        logger.info(
            "%s claims %s but is %s; decoded as %s", response.url, current, detected, detected
        )
        return response.replace(encoding=detected)
