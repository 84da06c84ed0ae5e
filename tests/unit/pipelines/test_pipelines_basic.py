"""The first stages: clean text, UTC times, a stable id, honest completeness."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from scrapy.utils.test import get_crawler

from pipelines.completeness import CompletenessPipeline
from pipelines.identity import IdentityPipeline
from pipelines.normalise import NormalisePipeline
from yuqing_spiders.model.identity import opinion_id
from yuqing_spiders.model.items import OpinionItem
from yuqing_spiders.model.text import clean_text

SHANGHAI = timezone(timedelta(hours=8))


@pytest.fixture
def crawler():
    crawler = get_crawler(settings_dict={"YUQING_DEFAULT_TZ": "Asia/Shanghai"})
    crawler.stats.open_spider()
    return crawler


def article(**kw) -> OpinionItem:
    base = dict(
        url="http://jx.people.com.cn/n2/2026/1125/c186330-41401779.html#comments",
        source="people",
        platform="news",
        native_id="41401779",
        title="  南昌　红谷滩区 地下通道积水  ",
        content="第一段。\r\n\r\n\u3000\u3000第二段。\n \n",
        published_at=datetime(2026, 11, 25, 9, 41, tzinfo=SHANGHAI),
    )
    base.update(kw)
    return OpinionItem(**base)


def run(crawler, item):
    for cls in (NormalisePipeline, IdentityPipeline, CompletenessPipeline):
        item = cls.from_crawler(crawler).process_item(item)
    return item


def test_clean_text_folds_full_width_spaces_and_blank_lines():
    assert clean_text("  南昌　红谷滩区 \n\n\n 积水 ") == "南昌 红谷滩区\n积水"
    assert clean_text(" \n ") is None


def test_article_goes_through_normalised_identified_complete(crawler):
    item = run(crawler, article())
    assert item.title == "南昌 红谷滩区 地下通道积水"
    assert item.content == "第一段。\n第二段。"
    assert item.published_at == datetime(2026, 11, 25, 1, 41, tzinfo=UTC)
    assert item.canonical_url == "http://jx.people.com.cn/n2/2026/1125/c186330-41401779.html"
    assert item.media.domain == "jx.people.com.cn"
    assert item.id == "people:41401779"
    assert item.complete
    assert item.crawled_at.tzinfo is not None
    assert crawler.stats.get_value("coverage/people/title") == 1


def test_item_without_native_id_gets_url_fingerprint(crawler):
    a = run(crawler, article(native_id=None))
    b = run(crawler, article(native_id=None, url=a.canonical_url + "#top"))
    assert a.id == b.id == opinion_id("people", None, a.canonical_url)
    assert a.id.startswith("url:")


def test_missing_body_is_marked_incomplete_and_counted(crawler):
    item = run(crawler, article(content="  "))
    assert not item.complete
    assert item.missing == ["content"]
    assert crawler.stats.get_value("items/incomplete") == 1
    assert crawler.stats.get_value("items/missing/people/content") == 1


def test_naive_time_is_read_as_shanghai_and_counted(crawler):
    item = run(crawler, article(published_at=datetime(2026, 11, 25, 9, 41)))
    assert item.published_at == datetime(2026, 11, 25, 1, 41, tzinfo=UTC)
    assert crawler.stats.get_value("pipeline/normalise/naive_time") == 1
