"""The five judgement stages as Scrapy pipelines: fields, stats, safety, and storage."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pymongo
import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from pipelines.bigv import BigVPipeline
from pipelines.departments import DepartmentsPipeline
from pipelines.jurisdiction import JurisdictionPipeline
from pipelines.risk import RiskPipeline
from pipelines.sentiment import SentimentPipeline
from settings import ITEM_PIPELINES
from yuqing_spiders.analysis.text_analysis import analyse
from yuqing_spiders.model.items import Author, CommentItem, OpinionItem
from yuqing_spiders.store.documents import OPINIONS, to_document
from yuqing_spiders.store.spool import Spool
from yuqing_spiders.store.writer import Writer

STAGES = (JurisdictionPipeline, DepartmentsPipeline, RiskPipeline, SentimentPipeline, BigVPipeline)


@pytest.fixture
def crawler():
    crawler = get_crawler(settings_dict={"ANALYSIS_RELOAD_INTERVAL": 60})
    crawler.stats.open_spider()
    return crawler


def weibo_post(**kw) -> OpinionItem:
    base = dict(
        url="https://weibo.com/1234567890/PabCdEfGh",
        source="weibo",
        platform="weibo",
        native_id="4975012345678901",
        id="weibo:4975012345678901",
        title=None,
        content=(
            "#南昌身边事# 青山湖区湖坊镇一工地天天半夜施工，噪音扰民，投诉了好几次都没人管！"
            "城管说不归他们管，住建局电话打不通。大家转起来！"
        ),
        author=Author(
            name="洪城热心市民",
            followers=1_200_000,
            verified=True,
            verified_type=0,
            ip_location="江西",
        ),
        crawled_at=datetime(2026, 11, 26, 2, 0, tzinfo=UTC),
    )
    base.update(kw)
    return OpinionItem(**base)


def run(crawler, item):
    for stage in STAGES:
        item = stage.from_crawler(crawler).process_item(item)
    return item


def test_stages_are_registered_in_order():
    order = [
        ITEM_PIPELINES[f"pipelines.{m}"]
        for m in (
            "jurisdiction.JurisdictionPipeline",
            "departments.DepartmentsPipeline",
            "risk.RiskPipeline",
            "sentiment.SentimentPipeline",
            "bigv.BigVPipeline",
        )
    ]
    assert order == [400, 410, 500, 510, 520]


def test_a_post_is_judged_by_every_stage(crawler):
    item = run(crawler, weibo_post())
    assert (item.jurisdiction.district, item.jurisdiction.town) == ("青山湖区", "湖坊镇")
    # The post names its place: the poster's IP属地 is not used (issue 11).
    assert not any(e.startswith("ip_location") for e in item.jurisdiction.evidence)
    assert {"城管", "住建"} <= set(item.departments)
    assert item.risk.inciting is False
    assert item.risk.sensitive is not None
    assert item.sentiment.label == "negative"
    assert item.author.is_big_v is True
    stats = crawler.stats.get_stats()
    assert stats["analysis/jurisdiction/province/江西省"] == 1
    assert stats["analysis/jurisdiction/district/青山湖区"] == 1
    assert stats["analysis/departments/named/城管"] == 1
    assert stats["analysis/sentiment/label/negative"] == 1
    assert stats["analysis/bigv/big_v"] == 1
    for name in ("jurisdiction", "departments", "risk", "sentiment", "bigv"):
        assert stats[f"analysis/{name}/items"] == 1


def test_a_news_byline_is_not_judged_big_v(crawler):
    item = run(crawler, weibo_post(author=Author(name="记者 张三"), platform="news"))
    assert item.author.is_big_v is None
    assert crawler.stats.get_value("analysis/bigv/not_judged") == 1


def test_other_item_types_pass_untouched(crawler):
    comment = CommentItem(opinion_id="weibo:1", source="weibo", platform="weibo", content="差评")
    assert run(crawler, comment) is comment
    assert crawler.stats.get_value("analysis/sentiment/items") is None


def test_a_bad_item_is_counted_and_passed_on(crawler, caplog):
    bad = weibo_post(content=12345)  # a parser bug: not a string
    item = run(crawler, bad)
    assert item is bad
    assert crawler.stats.get_value("analysis/risk/errors/TypeError") == 1
    assert item.risk.sudden is None  # not judged, not "no"
    good = run(crawler, weibo_post())
    assert good.risk.sudden is not None


def test_analysis_can_be_switched_off():
    crawler = get_crawler(settings_dict={"ANALYSIS_ENABLED": False})
    with pytest.raises(NotConfigured):
        RiskPipeline.from_crawler(crawler)


def test_judgements_are_stored_in_mongodb(
    mongo_uri: str, mongo_db: pymongo.database.Database, mongo_db_name: str, tmp_path: Path
):
    item = analyse(weibo_post())
    client: pymongo.MongoClient = pymongo.MongoClient(mongo_uri, serverSelectionTimeoutMS=3000)
    writer = Writer(client, mongo_db_name, Spool(tmp_path / "spool"), retry_interval=0)
    try:
        writer.open()
        writer.write([to_document(item)])
    finally:
        client.close()
    stored = mongo_db[OPINIONS].find_one({"_id": "weibo:4975012345678901"})
    assert stored["jurisdiction"]["town"] == "湖坊镇"
    assert stored["jurisdiction"]["codes"][-1] == "360111104000"
    assert stored["department_terms"]["城管"]
    assert stored["risk"]["scores"]["inciting"] > 0
    assert stored["sentiment"]["label"] == "negative"
    assert stored["author"]["is_big_v"] is True
    assert stored["author"]["big_v_reasons"]
