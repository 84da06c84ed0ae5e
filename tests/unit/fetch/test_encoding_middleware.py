"""Pages decode in the charset of their bytes, whatever their header or meta claims.

Models: people.com.cn and jxnews.com.cn serve GBK/GB2312;
after CMS moves, Chinese sites are seen serving GBK bytes under `charset=utf-8` and
UTF-8 bytes under a GB2312 <meta>.
"""

from __future__ import annotations

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from middlewares.encoding import EncodingRepairMiddleware
from tests.helpers.paths import FIXTURES_WEB
from yuqing_spiders.fetch.encoding import MIXED, detect_encoding

TEXT = "南昌市红谷滩区一地下通道积水，市民反映出行不便。"


def page(charset_meta: str, body_text: str = TEXT) -> str:
    return (
        f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset_meta}">'
        f"<title>积水</title></head><body><p>{body_text}</p></body></html>"
    )


def response(body: bytes, header: str | None) -> HtmlResponse:
    headers = {"Content-Type": f"text/html; charset={header}"} if header else {}
    url = "http://jx.people.com.cn/n2/2026/1125/c186330-1.html"
    return HtmlResponse(url, body=body, headers=headers, request=Request(url))


@pytest.fixture
def middleware() -> EncodingRepairMiddleware:
    crawler = get_crawler()
    crawler.stats.open_spider()
    return EncodingRepairMiddleware.from_crawler(crawler)


def test_gbk_bytes_under_utf8_header_are_repaired(middleware):
    resp = response(page("gbk").encode("gbk"), header="utf-8")
    assert "\ufffd" in resp.text  # what Scrapy alone would hand the parser
    fixed = middleware.process_response(resp.request, resp)
    assert TEXT in fixed.text
    assert middleware.stats.get_value("encoding/repaired/utf-8->gb18030") == 1


def test_utf8_bytes_under_gb2312_meta_are_repaired(middleware):
    resp = response(page("gb2312").encode("utf-8"), header=None)
    fixed = middleware.process_response(resp.request, resp)
    assert TEXT in fixed.text
    assert fixed.encoding == "utf-8"


def test_correct_labels_are_left_alone(middleware):
    resp = response(page("gbk").encode("gbk"), header="GBK")
    assert middleware.process_response(resp.request, resp) is resp
    assert not any(k.startswith("encoding/") for k in middleware.stats.get_stats())


def test_undecodable_body_is_counted_and_decoded_with_the_least_loss(middleware):
    # Bytes that are neither UTF-8 nor GB18030 (a truncated multibyte tail in GB18030):
    # a GBK page cut mid-character under a utf-8 label reads as GBK, one character lost.
    body = page("gbk").encode("gbk") + b"\x81\x30\x81"
    assert detect_encoding(body, "utf-8") is None
    resp = response(body, header="utf-8")
    fixed = middleware.process_response(resp.request, resp)
    assert TEXT in fixed.text
    assert fixed.text.count("\ufffd") == 1
    assert middleware.stats.get_value("encoding/undecodable") == 1
    assert middleware.stats.get_value("encoding/lossy/utf-8->gb18030") == 1


def test_utf8_page_with_a_stray_byte_under_a_gbk_label(middleware):
    # The reverse: a UTF-8 page (after a CMS move) with one Latin-1 byte, labelled GBK.
    body = page("utf-8").encode("utf-8").replace(b"</p>", b"\xe9</p>")
    resp = response(body, header="gbk")
    fixed = middleware.process_response(resp.request, resp)
    assert TEXT in fixed.text
    assert fixed.encoding == "utf-8"
    assert middleware.stats.get_value("encoding/lossy/gb18030->utf-8") == 1


def test_undecodable_body_whose_label_loses_least_is_kept(middleware):
    body = page("gbk").encode("gbk") + b"\x81\x30\x81"
    resp = response(body, header="gbk")
    assert middleware.process_response(resp.request, resp) is resp
    assert middleware.stats.get_value("encoding/undecodable") == 1


# Issue 12 item 10: a UTF-8 template around a GBK article (an old CMS pasting stored
# GBK text into a new UTF-8 page) was stored as mojibake under either single charset.
MIXED_TEMPLATE = '<html><head><meta charset="utf-8"><title>南昌新闻网</title></head><body>'
MIXED_NAV = '<div class="nav">首页 新闻 政务 民生</div>'
MIXED_FOOT = "<div>版权所有 南昌日报社</div></body></html>"


def mixed_body() -> bytes:
    return (
        (MIXED_TEMPLATE + MIXED_NAV).encode() + f"<p>{TEXT}</p>".encode("gbk") + MIXED_FOOT.encode()
    )


@pytest.mark.parametrize("header", ["utf-8", "gbk", None])
def test_a_page_mixing_utf8_and_gbk_reads_each_part_in_its_charset(middleware, header):
    repaired = middleware.process_response(None, response(mixed_body(), header))
    text = repaired.text
    assert MIXED_NAV in text
    assert TEXT in text
    assert "南昌日报社" in text
    assert "\ufffd" not in text
    assert "鍗" not in text
    assert (
        sum(v for k, v in middleware.stats.get_stats().items() if k.startswith("encoding/mixed/"))
        == 1
    )


def test_pure_gbk_pages_are_not_taken_for_mixed():
    gbk = [
        p
        for p in FIXTURES_WEB.rglob("*.html")
        if detect_encoding(p.read_bytes(), None) == "gb18030"
    ]
    assert gbk  # the people.com.cn and jxnews fixtures are GBK
    assert all(detect_encoding(p.read_bytes(), "gbk") != MIXED for p in gbk)
