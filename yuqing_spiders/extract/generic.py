"""Site-independent article extraction for Chinese news and government pages.

Used for sites without hand-written rules (sources.md §11: ncnews articles, cnr,
youth, ce variants) and by `yuqing extract`. The body comes from trafilatura,
tuned for Chinese (short pages count: thresholds are in characters, and a
Chinese character carries about a word); when trafilatura finds nothing usable
the densest block of <p> text wins. Title, time, source and author come from
meta tags first, then from the "meta line" printed just under the title
("2026年11月25日09:41 | 来源：人民网"), which nearly every Chinese CMS has.

The byline helpers (`source_from_text`, `author_from_text`, ...) are shared with
the site parsers, which know where the line is but not how to read it.
"""

from __future__ import annotations

import logging
import re
from configparser import ConfigParser
from datetime import datetime
from urllib.parse import urlsplit, urlunsplit

import trafilatura
from parsel import Selector
from scrapy.http import TextResponse
from trafilatura.settings import use_config

from yuqing_spiders.model.items import REQUIRED_NEWS_FIELDS, Author, Media, OpinionItem
from yuqing_spiders.model.timeparse import (
    find_datetime_in_text,
    has_time_of_day,
    parse_datetime,
    same_local_day,
)

logger = logging.getLogger(__name__)

# Lines that are page furniture, not article text, wherever they turn up.
BOILERPLATE_RE = re.compile(
    r"^[(（\[【]?\s*(?:责任编辑|责编|编辑|审核|校对|值班编辑)\s*[：:]"
    r"|^(?:分享到|分享至|扫一扫|扫描二维码|打印本页|关闭窗口|【?打印】?|【?关闭】?|返回顶部)"
    r"|^(?:相关新闻|相关阅读|推荐阅读|延伸阅读|热点推荐|热门推荐)\s*[：:]?\s*$"
    r"|^(?:免责)?声明\s*[：:]"
    r"|^[（(]?\s*来源\s*[：:][^。！？]{0,30}[)）]?$"
    r"|^《[^》]{1,20}》\s*[（(]\s*\d{4}年\d{1,2}月\d{1,2}日\s*\d+\s*版\s*[)）]$",
)
# Footer words: only a short line made of them is furniture; an article may well
# report on "未经授权" use or a "版权所有" dispute in a long paragraph.
_FOOTER_RE = re.compile(r"版权所有|copyright|©|未经(?:书面)?授权|ICP备|公网安备", re.IGNORECASE)
_FOOTER_LINE_MAX = 80
# The meta line when an extractor takes it in with the body: a short line that is a
# date (and time) followed by 来源/作者/编辑 ("2026-11-25 09:03:12 来源：中国青年网").
_META_LINE_RE = re.compile(
    r"^(?:发布时间\s*[：:]\s*)?(?:19|20)\d{2}\s*[-年/.]\s*\d{1,2}\s*[-月/.]\s*\d{1,2}\s*日?"
    r"\s*(?:\d{1,2}\s*[:：]\s*\d{2}(?:\s*[:：]\s*\d{2})?)?\s*(?:来源|作者|编辑|责任编辑)\s*[：:]"
)

# Stop words that end a value on a meta line ("来源：江西日报 作者：…").
_FIELD_END = r"(?=\s|$|[|｜/,，;；]|作者|编辑|责任编辑|记者|时间|发布|浏览|点击|字号|分享)"
_SOURCE_RE = re.compile(r"(?:来源|来自|稿源|出处)\s*[：:]\s*(.+?)" + _FIELD_END)
_AUTHOR_FIELD_RE = re.compile(
    r"(?:作者|撰稿)\s*[：:]\s*(.+?)" + r"(?=\s{2,}|\n|$|[|｜]|来源|编辑|时间|发布)"
)
# A byline in parentheses at the start of a story: "（记者 王晓明）", "(本报记者 周婷 通讯员 陈某)".
_PAREN_BYLINE_RE = re.compile(r"[（(]\s*([^（）()]{0,12}?(?:记者|通讯员|作者)[^（）()]{1,40})[）)]")
_ROLE_RE = re.compile(
    r"(?:本报|本台|本网|人民网|新华社|央视网|中新网)?(?:特约|实习|首席)?"
    r"(?:记者|通讯员|实习生|作者|撰稿|文字|摄影)\s*[：:/|｜]?"
    # 文/图/摄 only as a role label ("文/张三"), never the last character of a name (程文).
    r"|(?<![\u4e00-\u9fff])(?:文|图|摄)\s*[：:/|｜]"
)
# A byline token naming a medium, not a person: "光明日报记者 高建进", "澎湃新闻记者 朱瑞".
_MEDIUM_TOKEN_RE = re.compile(r"(?:日报|晚报|报社|新闻|网|台|社|客户端|融媒体?中心)$")
# Words a byline carries that look like a 2-5 character name but are not one.
_NOT_NAMES = frozenset({"本报讯", "本网讯", "本台讯", "综合报道", "报道", "整理", "编译", "综合"})
_NAME_RE = re.compile(r"^(?:[\u4e00-\u9fff·]{2,5}|[A-Za-z][A-Za-z .'-]{1,40})$")
_EDITOR_RE = re.compile(r"(?:责任编辑|责编|编辑)\s*[：:]\s*([^\s)）\]】|｜]+)")
# "Title--Channel--人民网", "Title_中国江西网", "Title - 南昌市人民政府", "Title | Site".
_TITLE_SPLIT_RE = re.compile(r"\s*(?:_|--|\||｜|\s[-－—]\s)\s*")

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


