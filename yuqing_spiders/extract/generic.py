"""Site-independent article extraction for Chinese news and government pages.

Used for sites without hand-written rules (sources.md §11: ncnews articles, cnr,
youth, ce variants) and by `yuqing extract`. The body comes from trafilatura,
tuned for Chinese (short pages count: thresholds are in characters, and a
Chinese character carries about a word); when trafilatura finds nothing usable
the densest block of <p> text wins. Title, time, source and author come from
meta tags first, then from the "meta line" printed just under the title
("2026年11月25日09:41 | 来源：人民网"), which nearly every Chinese CMS has.

The text and byline readers it uses (`clean_lines`, `source_from_text`,
`author_from_text`, ...) live in the parsers' kit (yuqing_spiders/extract/kit/), shared
with the site parsers, which know where a line is but not how to read it.
"""

from __future__ import annotations

import logging
from configparser import ConfigParser
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

import trafilatura
from parsel import Selector
from scrapy.http import Response, TextResponse
from trafilatura.settings import use_config

from yuqing_spiders.extract.kit.article import mark_completeness
from yuqing_spiders.extract.kit.byline import (
    PAREN_BYLINE_RE,
    author_from_text,
    editor_from_text,
    names_from_byline,
    source_from_text,
    strip_title_suffix,
)
from yuqing_spiders.extract.kit.html import clean_lines, node_text, squash
from yuqing_spiders.model.items import Author, Media, OpinionItem
from yuqing_spiders.model.timeparse import (
    find_datetime_in_text,
    has_time_of_day,
    parse_datetime,
    same_local_day,
)

logger = logging.getLogger(__name__)

_PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "publishdate",
    "pubdate",
    "publish_date",
    "publishtime",
    "publish-date",
    "firstpublishedtime",
    "dc.date.issued",
    "dc.date",
    "date",
)
_SOURCE_META = ("source", "contentsource", "og:article:source", "article:source")
_SITE_META = ("og:site_name", "sitename", "application-name")
_TIME_NODES_XPATH = (
    "//*[@id='pubtime_baidu' or @id='pubtime' or @id='pubTime' or @id='publish_time'"
    " or @id='articlePubTime' or @id='articleTime']"
    " | //time[@datetime]/@datetime"
)
_SOURCE_NODES_XPATH = "//*[@id='source_baidu' or @id='articleSource' or @id='source']"
_AUTHOR_NODES_XPATH = "//*[@id='author_baidu' or @id='articleAuthor' or @class='author']"
_EDITOR_NODES_XPATH = (
    "//*[@id='editor_baidu' or starts-with(@class, 'edit') or @id='articleLiability'"
    " or contains(@class, 'liability')]"
)
_TITLE_NODES_XPATH = (
    "//h1 | //h2 | //*[contains(translate(@class, 'TITLEBIAO', 'titlebiao'), 'title')"
    " or contains(translate(@class, 'TITLEBIAO', 'titlebiao'), 'biaoti')]"
)
_NOISE_TAGS = ("script", "style", "noscript", "iframe", "select", "textarea")
_NOT_IN_NOISE = "not(" + " or ".join(f"ancestor::{tag}" for tag in _NOISE_TAGS) + ")"
# How much text after the title still counts as its meta line.
_META_LINE_CHARS = 300
_FOLLOWING_TEXT_CHARS = 1500
# Below this many characters a trafilatura result is suspect and the density pick is tried.
_MIN_BODY_CHARS = 40


def extract_article(response: Response) -> OpinionItem:
    """Extract one article from a page of unknown template; never raises on a bad page."""
    item = OpinionItem(url=response.url, source="generic", platform="news")
    item.media = Media(domain=urlsplit(response.url).hostname)
    if not isinstance(response, TextResponse):
        return mark_completeness(item)
    item.encoding = response.encoding
    item.canonical_url = find_canonical_url(response)
    item.title = find_title(response)
    meta_line = find_meta_line(response, item.title)
    item.published_at = find_published_at(response, meta_line, item.title)
    item.media.name = find_source(response, meta_line)
    item.content = _without_title_line(find_body(response), item.title)
    item.author = Author(name=find_author(response, meta_line, item.content))
    item.editor = find_editor(response)
    return mark_completeness(item)


# --- field finders --------------------------------------------------------------------


def find_canonical_url(response: TextResponse) -> str:
    """<link rel=canonical> or og:url when present, else the URL without its fragment."""
    declared = response.xpath(
        "//link[translate(@rel, 'CANONICAL', 'canonical')='canonical']/@href"
    ).get() or _meta(response, "og:url")
    if declared and declared.strip():
        return response.urljoin(declared.strip())
    parts = urlsplit(response.url)
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path, parts.query, ""))


