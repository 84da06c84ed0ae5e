"""spiders.people.parse on the people.com.cn fixtures (tests/fixtures/web/README.md).

The fixtures model the public facts of the site: GBK pages; article URLs
`/{n1|n2}/YYYY/MMDD/c<node>-<id>.html`; list links inside the RSSHub blocks
(.p6, div.p2j_list, div.headingNews, div.ej_list_box, .fl, .leftItem); the new
article template (div.rm_txt, .rm_txt_con, noise .paper_num/#rwb_tjyd) and the
older one (div.text_title h1/h2, .box01 .fl meta line, #rwb_zw/.box_con); the
editor in [class^=edit]. Each fixture's text and expected values are invented; the
expected values are in tests/helpers/people_expected.py.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from scrapy.http import HtmlResponse, Response, TextResponse

from middlewares.encoding import detect_encoding
from spiders.people.parse import (
    canonical_url,
    is_article_url,
    native_id,
    parse_article,
    parse_list,
)
from tests.helpers.fixtures import WEB_ROOT, fixture_urls, response_from_fixture
from tests.helpers.people_expected import (
    ARTICLE_URLS,
    EXPECTED,
    WELL_LABELLED_URLS,
    WRONG_CHARSET_URL,
)
from yuqing_spiders.replay.record import fixture_path, load_sidecar

# Fixtures with no sidecar: only the page's own <meta> names the charset.
NO_SIDECAR_URLS = {
    "http://www.people.com.cn/n1/2026/1126/c32306-40614088.html",
    "http://jx.people.com.cn/n2/2026/1126/c186330-41405532.html",
    "http://politics.people.com.cn/n1/2018/1203/c1001-30439131.html",
    "http://jx.people.com.cn/GB/186330/index2.html",
}
# Text that is on the article pages but is not article text.
NOISE = (
    "责任编辑",
    "推荐阅读",
    "《 人民日报 》",
    "分享到",
    "相关新闻",
    "频道精选",
    "热点排行",
    "版权所有",
    "Copyright",
    "返回频道首页",
    "我要留言",
    "share_title",
)


def repaired(response: HtmlResponse) -> HtmlResponse:
    """Decode as the encoding middleware would: by the bytes, not the wrong header."""
    header = response.headers.get(b"Content-Type", b"").decode("latin-1")
    charset = header.partition("charset=")[2] or None
    encoding = detect_encoding(response.body, charset)
    assert encoding is not None
    return response.replace(encoding=encoding)


def article(url: str) -> HtmlResponse:
    response = response_from_fixture(url)
    return repaired(response) if url == WRONG_CHARSET_URL else response


def test_every_article_fixture_has_expectations() -> None:
    # A new fixture page must come with its expected values.
    assert set(fixture_urls(WEB_ROOT, "*.people.com.cn/n*/**/*.html")) == set(EXPECTED)
    assert len(EXPECTED) >= 12


@pytest.mark.parametrize("url", ARTICLE_URLS)
def test_article_fields(url: str) -> None:
    want = EXPECTED[url]
    item = parse_article(article(url))
    assert item.complete, item.missing
    assert item.missing == []
    assert item.title == want.title
    assert item.published_at == want.published_at
    assert item.published_at.tzinfo is UTC
    assert item.media.name == want.media
    assert item.author.name == want.author
    assert item.editor == want.editor


@pytest.mark.parametrize("url", ARTICLE_URLS)
def test_article_body_is_the_paragraphs_only(url: str) -> None:
    want = EXPECTED[url]
    content = parse_article(article(url)).content
    assert content is not None
    paragraphs = content.split("\n")
    assert len(paragraphs) == want.paragraphs
    assert paragraphs[0].startswith(want.first)
    assert paragraphs[-1].endswith(want.last)
    assert all(p == p.strip() and p for p in paragraphs)
    for noise in NOISE:
        assert noise not in content
    # The subtitle (h2/h4.sub) and the meta line are not body text either.
    assert "来源：" not in content


@pytest.mark.parametrize("url", ARTICLE_URLS)
def test_article_identity_fields(url: str) -> None:
    item = parse_article(article(url))
    assert item.source == "people"
    assert item.platform == "news"
    assert item.url == url
    assert item.canonical_url == url  # fixture URLs are already canonical
    assert item.native_id == url.rsplit("-", 1)[1].removesuffix(".html")
    assert item.media.domain == url.split("/")[2]
    assert item.media.tier is None  # set by a later stage


def test_old_template_subtitle_is_not_part_of_the_title() -> None:
    # Old template: h1 title and h2 subtitle in div.text_title (NA 2019).
    item = parse_article(article("http://jx.people.com.cn/n2/2019/0422/c186330-32862045.html"))
    assert item.title == "南昌地铁3号线全线洞通"
    assert "预计明年底开通运营" not in (item.content or "")


@pytest.mark.parametrize("url", WELL_LABELLED_URLS)
def test_pages_are_gbk_and_decode_as_gb18030(url: str) -> None:
    # people.com.cn serves GBK (RSSHub decodes GBK).
    response = response_from_fixture(url)
    with pytest.raises(UnicodeDecodeError):
        response.body.decode("utf-8")
    response.body.decode("gbk")  # strict: the bytes really are GBK
    assert response.encoding == "gb18030"  # Scrapy's name for the GBK superset
    assert parse_article(response).encoding == "gb18030"


@pytest.mark.parametrize("url", sorted(NO_SIDECAR_URLS))
def test_meta_tag_decides_without_a_sidecar(url: str) -> None:
    # Pages served without a charset in Content-Type: only <meta charset=gb2312/gbk> tells.
    assert load_sidecar(fixture_path(WEB_ROOT, url)) is None
    response = response_from_fixture(url)
    assert response.encoding == "gb18030"
    assert "\ufffd" not in response.text


def test_wrong_charset_header_garbles_until_repaired() -> None:
    # GBK bytes under a `charset=utf-8` header, the case middlewares/encoding.py repairs.
    raw = response_from_fixture(WRONG_CHARSET_URL)
    assert raw.encoding == "utf-8"
    garbled = parse_article(raw)
    assert "\ufffd" in (garbled.title or "")
    assert not garbled.complete
    fixed = parse_article(repaired(raw))
    assert fixed.encoding == "gb18030"
    assert fixed.title == EXPECTED[WRONG_CHARSET_URL].title
    assert fixed.complete


def test_canonical_url_drops_query_fragment_and_https() -> None:
    # Fixture: the new-template Jiangxi page; the site's own links are http, no query.
    url = "https://JX.people.com.cn/n2/2026/1125/c186330-41401779.html?from=timeline#comments"
    body = fixture_path(WEB_ROOT, "http://jx.people.com.cn/n2/2026/1125/c186330-41401779.html")
    item = parse_article(HtmlResponse(url=url, body=body.read_bytes()))
    assert item.url == url
    assert item.canonical_url == "http://jx.people.com.cn/n2/2026/1125/c186330-41401779.html"
    assert item.native_id == "41401779"
    assert item.media.domain == "jx.people.com.cn"
    assert item.complete


@pytest.mark.parametrize(
    "url",
    [
        "http://jx.people.com.cn/n2/2026/1125/c186330-41401779.html",
        "https://jx.people.com.cn/n2/2025/1105/c186330-41401779.html",
        "http://society.people.com.cn/n1/2026/1124/c1008-40612345.html",
        "http://www.people.com.cn/n1/2026/1126/c32306-40614088.html",
        "http://people.com.cn/n1/2026/1126/c32306-40614088.html",
        "http://jx.people.com.cn/n2/2026/1125/c186330-41401779.html?from=singlemessage",
        "http://jx.people.com.cn/n2/2026/1125/c186330-41401779.html#comments",
        "http://jx.people.com.cn:8080/n2/2026/1125/c186330-41401779.html",
    ],
)
def test_is_article_url_accepts_article_pages(url: str) -> None:
    assert is_article_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://jx.people.com.cn/GB/186330/index.html",
        "http://www.people.com.cn/GB/59476/",
        # Page 2 of a long article is part of it, not a new article.
        "http://politics.people.com.cn/n1/2026/1125/c1001-40613001-2.html",
        "http://jx.people.com.cn/n3/2026/1125/c186330-41401779.html",
        "http://jx.people.com.cn/n2/2026/1125/41401779.html",
        "http://jx.people.com.cn.example.com/n2/2026/1125/c186330-41401779.html",
        "http://notpeople.com.cn/n2/2026/1125/c186330-41401779.html",
        "http://www.xinhuanet.com/politics/2026-11/25/c_1131234567.htm",
        "javascript:void(0)",
        "",
    ],
)
def test_is_article_url_rejects_other_pages(url: str) -> None:
    assert not is_article_url(url)


def test_native_id_and_canonical_url_helpers() -> None:
    assert native_id("http://jx.people.com.cn/n2/2026/1125/c186330-41401779.html") == "41401779"
    assert native_id("http://jx.people.com.cn/GB/186330/") is None
    assert (
        canonical_url("https://Society.people.com.cn/n1/2026/1124/c1008-40612345.html?x=1#y")
        == "http://society.people.com.cn/n1/2026/1124/c1008-40612345.html"
    )


def test_yaowen_list_yields_exactly_its_article_links() -> None:
    # 要闻 www.people.com.cn/GB/59476/ (RSSHub default): links in div.headingNews,
    # div.p2j_list, .p6; a hot-list sidebar outside those blocks is not the channel's.
    page = parse_list(response_from_fixture("http://www.people.com.cn/GB/59476/index.html"))
    assert page.article_urls == [
        "http://politics.people.com.cn/n1/2026/1125/c1001-40613001.html",
        "http://www.people.com.cn/n1/2026/1126/c32306-40614088.html",  # was root-relative
        "http://society.people.com.cn/n1/2026/1124/c1008-40612345.html",
        "https://jx.people.com.cn/n2/2026/1125/c186330-41401779.html",  # fragment dropped
        "http://jx.people.com.cn/n2/2026/1125/c186330-41402015.html",  # image + title: once
    ]
    assert page.next_page is None


def test_jiangxi_list_page_one_links_and_next_page() -> None:
    # jx.people.com.cn/GB/186330/: .leftItem headline + div.ej_list_box,
    # relative and absolute links, a tracking query, and a "下一页" link to index2.html.
    page = parse_list(response_from_fixture("http://jx.people.com.cn/GB/186330/"))
    assert page.article_urls == [
        "http://jx.people.com.cn/n2/2026/1126/c186330-41405532.html",
        "http://jx.people.com.cn/n2/2026/1125/c186330-41402015.html",
        "http://jx.people.com.cn/n2/2026/1125/c186330-41401779.html",
        "http://jx.people.com.cn/n2/2026/1124/c186330-41399870.html",
        "http://jx.people.com.cn/n2/2026/1124/c190260-41398826.html",
    ]
    assert page.next_page == "http://jx.people.com.cn/GB/186330/index2.html"


def test_jiangxi_list_last_page_has_no_next() -> None:
    # index2.html: older items incl. a central n1 link; only "上一页" in the pager.
    page = parse_list(response_from_fixture("http://jx.people.com.cn/GB/186330/index2.html"))
    assert page.article_urls == [
        "http://jx.people.com.cn/n2/2026/1123/c186330-41395540.html",
        "http://jx.people.com.cn/n2/2026/1122/c186330-41391207.html",
        "http://jx.people.com.cn/n2/2019/0422/c186330-32862045.html",
        "http://politics.people.com.cn/n1/2018/1203/c1001-30439131.html",
        "http://society.people.com.cn/n1/2019/0611/c1008-31130542.html",  # scheme-relative
        "http://health.people.com.cn/n1/2026/1125/c14739-40612888.html",  # health template
    ]
    assert page.next_page is None


def test_lists_reach_exactly_the_article_fixtures() -> None:
    # The lists and articles form one small site the replay crawl walks: every article
    # fixture is linked from a list, and no list link lacks a fixture.
    lists = [
        "http://www.people.com.cn/GB/59476/index.html",
        "http://jx.people.com.cn/GB/186330/",
        "http://jx.people.com.cn/GB/186330/index2.html",
    ]
    linked = {
        canonical_url(u)
        for url in lists
        for u in parse_list(response_from_fixture(url)).article_urls
    }
    assert linked == set(EXPECTED)


def list_page(body: str, url: str = "http://jx.people.com.cn/GB/186330/") -> HtmlResponse:
    html = f"<html><head><meta charset='gbk'></head><body>{body}</body></html>"
    return HtmlResponse(url=url, body=html.encode("gbk"))


def test_list_falls_back_to_all_article_links_when_blocks_are_gone() -> None:
    page = parse_list(
        list_page(
            "<div class='news'><a href='/n2/2026/1125/c186330-41401779.html'>a</a>"
            "<a href='/GB/186330/'>channel</a>"
            "<a href='http://jx.people.com.cn/n2/2026/1124/c186330-41399870.html'>b</a></div>"
        )
    )
    assert page.article_urls == [
        "http://jx.people.com.cn/n2/2026/1125/c186330-41401779.html",
        "http://jx.people.com.cn/n2/2026/1124/c186330-41399870.html",
    ]


@pytest.mark.parametrize(
    ("pager", "expected"),
    [
        ("<a href='index3.html'>下一页</a>", "http://jx.people.com.cn/GB/186330/index3.html"),
        ("<a href=' index3.html '> 下一页 </a>", "http://jx.people.com.cn/GB/186330/index3.html"),
        ("<a href='javascript:void(0)'>下一页</a>", None),
        ("<a href='index2.html'>下一页</a>", None),  # the last page links to itself
        ("<a href='index1.html'>上一页</a>", None),
        ("", None),
    ],
)
def test_next_page_link(pager: str, expected: str | None) -> None:
    url = "http://jx.people.com.cn/GB/186330/index2.html"
    assert parse_list(list_page(f"<div class='page_n'>{pager}</div>", url)).next_page == expected


def test_meta_line_is_the_block_with_time_or_source() -> None:
    # New template: div.channel holds two div.col-1-1 blocks; the share bar may come first.
    html = (
        "<html><head><meta charset='gbk'></head><body><div class='rm_txt'><h1>标题</h1>"
        "<div class='channel'><div class='col-1-1 fr'>分享到：微博 微信</div>"
        "<div class='col-1-1 fl'>2026年11月25日09:41 | 来源：<a href='/'>人民网－江西频道</a></div>"
        "</div><div class='rm_txt_con'><p>正文。</p></div></div></body></html>"
    )
    url = "http://jx.people.com.cn/n2/2026/1125/c186330-41401779.html"
    item = parse_article(HtmlResponse(url=url, body=html.encode("gbk")))
    assert item.media.name == "人民网－江西频道"
    assert item.published_at == datetime(2026, 11, 25, 1, 41, tzinfo=UTC)


def test_list_page_parsed_as_article_is_incomplete() -> None:
    # A channel list is not an article: no body block, no 年月日 meta line.
    item = parse_article(response_from_fixture("http://jx.people.com.cn/GB/186330/"))
    assert not item.complete
    assert {"content", "published_at"} <= set(item.missing)
    assert item.native_id is None
    assert item.canonical_url == "http://jx.people.com.cn/GB/186330/"


@pytest.mark.parametrize(
    "response",
    [
        TextResponse(url="http://jx.people.com.cn/n2/2026/1125/c186330-1.html", body=b""),
        HtmlResponse(
            url="http://jx.people.com.cn/n2/2026/1125/c186330-2.html",
            body="<html><body><h1>只有标题</h1></body></html>".encode("gbk"),
            encoding="gbk",
        ),
        Response(url="http://jx.people.com.cn/n2/2026/1125/c186330-3.html", body=b"\x89PNG"),
    ],
    ids=["empty", "title-only", "binary"],
)
def test_bad_pages_give_incomplete_items_not_errors(response: Response) -> None:
    item = parse_article(response)  # type: ignore[arg-type]
    assert not item.complete
    assert "content" in item.missing
    assert "published_at" in item.missing
    assert item.native_id == response.url.rsplit("-", 1)[1].removesuffix(".html")
