"""The YAML news sites: entry checking, generated spiders, list and article parsing.

Fixtures (tests/fixtures/web/README.md, "News sites") model each site's public facts:
光明网 node lists with `.channel-newsGroup` and a "下一页" link, 南昌新闻网
lists `li.item` with `./` links and `index_N.html` pages (§2.4), 中国经济网's pager written
by a script (TRS `createPageHTML`, so a URL template is needed), and the 江西省人民政府
column whose list sits in a JCMS `<datastore>` script (an assumption, not publicly documented).
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
import scrapy
from scrapy.http import HtmlResponse, Response
from scrapy.spiderloader import SpiderLoader
from scrapy.utils.test import get_crawler

from spiders.news_config import parse as configured
from spiders.news_config import spider as news_config
from spiders.news_config.sites import (
    NewsConfigError,
    load_news_sites,
    news_site,
)
from tests.helpers.fixtures import response_from_fixture
from tests.helpers.paths import REPO
from yuqing_spiders.model.sources import load_sources
from yuqing_spiders.ops.runtime import project_settings

SOURCES_FILE = REPO / "settings" / "sources.yaml"
YAML_SITES = sorted(load_news_sites(SOURCES_FILE)[0])
GOOD = """
    name: 某网
    platform: news
    type: news_config
    start_urls: [http://www.example.cn/list/]
    article_pattern: '^http://www\\.example\\.cn/a/(?P<id>\\d+)\\.html$'
"""


def _entries(tmp_path: Path, **entries: str) -> Path:
    text = "sources:\n" + "".join(f"  {key}:{body}" for key, body in entries.items())
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _site(tmp_path: Path, extra: str = "", key: str = "demo"):
    path = _entries(tmp_path, **{key: GOOD + extra})
    return news_site(load_sources(path)[key])


# --- the entries of settings/sources.yaml ---------------------------------------------


def test_every_yaml_entry_is_valid_and_has_its_spider() -> None:
    sites, errors = load_news_sites(SOURCES_FILE)
    assert errors == {}
    assert {"gmw", "cnr", "youth", "ce", "chinacom", "ncnews", "jxnews", "nc_gov"} <= set(sites)
    loader = SpiderLoader.from_settings(project_settings("local"))
    names = set(loader.list())
    assert set(sites) <= names
    # Code spiders for the sites that need code, next to the generated ones.
    assert {"xinhua", "cctv", "chinanews", "thepaper", "jxntv", "jxrb", "jxxw"} <= names
    for key in sites:
        spider = loader.load(key)
        assert issubclass(spider, news_config.NewsConfigSpider)
        assert spider.__module__ == "spiders.news_config.spider"


@pytest.mark.parametrize(
    ("extra", "key", "problem"),
    [
        ("    artcle_pattern: x\n", "artcle_pattern", "unknown key"),
        ("    selectors: {title: 'h1[', content: '.a'}\n", "selectors.title", "bad css"),
        ("    selectors: {body: '.a'}\n", "selectors.body", "not one of"),
        ("    selectors: {published_at: '//div[@id='}\n", "selectors.published_at", "bad xpath"),
        ("    list_selector: 42\n", "list_selector", "selector (string)"),
        ("    next_page: {template: index_2.html}\n", "next_page.template", "must contain {page}"),
        ("    next_page: {template: 'i_{page}.html', first: -1}\n", "next_page.first", ">= 0"),
        ("    encoding: gbk-ish\n", "encoding", "unknown charset"),
        ("    tz: Mars/Olympus\n", "tz", "unknown time zone"),
        ("    tz: Asia/Tokyo\n", "tz", "needs selectors.published_at"),
        ("    playwright: yes please\n", "playwright", "true or false"),
        ("    links_from: json\n", "links_from", "one of html, text"),
        ("    drop: {a: 1}\n", "drop", "list of selectors"),
        ("    spider: people\n", "spider", "leave it out"),
    ],
)
def test_a_bad_entry_names_the_source_and_key(tmp_path, extra, key, problem) -> None:
    with pytest.raises(NewsConfigError) as raised:
        _site(tmp_path, extra)
    message = str(raised.value)
    assert "source 'demo'" in message
    assert f"key {key!r}" in message
    assert problem in message.lower()


@pytest.mark.parametrize(
    ("body", "key"),
    [
        (
            GOOD.replace(
                "    article_pattern: '^http://www\\.example\\.cn/a/(?P<id>\\d+)\\.html$'\n", ""
            ),
            "article_pattern",
        ),
        (GOOD.replace("(?P<id>", "(?P<id"), "article_pattern"),
        (GOOD.replace("[http://www.example.cn/list/]", "[]"), "start_urls"),
        (GOOD.replace("[http://www.example.cn/list/]", "[www.example.cn/list/]"), "start_urls"),
        (GOOD + "    max_list_pages: 0\n", "max_list_pages"),
    ],
)
def test_required_keys(tmp_path, body, key) -> None:
    path = _entries(tmp_path, demo=body)
    _, errors = load_news_sites(path)
    assert list(errors) == ["demo"]
    # NewsConfigError quotes the key; the common entry checks (sources.py) do not.
    assert f"key {key!r}" in errors["demo"] or f"key {key}:" in errors["demo"]


def test_one_broken_entry_leaves_the_others_working(tmp_path, caplog) -> None:
    path = _entries(
        tmp_path,
        good=GOOD,
        broken=GOOD + "    selectors: {title: 'h1['}\n",
        people="\n    name: 人民网\n    platform: news\n    spider: people\n",  # not YAML-driven
        nameless="\n    platform: news\n    type: news_config\n",
    )
    sites, errors = load_news_sites(path)
    assert set(sites) == {"good"}
    assert set(errors) == {"broken", "nameless"}
    assert "key name: missing" in errors["nameless"]
    with caplog.at_level(logging.ERROR, logger="spiders.news_config.spider"):
        classes = news_config.generate(str(path))
    assert [cls.name for cls in classes.values()] == ["good"]
    assert any("source 'broken'" in r.getMessage() for r in caplog.records)


def test_an_unreadable_sources_file_makes_no_spiders(tmp_path, caplog) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text("sources:\n  a: [unclosed\n", encoding="utf-8")
    with caplog.at_level(logging.ERROR, logger="spiders.news_config.spider"):
        assert news_config.generate(str(path)) == {}
    assert "cannot read" in caplog.text


# --- list pages -------------------------------------------------------------------------


def _yaml(key: str):
    return load_news_sites(SOURCES_FILE)[0][key]


def test_list_scope_and_next_link_gmw() -> None:
    site = _yaml("gmw")
    first = "https://news.gmw.cn/node_4108.htm"
    page = configured.parse_list(response_from_fixture(first), site, page=1, first_url=first)
    # The channel's own links only, resolved against the page; not the sidebar's.
    assert page.article_urls == ["https://news.gmw.cn/2026-11/25/content_37712345.htm"]
    assert page.next_page == "https://news.gmw.cn/node_4108_2.htm"
    last = configured.parse_list(
        response_from_fixture(page.next_page), site, page=2, first_url=first
    )
    assert last.article_urls == ["https://politics.gmw.cn/2026-11/24/content_37709876.htm"]
    assert last.next_page is None  # "下一页" points at the page itself


@pytest.mark.parametrize(
    ("key", "first", "second"),
    [
        ("ncnews", "http://www.ncnews.com.cn/xwzx/ncxw/jrnc/", "index_1.html"),
        ("ce", "http://www.ce.cn/xwzx/gnsz/gdxw/", "index_1.shtml"),
    ],
)
def test_next_page_template(key, first, second) -> None:
    site = _yaml(key)
    page = configured.parse_list(response_from_fixture(first), site, page=1, first_url=first)
    assert page.next_page == first + second
    assert len(page.article_urls) == 1
    following = configured.parse_list(
        response_from_fixture(page.next_page), site, page=2, first_url=first
    )
    assert following.next_page == first + second.replace("1", "2")


def test_links_kept_in_a_script_need_links_from_text() -> None:
    site = _yaml("jiangxi_gov")
    url = "http://www.jiangxi.gov.cn/col/col393/index.html"
    response = response_from_fixture(url)
    # In the HTML tree the list is script text: only the header's home link is a link.
    assert response.xpath("//a/@href").getall() == ["http://www.jiangxi.gov.cn/"]
    page = configured.parse_list(response, site, page=1, first_url=url)
    assert page.article_urls == [
        "http://www.jiangxi.gov.cn/art/2026/11/25/art_393_4912345.html",
        "http://www.jiangxi.gov.cn/art/2026/11/24/art_393_4911876.html",
    ]


def test_a_list_scope_that_matches_nothing_falls_back_and_says_so(tmp_path) -> None:
    site = _site(tmp_path, "    list_selector: div.gone\n")
    html = "<div class='new'><a href='/a/7.html'>七</a><a href='/b/8.html'>x</a></div>"
    response = HtmlResponse("http://www.example.cn/list/", body=html.encode(), encoding="utf-8")
    page = configured.parse_list(response, site, page=1, first_url=response.url)
    assert page.article_urls == ["http://www.example.cn/a/7.html"]
    assert page.skipped == {"list_selector_empty": 1}


# --- article pages ----------------------------------------------------------------------


def test_a_selector_that_finds_nothing_is_reported_and_filled_in(tmp_path) -> None:
    # The template changed under `content`: the generic extractor fills the body in.
    site = _site(tmp_path, "    selectors: {title: h1, content: div.old-body}\n")
    html = (
        "<html><head><title>赣江新区召开推进会_某网</title></head><body><h1>赣江新区召开推进会</h1>"
        "<div class='info'>2026-11-25 09:30 来源：江西日报</div><div class='new-body'>"
        + "<p>赣江新区召开重点项目推进会，部署年底前各项工作任务。</p>" * 3
        + "</div></body></html>"
    )
    response = HtmlResponse("http://www.example.cn/a/9.html", body=html.encode(), encoding="utf-8")
    item, missed = configured.parse_article_report(response, site)
    assert missed == ["content"]
    assert item.title == "赣江新区召开推进会"
    assert item.content.startswith("赣江新区召开重点项目推进会")
    assert item.media.name == "江西日报"
    assert item.native_id == "9"
    assert item.source == "demo"


def test_a_non_text_answer_gives_an_incomplete_item_not_an_error(tmp_path) -> None:
    # A site that answers an article URL with a binary body (a PDF, an image behind a
    # CDN error): Scrapy builds a plain Response, on which no selector can run.
    site = _site(tmp_path, "    selectors: {title: h1, content: div.body}\n")
    response = Response("http://www.example.cn/a/9.html", body=b"%PDF-1.7 \x00\x01")
    item, missed = configured.parse_article_report(response, site)
    assert missed == []
    assert item.complete is False
    assert set(item.missing) >= {"title", "content"}
    assert item.native_id == "9"


def test_a_page_naming_no_source_is_the_sites_own(tmp_path) -> None:
    site = _site(tmp_path)
    html = (
        "<html><head><title>通知</title></head><body><h1>关于开展冬季消防检查的通知</h1>"
        "<div>2026-11-25 09:30</div><div><p>" + "各单位：请于12月前完成自查。" * 5 + "</p></div>"
        "</body></html>"
    )
    response = HtmlResponse("http://www.example.cn/a/3.html", body=html.encode(), encoding="utf-8")
    assert configured.parse_article(response, site).media.name == "某网"


def test_a_zone_other_than_beijing_time(tmp_path) -> None:
    site = _site(tmp_path, "    tz: Asia/Tokyo\n    selectors: {published_at: .t}\n")
    html = "<html><body><h1>标题标题</h1><div class='t'>2026-11-25 09:00</div></body></html>"
    response = HtmlResponse("http://www.example.cn/a/4.html", body=html.encode(), encoding="utf-8")
    assert configured.parse_article(response, site).published_at.isoformat() == (
        "2026-11-25T00:00:00+00:00"
    )


# --- the generated spider's navigation -------------------------------------------------


def _spider(tmp_path: Path, extra: str = ""):
    path = _entries(tmp_path, demo=GOOD + extra)
    spidercls = news_config.generate(str(path))["DemoSpider"]
    crawler = get_crawler(spidercls, {"YUQING_SOURCES_FILE": str(path)})
    crawler.stats.open_spider()
    return spidercls.from_crawler(crawler)


def _list_response(url: str, html: str, **meta) -> HtmlResponse:
    request = scrapy.Request(url, meta={"list_page": 1, "first_url": url, **meta})
    return HtmlResponse(url, body=html.encode("utf-8"), encoding="utf-8", request=request)


def test_spider_follows_articles_and_stops_at_max_list_pages(tmp_path) -> None:
    spider = _spider(
        tmp_path, "    max_list_pages: 2\n    next_page: {template: 'list_{page}.html'}\n"
    )
    html = "<a href='/a/1.html'>一</a><a href='/a/2.html'>二</a><a href='/x.html'>x</a>"
    out = list(spider.parse(_list_response("http://www.example.cn/list/", html)))
    articles = [r.url for r in out if r.callback == spider.parse_article]
    lists = [r for r in out if r.callback == spider.parse]
    assert articles == ["http://www.example.cn/a/1.html", "http://www.example.cn/a/2.html"]
    assert [r.url for r in lists] == ["http://www.example.cn/list/list_2.html"]
    assert lists[0].meta["list_page"] == 2
    assert lists[0].dont_filter  # list pages are read again every tick
    page_two = _list_response(lists[0].url, html, list_page=2)
    assert not [r for r in spider.parse(page_two) if r.callback == spider.parse]
    stats = spider.crawler.stats
    assert stats.get_value("news_config/demo/list_pages") == 2
    assert stats.get_value("news_config/demo/articles_linked") == 4


def test_spider_forces_the_configured_encoding(tmp_path) -> None:
    spider = _spider(tmp_path, "    encoding: gb18030\n")
    body = "<html><body><h1>南昌市启动冬季供暖</h1></body></html>".encode("gbk")
    request = scrapy.Request("http://www.example.cn/a/5.html")
    # The server said UTF-8 and the bytes are GBK: the entry's charset wins.
    response = HtmlResponse(request.url, body=body, encoding="utf-8", request=request)
    item = next(spider.parse_article(response))
    assert item.title == "南昌市启动冬季供暖"
    assert item.encoding == "gb18030"
    assert spider.crawler.stats.get_value("news_config/demo/encoding_forced") == 1


def test_playwright_entries_render_their_list_pages_only(tmp_path) -> None:
    spider = _spider(tmp_path, "    playwright: true\n")
    from yuqing_spiders.queue.seeds import Seed

    seed = spider.seed_request(Seed(url="http://www.example.cn/list/", source="demo"))
    assert seed.meta["playwright"] is True
    html = "<a href='/a/1.html'>一</a>"
    article = next(iter(spider.parse(_list_response(seed.url, html))))
    assert "playwright" not in article.meta
    assert re.search(r"/a/1\.html$", article.url)
