"""Requests queued in Redis are JSON and come back equal (bytes included)."""

from __future__ import annotations

from scrapy import Request
from scrapy.utils.request import request_from_dict

from yuqing_spiders.queue import serializer as json_serializer


def test_request_round_trips_through_json():
    request = Request(
        "http://jx.people.com.cn/GB/186330/",
        method="POST",
        body="关键词=南昌".encode(),
        headers={"Referer": "http://www.people.com.cn/"},
        meta={"list_page": 2, "yuqing_kind": "list"},
        priority=3,
        dont_filter=True,
    )
    encoded = json_serializer.dumps(request.to_dict())
    assert isinstance(encoded, str)
    assert "南昌" not in encoded  # the body is bytes, carried base64-encoded
    back = request_from_dict(json_serializer.loads(encoded))
    assert (back.url, back.method, back.body, back.priority) == (
        request.url,
        "POST",
        request.body,
        3,
    )
    assert back.headers.get("Referer") == b"http://www.people.com.cn/"
    assert back.meta == request.meta
    assert back.dont_filter