def extract_article(response: TextResponse) -> OpinionItem:
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


def mark_completeness(item: OpinionItem) -> OpinionItem:
    """Set `complete`/`missing` from the fields a news item must have."""
    item.missing = [name for name in REQUIRED_NEWS_FIELDS if not getattr(item, name)]
    item.complete = not item.missing
    if item.missing:
        logger.info("incomplete article %s: missing %s", item.url, ", ".join(item.missing))
    return item


# --- small text helpers, shared with the site parsers -------------------------------


def squash(text: str | None) -> str:
    """Collapse all whitespace (incl. &nbsp; and the ideographic space) to single spaces."""
    return re.sub(r"\s+", " ", text or "").strip()


def node_text(sel: Selector) -> str:
    """The visible text of a node, whitespace collapsed."""
    return squash("".join(sel.xpath(".//text()").getall()))


def clean_lines(lines: list[str]) -> list[str]:
    """Strip lines and drop the empty ones and the page furniture (责任编辑, 版权, 分享)."""
    kept = []
    for line in lines:
        line = squash(line)
        if not line or BOILERPLATE_RE.search(line):
            continue
        if len(line) <= _FOOTER_LINE_MAX and (_FOOTER_RE.search(line) or _META_LINE_RE.match(line)):
            continue
        kept.append(line)
    return kept


def strip_title_suffix(title: str | None) -> str | None:
    """'标题--江西频道--人民网' -> '标题': Chinese sites put the title first."""
    if not title:
        return None
    parts = [p for p in _TITLE_SPLIT_RE.split(squash(title)) if p]
    return parts[0] if parts else None


def source_from_text(text: str | None) -> str | None:
    """The medium named by '来源：X' in a meta line, or None."""
    match = _SOURCE_RE.search(squash(text))
    if not match:
        return None
    return match.group(1).strip(" ：:()（）[]【】") or None


def names_from_byline(byline: str) -> str | None:
    """'本报记者 刘芳 通讯员 陈思远' -> '刘芳、陈思远'; None when no name is left."""
    rest = _ROLE_RE.sub(" ", byline)
    names: list[str] = []
    for token in re.split(r"[\s、，,；;]+", rest):
        if not token or token in _NOT_NAMES or _MEDIUM_TOKEN_RE.search(token):
            continue
        if not _NAME_RE.match(token):
            if names:
                break  # the byline ended; what follows is text ("作者：李佳 中国网讯 …")
            continue
        names.append(token)
    return "、".join(dict.fromkeys(names)) or None


def author_from_text(text: str | None) -> str | None:
    """The author named in a byline: '作者：X', '（记者 X）', or a bare '记者 X' line."""
    # Line breaks stay: on a meta line they end a field ("作者：程文" / the story's text).
    text = re.sub(r"[^\S\n]+", " ", text or "").strip()
    if not text:
        return None
    for pattern in (_AUTHOR_FIELD_RE, _PAREN_BYLINE_RE):
        match = pattern.search(text)
        if match and (names := names_from_byline(match.group(1))):
            return names
    # A whole short line that is only a byline ("记者 王晓明、李佳").
    if len(text) <= 40 and re.match(r"^\S{0,6}(?:记者|通讯员|作者)", text):
        return names_from_byline(text)
    return None


def editor_from_text(text: str | None) -> str | None:
    """'(责任编辑：张三、李四)' -> '张三、李四'."""
    match = _EDITOR_RE.search(squash(text))
    return match.group(1).strip() if match else None


def url_without_query(url: str) -> str:
    """The URL with query and fragment removed."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc.lower(), parts.path, "", ""))


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
    match = _PAREN_BYLINE_RE.search(first_paragraph)
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
