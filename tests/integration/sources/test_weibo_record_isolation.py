"""The weibo spider keeps a search page whose posts carry malformed fields.

Issue 12 item 2, at the crawl level: in a real m.weibo.cn answer a `retweeted_status`
without `id`, `attitudes_count: 1e400` and `source` as a list each lost every post of
the page (13 of 20 posts lost from 6 bad fields), and `comments_count: 10**30` or
`user: null` were refused by MongoDB. The fixture is the replay site's search answer
(the container API shape m.weibo.cn serves); the spider's callback gets it with
those faults written into some posts and must hand on every other post, count the
unreadable ones (`parse/record_errors/weibo`), and clamp counts to int64.
"""

from __future__ import annotations

import json

import scrapy

from spiders.weibo import parse as weibo
from spiders.weibo.search import Slice, mobile_url
from tests.helpers.paths import FIXTURES_WEB
from tests.integration.sources.test_weibo_spider import KEYWORD, answer, make_spider
from yuqing_spiders.extract.kit.numbers import INT64_MAX
from yuqing_spiders.model.items import OpinionItem
from yuqing_spiders.replay.record import fixture_path


def test_bad_fields_cost_only_their_posts(redis_url: str, key_prefix: str) -> None:
    url = mobile_url(Slice(KEYWORD))
    data = json.loads(fixture_path(FIXTURES_WEB, url).read_text(encoding="utf-8"))
    every = {m["mid"] for m in weibo.parse_search(data).mblogs}  # before the faults
    posts = [c["mblog"] for c in data["data"]["cards"] if c.get("mblog")]
    assert len(posts) >= 4
    posts[0]["retweeted_status"] = {"text": "转发的原文已删除"}  # no id
    posts[1]["source"] = ["iPhone客户端", "网页"]
    posts[1]["user"] = ["not", "a", "user"]  # the one post nothing can read
    posts[2]["user"] = None
    posts[2]["comments_count"] = 10**30
    posts[2]["isLongText"] = False
    posts[3]["attitudes_count"] = "HUGE"  # written as 1e400 below (inf when read)
    body = json.dumps(data, ensure_ascii=False).replace('"HUGE"', "1e400")
    spider = make_spider(redis_url, key_prefix, WEIBO_PC_SEARCH=False)
    meta = {"weibo_slice": Slice(KEYWORD).to_meta(), "list_page": 1}
    out = list(spider.parse_search(answer(url, body.encode(), **meta)))

    requests = [r for r in out if isinstance(r, scrapy.Request)]
    handled = (
        {str(o.native_id) for o in out if isinstance(o, OpinionItem)}
        | {r.url.rsplit("/", 1)[-1] for r in requests if r.callback == spider.parse_article}
        # A post waiting for its author's profile.
        | {str(r.cb_kwargs["mblog"]["mid"]) for r in requests if "mblog" in r.cb_kwargs}
    )
    # Every post is handed on or counted unreadable; none is lost silently.
    assert spider.crawler.stats.get_value("parse/record_errors/weibo") == 1
    assert handled == every - {str(posts[1]["mid"])}
    # Stored as far as readable: a repost of an unnamed original, no author.
    by_id = {str(o.native_id): o for o in out if isinstance(o, OpinionItem)}
    assert by_id[str(posts[2]["mid"])].author.name is None
    items = [o for o in out if isinstance(o, OpinionItem)]
    assert all((i.metrics.comments or 0) <= INT64_MAX for i in items)
    assert any(i.metrics.comments == INT64_MAX for i in items)
    assert str(posts[3]["mid"]) in handled  # 1e400 likes: readable, clamped
