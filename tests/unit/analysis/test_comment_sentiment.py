"""Comments get their own sentiment from the shipped model (issue 4: comments stored
"with their own sentiment"); opinions go on through the stage as before."""

from __future__ import annotations

from scrapy.utils.test import get_crawler

from pipelines.sentiment import SentimentPipeline
from yuqing_spiders.model.items import CommentItem


def make_stage() -> SentimentPipeline:
    crawler = get_crawler()
    crawler.stats.open_spider()
    return SentimentPipeline.from_crawler(crawler)


def comment(text: str | None) -> CommentItem:
    return CommentItem(opinion_id="weibo:5001", source="weibo", platform="weibo", content=text)


def test_each_comment_is_scored_on_its_own_text():
    stage = make_stage()
    angry = stage.process_item(comment("太差劲了，半夜施工噪音扰民，投诉多次没人管"))
    pleased = stage.process_item(comment("地铁新线开通真方便，点赞南昌，服务很好很满意"))
    assert angry.sentiment.label == "negative"
    assert angry.sentiment.score < 0
    assert pleased.sentiment.label == "positive"
    assert stage.stats.get_value("analysis/sentiment/comment_label/negative") == 1


def test_an_empty_comment_is_left_unjudged():
    stage = make_stage()
    assert stage.process_item(comment(None)).sentiment.label is None
