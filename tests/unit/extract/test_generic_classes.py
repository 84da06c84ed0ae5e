"""The generic extractor on the classes of template trouble real pages have (issue 14).

Each page in tests/fixtures/generic/ listed in tests/helpers/generic_expected.py is
hand-made and shows one class (its `fact` says which public fact about real sites it
models): site suffixes and column headings, a header clock, a year-less shown time, a
later `article:published_time`, a date-only publishdate, unlabelled and glued sources,
disclaimer and related blocks, a second document root. bench/generic_score.py prints
the same checks as a score.
"""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse

from tests.helpers.fixtures import GENERIC_ROOT, response_from_fixture
from tests.helpers.generic_expected import PAGES, Page, score_page
from yuqing_spiders.extract.generic import GenericPage, extract_article
from yuqing_spiders.extract.kit.byline import source_from_text, strip_title_suffix
from yuqing_spiders.extract.kit.html import cut_tail, single_root


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.url.split("/")[2])
def test_every_field_of_the_class_pages(page: Page) -> None:
    item = extract_article(response_from_fixture(page.url, GENERIC_ROOT))
    wrong = {name for name, right in score_page(page, item).items() if not right}
    assert not wrong, (wrong, item.title, item.published_at, item.media.name, item.content)


def test_editor_named_in_meta_author_is_not_the_author() -> None:
    portal = next(p for p in PAGES if "portal-sample" in p.url)
    item = extract_article(response_from_fixture(portal.url, GENERIC_ROOT))
    assert item.editor == portal.editor
    assert item.author.name is None


def test_page_fields_are_worked_out_only_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    # The fallback asks for single fields; the body (trafilatura) must not run for a title.
    from yuqing_spiders.extract import generic

    def refuse(_: str) -> str:
        raise AssertionError("body extracted for a title")

    monkeypatch.setattr(generic, "_trafilatura_body", refuse)
    page = GenericPage(response_from_fixture(PAGES[0].url, GENERIC_ROOT))
    assert page.title == PAGES[0].title
    assert page.published_at == PAGES[0].published_at


def test_single_root_brings_back_what_lxml_puts_under_a_second_root() -> None:
    html = (
        "<html><head><title>t</title></head><body><div>header</div></body></html>"
        "<div class='main'><p>正文在第二个根下面。</p></div></body></html>"
    )
    response = HtmlResponse(url="http://x.cn/a.html", body=html.encode(), encoding="utf-8")
    assert response.xpath("//body//p") == []  # the trouble: lxml's second root
    fixed = single_root(response)
    assert fixed.xpath("//body//p/text()").get() == "正文在第二个根下面。"
    assert single_root(fixed) is fixed  # one root: the response as it is


def test_cut_tail_stops_at_related_and_notice_blocks() -> None:
    lines = ["第一段。", "第二段。", "相关文章", "另一篇文章的标题", "关注我们"]
    assert cut_tail(lines) == ["第一段。", "第二段。"]
    assert cut_tail(["正文。", "免责声明：本站不承担责任。", "更多声明。"]) == ["正文。"]
    assert cut_tail(["正文。", "转载请注明来源。"]) == ["正文。"]
    assert cut_tail(["相关文章"]) == ["相关文章"]  # the first line always stays


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("南昌高新区芯片封装测试基地一期投产-南昌新闻网", "南昌高新区芯片封装测试基地一期投产"),
        ("我院专家团队赴进贤县开展冬季义诊 南昌市第九医院", "我院专家团队赴进贤县开展冬季义诊"),
        ("南昌-九江高铁开工", "南昌-九江高铁开工"),  # a hyphen inside a title stays
        ("南昌明天多云转小雨 最高气温12℃", "南昌明天多云转小雨 最高气温12℃"),
    ],
)
def test_glued_site_suffixes(title: str, expected: str) -> None:
    assert strip_title_suffix(title) == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("来源：中国新闻网参与互动", "中国新闻网"),
        ("来源于：党委宣传部 浏览次数：312", "党委宣传部"),
        ("出处：电子技术设计　作者：钟明远", "电子技术设计"),
    ],
)
def test_source_labels(line: str, expected: str) -> None:
    assert source_from_text(line) == expected
