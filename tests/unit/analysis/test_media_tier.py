"""Media tiers: the shipped tables (yuqing_spiders/data/media, from shared/data/media_tiers.csv
and the CAC 2015 list of news units) and the stage that sets `media.tier` on every item.

The tier names the original publisher when the page's 来源 is a known medium (a
people.com.cn page whose 来源 is 新华社 counts as central key because 新华社 is), else
the site; `site_tier` always names the site.
"""

from __future__ import annotations

import logging

import pytest
from scrapy.utils.test import get_crawler

from pipelines.media_tier import MediaTierPipeline
from yuqing_spiders.analysis.media import load_media_table, normalise_name
from yuqing_spiders.model.items import CommentItem, Media, OpinionItem


@pytest.fixture(scope="module")
def table():
    return load_media_table()


@pytest.mark.parametrize(
    ("host", "tier", "province"),
    [
        ("www.people.com.cn", "central_key", None),
        # The longest listed suffix wins: 人民网's Jiangxi channel is placed in 江西.
        ("jx.people.com.cn", "central_key", "江西"),
        ("mp.weixin.qq.com", "self_media", None),
        ("news.qq.com", "commercial", None),
        ("nc.jxnews.com.cn", "provincial_key", "江西"),
        ("bbs.jxnews.com.cn", "self_media", "江西"),
        ("www.ncnews.com.cn", "local", "江西"),
        ("www.nc.gov.cn", "government", "江西"),
        ("epaper.jxxw.com.cn", "provincial_key", "江西"),  # row added for 江西日报社
        ("WWW.THEPAPER.CN.", "provincial_key", "上海"),
    ],
)
def test_tier_by_longest_domain_suffix(table, host, tier, province) -> None:
    entry = table.by_domain(host)
    assert (entry.tier, entry.province) == (tier, province)


def test_unknown_domain_and_lookalike_suffix(table) -> None:
    assert table.by_domain("www.example.cn") is None
    assert table.by_domain("notpeople.com.cn") is None  # a suffix match is by whole labels
    assert table.by_domain(None) is None


@pytest.mark.parametrize(
    ("name", "tier", "province"),
    [
        ("新华社", "central_key", None),
        ("人民网－江西频道", "central_key", "江西"),  # the channel's own row
        ("人民网-江西频道", "central_key", "江西"),
        ("人民网－人民日报", "central_key", None),  # longest known prefix: 人民网
        ("央视新闻客户端", "central_key", None),
        ("江西日报", "provincial_key", "江西"),
        ("大江网", "provincial_key", "江西"),  # a bracketed alias of jxnews.com.cn
        ("南昌晚报", "local", "江西"),
        ("法制网", "central_key", None),  # "(原法制网)": the former name
        # Names in no table, tiered by rule, placed by the gazetteer's place names.
        ("南昌市教育局", "government", "江西"),
        ("江西省人民政府办公厅", "government", "江西"),
        ("进贤县融媒体中心", "local", None),
    ],
)
def test_tier_by_publisher_name(table, name, tier, province) -> None:
    entry = table.by_name(name)
    assert (entry.tier, entry.province) == (tier, province)


@pytest.mark.parametrize("name", ["某某科技公司", "网友", "", None, "新华"])
def test_names_the_tables_do_not_know(table, name) -> None:
    # "新华" is shorter than a safe prefix; a company or "网友" names no medium.
    assert table.by_name(name) is None


def test_normalise_name_folds_width_and_dashes() -> None:
    assert normalise_name("人民网 － 江西频道") == "人民网江西频道"
    assert normalise_name("（中国江西网）") == "中国江西网"


def test_a_row_with_an_unknown_tier_is_refused(tmp_path) -> None:
    bad = tmp_path / "tiers.csv"
    bad.write_text("domain,name,tier,province,basis\nx.cn,某网,central,,test\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"row 2: unknown tier 'central'"):
        load_media_table(tiers=bad)


def _item(url: str, name: str | None, tier: str | None = None) -> OpinionItem:
    item = OpinionItem(url=url, source="t", platform="news")
    item.media = Media(name=name, tier=tier)
    return item


@pytest.fixture
def stage():
    crawler = get_crawler(settings_dict={"MEDIA_TIERS_FILE": None})
    crawler.stats.open_spider()
    return MediaTierPipeline.from_crawler(crawler), crawler.stats


def test_a_reprint_is_tiered_by_its_publisher(stage) -> None:
    pipeline, stats = stage
    item = pipeline.process_item(
        _item("http://society.people.com.cn/n1/2026/1124/c1008-40612345.html", "新华社")
    )
    assert (item.media.tier, item.media.site_tier) == ("central_key", "central_key")
    local = pipeline.process_item(_item("http://jx.people.com.cn/n2/a.html", "南昌日报"))
    assert (local.media.tier, local.media.site_tier, local.media.province) == (
        "local",
        "central_key",
        "江西",
    )
    assert stats.get_value("media_tier/basis/name") == 2
    assert stats.get_value("media_tier/publisher_differs_from_site") == 1


def test_site_tier_when_the_publisher_is_unknown(stage) -> None:
    pipeline, stats = stage
    item = pipeline.process_item(_item("https://www.thepaper.cn/newsDetail_forward_1", "湃客"))
    assert (item.media.tier, item.media.site_tier, item.media.province) == (
        "provincial_key",
        "provincial_key",
        "上海",
    )
    assert stats.get_value("media_tier/basis/domain") == 1


def test_unknown_site_is_counted_and_left_null(stage, caplog) -> None:
    caplog.set_level(logging.INFO, logger="pipelines.media_tier")
    pipeline, stats = stage
    for _ in range(2):
        item = pipeline.process_item(_item("http://www.example-county.cn/a.html", None))
    assert item.media.tier is None
    assert item.media.site_tier is None
    assert stats.get_value("media_tier/basis/unknown") == 2
    assert stats.get_value("media_tier/tier/none") == 2
    # Logged once per domain, then only counted.
    assert sum("www.example-county.cn" in r.getMessage() for r in caplog.records) == 1


def test_a_tier_set_by_the_parser_is_kept(stage) -> None:
    pipeline, _ = stage
    item = pipeline.process_item(_item("https://weibo.com/123/abc", "江西日报", tier="self_media"))
    assert (item.media.tier, item.media.site_tier) == ("self_media", "self_media")


def test_other_items_pass_untouched(stage) -> None:
    pipeline, stats = stage
    comment = CommentItem(opinion_id="people:1", source="people", platform="news")
    assert pipeline.process_item(comment) is comment
    assert stats.get_value("media_tier/basis/unknown") is None