def find_title(response: TextResponse) -> str | None:
    """og:title, else the h1 that agrees with <title>, else <title> minus the site name."""
    page_title = strip_title_suffix(response.xpath("//title/text()").get())
    og_title = strip_title_suffix(_meta(response, "og:title"))
    if og_title:
        return og_title
    headings = [t for t in (node_text(h) for h in response.xpath("//h1")) if len(t) >= 4]
    if page_title and (lead := _title_node_leading(response, page_title)):
        # "标题-南昌新闻网": a suffix without spaces is not split off, but the page's
        # own title node starts the <title>; a logo h1 ("南昌新闻网") does not.
        return lead
    if page_title:
        for heading in headings:
            if heading in page_title or page_title in heading:
                return heading
        return page_title
    return headings[0] if headings else None


def find_meta_line(response: TextResponse, title: str | None) -> str:
    """The text printed right after the title (time, 来源, 作者), at most a few lines."""
    following = _text_after_title(response, title, _META_LINE_CHARS)
    if following is not None:
        return following
    # No title node: take labelled lines anywhere ("发布时间：…", "来源：…").
    labelled = response.xpath(
        "//body//*[not(self::script or self::style)]"
        "[contains(text(), '来源') or contains(text(), '时间')]"
    )
    return " ".join(node_text(node) for node in labelled[:3])[:_META_LINE_CHARS]


def find_published_at(
    response: TextResponse, meta_line: str, title: str | None = None
) -> datetime | None:
    """Meta tags, then known time nodes, then the meta line, then the text after the title."""
    from_line = find_datetime_in_text(meta_line)
    declared = _declared_time(response)
    if declared is not None:
        moment, precise = declared
        # A date-only meta tag ("2026-11-25") loses the hour the meta line still shows.
        if not precise and from_line is not None and same_local_day(moment, from_line):
            return from_line
        return moment
    if from_line is not None:
        return from_line
    later = _text_after_title(response, title, _FOLLOWING_TEXT_CHARS)
    return find_datetime_in_text(later if later is not None else _visible_text(response))


def find_source(response: TextResponse, meta_line: str) -> str | None:
    """The medium an article comes from: meta tag, source node, '来源：' on the meta line."""
    for name in _SOURCE_META:
        value = _meta(response, name)
        if value:
            # Some CMSs put the whole label in the tag: "来源：人民网－人民日报".
            return source_from_text(value) or squash(value)
    for node in response.xpath(_SOURCE_NODES_XPATH):
        text = node_text(node)
        if text:
            return source_from_text(text) or text
    found = source_from_text(meta_line)
    if found:
        return found
    for name in _SITE_META:
        if value := _meta(response, name):
            return squash(value)
    return None


def find_author(response: TextResponse, meta_line: str, content: str | None) -> str | None:
    """'作者：' or a byline on the meta line, the byline node, the first paragraph, meta author."""
    found = author_from_text(meta_line)
    if found:
        return found
    for node in response.xpath(_AUTHOR_NODES_XPATH):
        if found := author_from_text(node_text(node)):
            return found
    first_paragraph = (content or "").split("\n", 1)[0]
    match = PAREN_BYLINE_RE.search(first_paragraph)
    if match and (found := names_from_byline(match.group(1))):
        return found
    # A body that opens with a byline line ("光明日报记者 高建进").
    if len(first_paragraph) <= 40 and (found := author_from_text(first_paragraph)):
        return found
    meta_author = squash(_meta(response, "author"))
    return meta_author or None


def find_editor(response: TextResponse) -> str | None:
    """The responsible editor from an edit/liability block ('责任编辑：X')."""
    for node in response.xpath(_EDITOR_NODES_XPATH):
        if found := editor_from_text(node_text(node)):
            return found
    return editor_from_text(_visible_text(response)[-2000:])


