"""The liuyan spider on bad answers, and what its items become in MongoDB.

Real Scrapy crawlers on the project's settings (the `make_spider` fixture in
conftest.py), real Redis (the session server; keys under a test prefix), responses
built from the fixture files. The MongoDB server is the session's embedded one. Facts modelled: the
领导留言板 SN0006 answer to a bad signature, a detail answer for
another thread than asked (one answer per path on the replay site, also what a caching
proxy can do), and a thread's state 待回复 → 已办理 between two crawls.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pymongo
import scrapy
from scrapy.http import TextResponse

from spiders.liuyan import parse as liuyan
from spiders.liuyan.spider import LiuyanSpider
from tests.helpers.fixtures import json_from_fixture, response_from_fixture
from yuqing_spiders.store.documents import to_document
from yuqing_spiders.store.spool import Spool
from yuqing_spiders.store.writer import Writer


def test_liuyan_bad_signature_is_counted_paused_and_yields_nothing(
    make_spider, redis_client, key_prefix
):
    spider = make_spider(LiuyanSpider)
    error = TextResponse(
        url=liuyan.HOST + liuyan.LIST_PATH,
        body='{"code":"SN0006","msg":"数据格式错误"}'.encode(),
        encoding="utf-8",
        request=scrapy.Request(
            liuyan.HOST + liuyan.LIST_PATH,
            meta={
                "yuqing_source": "liuyan",
                "app_code": "x",
                "board": "南昌市",
                "fid": "1",
                "list_page": 1,
            },
        ),
    )
    assert list(spider.parse_list(error)) == []
    stats = spider.crawler.stats
    assert stats.get_value("yuqing/api_error/liuyan/SN0006") == 1
    assert stats.get_value("yuqing/blocked/liuyan/api_SN0006") == 1
    assert redis_client.exists(f"{key_prefix}:backoff:liuyan")


def test_liuyan_detail_for_another_thread_falls_back_to_the_row(make_spider):
    spider = make_spider(LiuyanSpider)
    rows = liuyan.parse_list(
        json.loads(response_from_fixture(liuyan.HOST + liuyan.LIST_PATH).text)
    ).rows
    asked = rows[0]  # 21876545; the fixture answers for 21876543
    detail = response_from_fixture(liuyan.HOST + liuyan.DETAIL_PATH).replace(
        request=scrapy.Request(
            liuyan.HOST + liuyan.DETAIL_PATH, meta={"yuqing_source": "liuyan", "row": asked}
        )
    )
    [item] = list(spider.parse_detail(detail))
    assert item.native_id == "21876545"
    assert item.status == "待回复"
    assert "official_replies" not in item.extra
    assert spider.crawler.stats.get_value("liuyan/detail_mismatch") == 1


def test_a_change_of_state_is_a_new_metrics_point(mongo_uri, mongo_db, mongo_db_name, tmp_path):
    # 领导留言板 states 待回复 → 已办理 (RSSHub people/liuyan.ts): the same thread crawled
    # twice, before and after its reply, keeps one document and gains a second point.
    row = liuyan.parse_list(
        json_from_fixture("https://liuyan.people.com.cn/v1/threads/list/df")
    ).rows[2]
    before = liuyan.row_item({**row, "stateInfo": "待回复"})
    after = liuyan.parse_detail(
        json_from_fixture("https://liuyan.people.com.cn/v1/threads/content")
    )
    for n, item in enumerate((before, after)):
        item.id = f"liuyan:{item.native_id}"
        item.crawled_at = datetime(2026, 11, 20 + n, 8, 0, tzinfo=UTC)
    client = pymongo.MongoClient(mongo_uri, tz_aware=True)
    writer = Writer(client, mongo_db_name, Spool(tmp_path / "spool"), retry_interval=0.1)
    writer.open()
    writer.write([to_document(before)])
    writer.write([to_document(after)])
    writer.close()
    client.close()
    points = list(mongo_db.opinion_metrics.find({"opinion_id": "liuyan:21876543"}).sort("at"))
    assert [p["status"] for p in points] == ["待回复", "已办理"]
    stored = mongo_db.opinions.find_one({"_id": "liuyan:21876543"})
    assert stored["status"] == "已办理"
    assert len(stored["extra"]["official_replies"]) == 2
