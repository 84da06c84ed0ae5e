"""The 江西新闻 app's API (spiders/jxxw/parse.py).

The fixtures model the sites' public pages: the app's list answer (banner rows repeating list
rows, kinds news/topic/photos/link/live, a busy-backend answer) and its detail answer;
the app's request headers. The article fixtures themselves are checked in
test_news_articles.py. Texts and ids are invented.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from spiders.jxxw import parse as jxxw
from tests.helpers.fixtures import response_from_fixture
from yuqing_spiders.extract.kit.errors import PayloadError

LIST_URL = "http://www.jxxw.com.cn/app/v4/news/index?modelid=1&categoryId=3&page=1&type=1"


def test_jxxw_list_rows() -> None:
    rows = jxxw.parse_list(response_from_fixture(LIST_URL))
    # The banner repeats a list item: one row per contentid, banner first.
    assert [(r.content_id, r.kind) for r in rows] == [
        ("2245101", "news"),
        ("2244990", "topic"),
        ("2245087", "news"),
        ("2244871", "photos"),
        ("2244860", "link"),
        ("2244855", "live"),
    ]
    assert jxxw.page_url(LIST_URL, 2) == LIST_URL.replace("page=1", "page=2")
    assert jxxw.list_page_number(jxxw.page_url(LIST_URL, 2)) == 2


def test_jxxw_busy_backend_answer() -> None:
    with pytest.raises(PayloadError):
        jxxw.parse_list(response_from_fixture(LIST_URL.replace("page=1", "page=2")))


def test_jxxw_relative_list_time_when_the_detail_has_none() -> None:
    url = "http://www.jxxw.com.cn/app/v4/news/show?modelid=1&contentid=2245087"
    row = jxxw.AppRow("2245087", "进贤县多部门联合整治校园周边交通秩序", "news", 3, "3小时前")
    now = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
    item = jxxw.parse_detail(response_from_fixture(url), row, now=now)
    assert item.published_at == now - timedelta(hours=3)
    assert item.complete
    assert (item.metrics.comments, item.metrics.reads) == (3, 820)
    assert item.url == "http://www.jxxw.com.cn/content/2026-11/25/content_2245087.htm"


def test_jxxw_refresh_maps_the_web_link_to_the_detail_api() -> None:
    assert jxxw.content_id("http://www.jxxw.com.cn/content/2026-11/25/content_2245101.htm") == (
        "2245101"
    )
    assert jxxw.content_id(jxxw.DETAIL_URL.format(id="77")) == "77"
    assert jxxw.content_id("http://www.jxxw.com.cn/") is None


def test_jxxw_app_headers() -> None:
    headers = jxxw.app_headers()
    assert headers["User-Agent"] == "okhttp/3.9.1"
    assert (headers["platform"], headers["version"], headers["siteid"]) == ("2", "5.5.1", "55")
    assert len(headers["deviceid"]) == 32
    assert jxxw.app_headers()["deviceid"] == headers["deviceid"]  # one device per process
