"""Requests queued in Redis are JSON and come back equal (bytes included)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from scrapy import Request
from scrapy.utils.request import request_from_dict

from spiders.search.parse import SearchResult
from yuqing_spiders.extract.kit.lists import ListEntry
from yuqing_spiders.queue import serializer as json_serializer
from yuqing_spiders.queue.serializer import UnqueueableRequest


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


def test_an_object_in_meta_is_refused_naming_its_place():
    # The worker-mode bug of issue 12: a ListEntry in meta could not be queued.
    entry = ListEntry(url="https://news.sina.com.cn/c/2026-11-25/doc-1.shtml")
    request = Request(entry.url, meta={"list_entry": entry})
    with pytest.raises(UnqueueableRequest, match=r"\['list_entry'\] holds a ListEntry"):
        json_serializer.dumps(request.to_dict())


def test_list_entry_and_search_result_cross_the_queue_as_plain_data():
    when = datetime(2026, 11, 25, 9, 41, tzinfo=timezone(timedelta(hours=8)))
    entry = ListEntry(
        url="https://news.sina.com.cn/c/2026-11-25/doc-1.shtml",
        title="南昌地铁",
        published_at=when,
        comments=12,
        extra={"channel": "jx"},
    )
    result = SearchResult(url="https://example.cn/a.html", title="t", published_at=when)
    request = Request(
        entry.url, meta={"list_entry": entry.to_meta(), "search_result": result.to_meta()}
    )
    back = request_from_dict(json_serializer.loads(json_serializer.dumps(request.to_dict())))
    assert ListEntry.from_meta(back.meta["list_entry"]) == entry
    assert SearchResult.from_meta(back.meta["search_result"]) == result
    assert ListEntry.from_meta(None) is None
