"""The tieba spider on an API answer for another thread than asked.

Real Scrapy crawlers on the project's settings (the `make_spider` fixture in
conftest.py), real Redis (the session server; keys under a test prefix), responses
built from the fixture files. Facts modelled: Tieba's pb answers for another thread than
asked (one answer per path on the replay site, also what a caching proxy can do) go
to the thread's legacy page; the right answer gives the thread and its floors
.
"""

from __future__ import annotations

import scrapy

from spiders.tieba import parse as tieba
from spiders.tieba.spider import TiebaSpider
from tests.helpers.fixtures import response_from_fixture
from yuqing_spiders.model.items import CommentItem, OpinionItem


def test_tieba_answer_for_another_thread_goes_to_the_legacy_page(make_spider):
    spider = make_spider(TiebaSpider)
    ref = {"tid": "9231456702", "title": "南昌县莲塘这边的学校门口每天早上堵得水泄不通"}
    answer = response_from_fixture(tieba.PB_URL).replace(
        request=scrapy.Request(
            tieba.PB_URL,
            meta={"yuqing_source": "tieba", "thread_ref": ref, "page": 1, "tbs": "t"},
        )
    )
    [legacy] = list(spider.parse_pb(answer))
    assert legacy.url == "https://tieba.baidu.com/p/9231456702"
    assert spider.crawler.stats.get_value("tieba/api_mismatch/pb") == 1
    right = response_from_fixture(tieba.PB_URL).replace(
        request=scrapy.Request(
            tieba.PB_URL,
            meta={
                "yuqing_source": "tieba",
                "thread_ref": {"tid": "9231456701"},
                "page": 1,
                "tbs": "t",
            },
        )
    )
    out = list(spider.parse_pb(right))
    assert [type(o) for o in out] == [OpinionItem] + [CommentItem] * 4