def find_body(response: TextResponse) -> str | None:
    """Article text, paragraphs joined by newlines, page furniture removed."""
    by_trafilatura = _trafilatura_body(response.text)
    by_density = _densest_paragraphs(response)
    # trafilatura sometimes keeps only a caption or loses a short page; the density
    # pick then holds clearly more article text.
    if by_trafilatura and len(by_trafilatura) >= max(_MIN_BODY_CHARS, len(by_density) // 2):
        return by_trafilatura
    if by_density:
        logger.debug("body of %s from paragraph density", response.url)
        return by_density
    return by_trafilatura or None


# --- internals ------------------------------------------------------------------------


def _meta(response: TextResponse, key: str) -> str | None:
    """A <meta> value by name/property/itemprop, case-insensitively."""
    lowered = "translate(@%s, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')"
    attrs = " or ".join(f"{lowered % attr}='{key}'" for attr in ("name", "property", "itemprop"))
    value = response.xpath(f"//meta[{attrs}]/@content").get()
    return value.strip() if value and value.strip() else None


def _declared_time(response: TextResponse) -> tuple[datetime, bool] | None:
    """(time, has clock time) from meta tags or dedicated time nodes, or None."""
    for name in _PUBLISHED_META:
        value = _meta(response, name)
        if value and (moment := parse_datetime(value)) is not None:
            return moment, has_time_of_day(value)
    for node in response.xpath(_TIME_NODES_XPATH):
        text = node.get() if isinstance(node.root, str) else node_text(node)
        moment = find_datetime_in_text(text) or parse_datetime(text)
        if moment is not None:
            return moment, has_time_of_day(text)
    return None


def _without_title_line(content: str | None, title: str | None) -> str | None:
    """The body without a first line that only repeats the title (trafilatura keeps it)."""
    if not content or not title:
        return content
    first, _, rest = content.partition("\n")
    return (rest or None) if squash(first) == squash(title) else content


def _title_node_leading(response: TextResponse, page_title: str) -> str | None:
    """The longest h1/h2/title-class text that the <title> starts with and that is
    shorter than it (so it dropped a site suffix), or None."""
    found = None
    for node in response.xpath(_TITLE_NODES_XPATH):
        text = node_text(node)
        if 4 <= len(text) < len(page_title) and page_title.startswith(text):
            rest = page_title[len(text) :].lstrip()
            if rest and rest[0] in "-－—_|｜" and (found is None or len(text) > len(found)):
                found = text
    return found


def _title_node(response: TextResponse, title: str | None) -> Selector | None:
    if not title:
        return None
    for node in response.xpath(_TITLE_NODES_XPATH):
        text = node_text(node)
        if text and (text == title or (len(text) < 2 * len(title) and title in text)):
            return node
    return None


def _text_after_title(response: TextResponse, title: str | None, limit: int) -> str | None:
    """Visible text that follows the title node in document order, up to `limit` chars."""
    node = _title_node(response, title)
    if node is None:
        return None
    pieces: list[str] = []
    size = 0
    for text in node.xpath(f"following::text()[{_NOT_IN_NOISE}]"):
        piece = squash(text.get())
        if piece:
            pieces.append(piece)
            size += len(piece)
            if size >= limit:
                break
    # One text node per line, so a field value ends where its node ends.
    return "\n".join(pieces)[:limit]


def _visible_text(response: TextResponse) -> str:
    return squash(" ".join(response.xpath(f"//body//text()[{_NOT_IN_NOISE}]").getall()))


def _trafilatura_config() -> ConfigParser:
    config = use_config()
    # Chinese pages are short in characters; the defaults are tuned for word counts.
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "50")
    config.set("DEFAULT", "MIN_OUTPUT_SIZE", "10")
    config.set("DEFAULT", "MIN_EXTRACTED_COMM_SIZE", "10")
    # The timeout uses signals, which only work in the main thread (Scrapy runs elsewhere).
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    return config


_TRAFILATURA_CONFIG = _trafilatura_config()


def _trafilatura_body(html: str) -> str:
    try:
        text = trafilatura.extract(
            html,
            config=_TRAFILATURA_CONFIG,
            output_format="txt",
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
            deduplicate=False,
            favor_precision=True,
        )
    except Exception:  # a third-party parser must not take the item down with it
        logger.exception("trafilatura failed")
        return ""
    return "\n".join(clean_lines((text or "").splitlines()))


def _densest_paragraphs(response: TextResponse) -> str:
    """Text of the container whose direct <p> children hold the most non-link text."""
    best: list[str] = []
    best_score = 0
    for container in response.xpath("//body//*[p]"):
        lines = clean_lines([_paragraph_text(p) for p in container.xpath("./p")])
        link_chars = sum(len(squash(t)) for t in container.xpath("./p//a//text()").getall())
        score = sum(len(line) for line in lines) - 2 * link_chars
        if score > best_score:
            best, best_score = lines, score
    return "\n".join(best)


def _paragraph_text(paragraph: Selector) -> str:
    return "".join(paragraph.xpath(f".//text()[{_NOT_IN_NOISE}]").getall())
