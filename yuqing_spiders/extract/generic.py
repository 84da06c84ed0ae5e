"""Site-independent article extraction for Chinese news and government pages.

Used for sites without hand-written rules (ncnews articles, cnr,
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
import re
from configparser import ConfigParser
from datetime import datetime
from functools import cached_property
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import trafilatura
from parsel import Selector
from scrapy.http import Response, TextResponse
from trafilatura.settings import use_config

from yuqing_spiders.extract.kit.article import mark_completeness
from yuqing_spiders.extract.kit.byline import (
    PAREN_BYLINE_RE,
    author_from_text,
    editor_from_text,
    glued_suffix,
    names_from_byline,
    source_from_text,
    strip_title_suffix,
)
from yuqing_spiders.extract.kit.html import clean_lines, cut_tail, node_text, single_root, squash
from yuqing_spiders.model.items import Author, Media, OpinionItem
from yuqing_spiders.model.timeparse import (
    DATETIME_IN_TEXT_RE,
    DEFAULT_TZ,
    find_datetime_in_text,
    has_time_of_day,
    normalize,
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
    "datepublished",
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
# Where a headline is: headings, and nodes classed title / tit / biaoti / headline.
_TITLE_NODES_XPATH = (
    "//h1 | //h2 | //h3 | //*[contains(translate(@class, 'TITLEBIAOHD', 'titlebiaohd'), 'tit')"
    " or contains(translate(@class, 'TITLEBIAOHD', 'titlebiaohd'), 'biaoti')"
    " or contains(translate(@class, 'TITLEBIAOHD', 'titlebiaohd'), 'headline')]"
)
# A self-media account's name node (toutiao, baijiahao, 网易号, 企鹅号 templates).
_ACCOUNT_NODES_XPATH = (
    "//*[contains(@class, 'account-name') or contains(@class, 'authorName')"
    " or contains(@class, 'author-name') or contains(@class, 'media-name')"
    " or contains(@class, 'source-name') or contains(@class, 'wemedia')]"
)
# Column headings CMSs print as a heading above (or instead of) the story's title.
_COLUMN_HEADING_RE = re.compile(
    r"^(?:新闻|工作|图片|媒体|行业|综合|部门|基层|本地|今日|每日|热点|时政|社会|通知)?"
    r"(?:动态|资讯|要闻|新闻|公告|通知|预测|预报|聚焦|播报|快讯|报道|关注|推荐|排行|正文)$"
)
# A 版权声明 / 免责声明 box: its '来源' and dates are not the article's.
_NOTICE_RE = re.compile(r"(?:版权|免责|特别|郑重)声明")
# A name printed beside the time without a label: "2026-11-25 17:30 南昌市气象台".
_NAME_BESIDE_TIME_RE = re.compile(r"[\u4e00-\u9fff][\u4e00-\u9fff·A-Za-z0-9]{1,19}")
_NOT_SOURCES = frozenset(
    (
        "星期一",
        "星期二",
        "星期三",
        "星期四",
        "星期五",
        "星期六",
        "星期日",
        "星期天",
        "今天",
        "昨天",
        "前天",
        "刚刚",
        "原创",
        "置顶",
        "热门",
        "北京",
        "天津",
        "上海",
        "重庆",
        "河北",
        "山西",
        "辽宁",
        "吉林",
        "黑龙江",
        "江苏",
        "浙江",
        "安徽",
        "福建",
        "江西",
        "山东",
        "河南",
        "湖北",
        "湖南",
        "广东",
        "海南",
        "四川",
        "贵州",
        "云南",
        "陕西",
        "甘肃",
        "青海",
        "台湾",
        "内蒙古",
        "广西",
        "西藏",
        "宁夏",
        "新疆",
        "香港",
        "澳门",
        "阅读",
        "浏览",
        "评论",
        "分享",
        "收藏",
        "打印",
        "关注",
        "举报",
        "字号",
        "大",
        "中",
        "小",
    )
)
_LABEL_WORDS_RE = re.compile(r"来源|作者|编辑|记者|时间|发布|浏览|阅读|点击|字号|分享|评论|次")
# A time shown without a year: "11-25 09:41", "11月25日 09:41".
_YEARLESS_TIME_RE = re.compile(
    r"(?<![\d\-/年.])(\d{1,2})\s*(?:-|/|月)\s*(\d{1,2})\s*日?\s*(\d{1,2}:\d{2}(?::\d{2})?)(?!\d)"
)
# A date printed in pieces ("2026" / "11/24" / "16:20:03" in spans, news.cn's header).
_SPLIT_DATE_RE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s+(\d{1,2})\s*/\s*(\d{1,2})\s+(\d{1,2}:\d{2}(?::\d{2})?)(?!\d)"
)
# Metadata that carries the page's year even when it is an update time.
_YEAR_META = ("dateupdate", "datemodified", "article:modified_time", "og:updated_time")
_NOISE_TAGS = ("script", "style", "noscript", "iframe", "select", "textarea")
_NOT_IN_NOISE = "not(" + " or ".join(f"ancestor::{tag}" for tag in _NOISE_TAGS) + ")"
# Containers that hold page furniture however much text they have.
_FURNITURE_CLASS_RE = re.compile(
    r"disclaim|statement|copyright|declare|shengming|banquan|related|recommend|footer",
    re.IGNORECASE,
)
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
    page = GenericPage(response)
    item.canonical_url = find_canonical_url(page.response)
    item.title = page.title
    item.published_at = page.published_at
    item.media.name = page.source
    item.content = page.content
    item.author = Author(name=page.author)
    item.editor = page.editor
    return mark_completeness(item)


class GenericPage:
    """One page's fields as the generic extractor reads them, each worked out on first
    use: the site parsers' fallback (extract/fallback.py) asks only for the fields a
    parser missed, and the body (trafilatura, the costly part) is often not one."""

    def __init__(self, response: TextResponse) -> None:
        self.response = single_root(response)

    @cached_property
    def title(self) -> str | None:
        return find_title(self.response)

    @cached_property
    def meta_line(self) -> str:
        return find_meta_line(self.response, self.title)

    @cached_property
    def published_at(self) -> datetime | None:
        return find_published_at(self.response, self.meta_line, self.title)

    @cached_property
    def source(self) -> str | None:
        return find_source(self.response, self.meta_line)

    @cached_property
    def content(self) -> str | None:
        return _without_title_line(find_body(self.response), self.title)

    @cached_property
    def editor(self) -> str | None:
        return find_editor(self.response)

    @cached_property
    def author(self) -> str | None:
        return self.author_beside(self.content)

    def author_beside(self, content: str | None) -> str | None:
        """The author, reading a byline at the top of `content` (a site parser's body
        serves as well as ours); never the responsible editor."""
        found = find_author(self.response, self.meta_line, content)
        return None if found and found == self.editor else found


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
    """og:title, else the title node that starts <title>, else <title> minus the site
    name; never a column heading (新闻动态) or a link."""
    response = single_root(response)
    raw_title = squash(response.xpath("//title/text()").get())
    page_title = _page_title(response, raw_title)
    og_title = strip_title_suffix(_meta(response, "og:title"))
    if og_title:
        return og_title
    nodes = [t for t in (node_text(n) for n in _title_nodes(response)) if _headline_like(t)]
    if raw_title and (lead := _title_node_leading(nodes, raw_title)):
        # "标题-南昌新闻网": the page's own title node starts the <title>; a logo h1
        # ("南昌新闻网") or a column heading does not.
        return lead
    if page_title:
        for text in nodes:
            if text in page_title or page_title in text:
                return text
        return page_title
    return nodes[0] if nodes else None


def find_meta_line(response: TextResponse, title: str | None) -> str:
    """The text printed right after the title (time, 来源, 作者), at most a few lines,
    up to a 版权声明 / 免责声明 box (whose '来源' is not the article's)."""
    response = single_root(response)
    following = _text_after_title(response, title, _META_LINE_CHARS)
    if following is None:
        # No title node: take labelled lines anywhere ("发布时间：…", "来源：…").
        labelled = response.xpath(
            f"//*[not(self::script or self::style or self::title)][{_NOT_IN_NOISE}]"
            "[contains(text(), '来源') or contains(text(), '时间') or contains(text(), '出处')]"
        )
        following = "\n".join(
            node_text(node) for node in labelled[:6] if not _NOTICE_RE.search(node_text(node))
        )
    return _NOTICE_RE.split(following, maxsplit=1)[0][:_META_LINE_CHARS]


def find_published_at(
    response: TextResponse, meta_line: str, title: str | None = None
) -> datetime | None:
    """The time shown beside the byline, else meta tags and time nodes, else a time in
    the text after the title.

    What the page shows wins: portals keep `article:published_time` at the last update
    (sina: hours later), and a date-only `publishdate` would make it 00:00. A shown
    time without a year ("11-25 09:41", self-media pages) takes the year from the
    page's metadata (itemprop=dateUpdate / datePublished)."""
    response = single_root(response)
    declared = _declared_time(response)
    shown = _shown_time(meta_line, response)
    if shown is None:
        # Templates that print the meta line above the headline (news.cn); only a time
        # with its clock, as a header's "今天是…" date has none.
        above = _shown_time(_text_before_title(response, title), response)
        shown = above if above is not None and above[1] else None
    if shown is not None and shown[1]:
        return shown[0]
    if declared is not None:
        moment, precise = declared
        # A date-only meta tag ("2026-11-25") loses the hour the meta line still shows.
        if not precise and shown is not None and same_local_day(moment, shown[0]):
            return shown[0]
        return moment
    if shown is not None:
        return shown[0]
    later = _text_after_title(response, title, _FOLLOWING_TEXT_CHARS)
    if later is None:
        # No title node: a labelled time anywhere ("发布时间：…") beats a header clock.
        later = _labelled_time_text(response) or _visible_text(response)
    return _best_time_in_text(later)


def find_source(response: TextResponse, meta_line: str) -> str | None:
    """The medium an article comes from: meta tag, source node, '来源：' on the meta
    line, a self-media account's node, a name beside the time, the site's name."""
    response = single_root(response)
    for name in _SOURCE_META:
        value = _meta(response, name)
        if value:
            # Some CMSs put the whole label in the tag: "来源：人民网－人民日报".
            return source_from_text(value) or squash(value)
    for node in response.xpath(_SOURCE_NODES_XPATH):
        text = node_text(node)
        if text:
            return source_from_text(text) or _cleaned_source(text)
    found = source_from_text(meta_line)
    if found:
        return found
    title = find_title(response)
    if title and (found := source_from_text(_text_before_title(response, title))):
        return found
    for node in response.xpath(_ACCOUNT_NODES_XPATH):
        text = node_text(node)
        if _NAME_BESIDE_TIME_RE.fullmatch(text) and text not in _NOT_SOURCES:
            return text
    if found := _name_beside_time(meta_line):
        return found
    for name in _SITE_META:
        if value := _meta(response, name):
            return squash(value)
    return None


def find_author(response: TextResponse, meta_line: str, content: str | None) -> str | None:
    """'作者：' or a byline on the meta line, the byline node, the first paragraph, meta author."""
    response = single_root(response)
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
    if meta_author and meta_author == find_editor(response):
        return None  # the CMS fills meta author with the responsible editor
    return meta_author or None


def find_editor(response: TextResponse) -> str | None:
    """The responsible editor from an edit/liability block ('责任编辑：X')."""
    response = single_root(response)
    for node in response.xpath(_EDITOR_NODES_XPATH):
        if found := editor_from_text(node_text(node)):
            return found
    return editor_from_text(_visible_text(response)[-2000:])


def find_body(response: TextResponse) -> str | None:
    """Article text, paragraphs joined by newlines, page furniture and the blocks after
    the story (related links, disclaimers, 转载 notes) removed."""
    response = single_root(response)
    by_trafilatura = _trafilatura_body(response.text)
    by_density = _densest_paragraphs(response)
    # trafilatura sometimes keeps only a caption, loses a short page or takes a
    # disclaimer box; the density pick then holds clearly more article text.
    if (
        by_trafilatura
        and len(by_trafilatura) >= max(_MIN_BODY_CHARS, len(by_density) // 2)
        and not _NOTICE_RE.match(by_trafilatura)
    ):
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


def _shown_time(meta_line: str, response: TextResponse) -> tuple[datetime, bool] | None:
    """(time, has clock time) shown on the meta line, or None. A year-less "11-25 09:41"
    takes its year from the page's metadata."""
    match = DATETIME_IN_TEXT_RE.search(normalize(meta_line))
    if match and (moment := parse_datetime(match.group(0))) is not None:
        return moment, has_time_of_day(match.group(0))
    split = _SPLIT_DATE_RE.search(normalize(meta_line))
    if split and (moment := parse_datetime(f"{split[1]}-{split[2]}-{split[3]} {split[4]}")):
        return moment, True
    yearless = _YEARLESS_TIME_RE.search(normalize(meta_line))
    if yearless is None:
        return None
    month, day, clock = int(yearless[1]), int(yearless[2]), yearless[3]
    year = _metadata_year(response, month, day)
    text = f"{year}-{month:02d}-{day:02d} {clock}" if year else f"{month}-{day} {clock}"
    moment = parse_datetime(text)
    return (moment, True) if moment is not None else None


def _metadata_year(response: TextResponse, month: int, day: int) -> int | None:
    """The year of a month-day shown without one, from any date in the page's metadata:
    that of the metadata date, or the one before when the month-day is later in the
    year than it (a December story updated in January)."""
    for name in _PUBLISHED_META + _YEAR_META:
        value = _meta(response, name)
        if value and (moment := parse_datetime(value)) is not None:
            local = moment.astimezone(ZoneInfo(DEFAULT_TZ))
            return local.year - 1 if (month, day) > (local.month, local.day) else local.year
    return None


def _labelled_time_text(response: TextResponse) -> str | None:
    """The text of the first node labelled as a publication time ('发布时间：…')."""
    nodes = response.xpath(
        f"//body//*[{_NOT_IN_NOISE}][contains(text(), '发布') or contains(text(), '时间')"
        " or contains(text(), '日期')]"
    )
    for node in nodes:
        text = node_text(node)
        if len(text) <= _META_LINE_CHARS and DATETIME_IN_TEXT_RE.search(normalize(text)):
            return text
    return None


def _best_time_in_text(text: str | None) -> datetime | None:
    """A time in running text: the first with a clock time (a byline's), else the first
    date (a date inside a sentence rarely has a clock time)."""
    if not text:
        return None
    matches = list(DATETIME_IN_TEXT_RE.finditer(normalize(text)))
    for match in matches:
        if has_time_of_day(match.group(0)) and (moment := parse_datetime(match.group(0))):
            return moment
    return find_datetime_in_text(text)


def _name_beside_time(meta_line: str) -> str | None:
    """A name printed next to the shown time without a label ('2026-11-25 17:30
    南昌市气象台', '赣江观察 11-25 09:41'): the piece right after the time, else the
    one right before it."""
    pieces = [p for p in re.split(r"[\n\s|｜]+", meta_line) if p][:8]
    for index, piece in enumerate(pieces):
        if not re.search(r"\d{1,2}:\d{2}", piece):
            continue
        for neighbour in pieces[index + 1 : index + 2] + pieces[max(index - 2, 0) : index][::-1]:
            if _is_name(neighbour):
                return neighbour
        return None
    return None


def _is_name(piece: str) -> bool:
    return (
        bool(_NAME_BESIDE_TIME_RE.fullmatch(piece))
        and piece not in _NOT_SOURCES
        and not _LABEL_WORDS_RE.search(piece)
        and not re.search(r"\d", piece)
    )


def _cleaned_source(text: str) -> str:
    """A source node's text without the links glued after the name."""
    return re.sub(r"(?:参与互动|我要评论|评论|收藏|打印)+$", "", text).strip() or text


def _without_title_line(content: str | None, title: str | None) -> str | None:
    """The body without a first line that only repeats the title (trafilatura keeps it)."""
    if not content or not title:
        return content
    first, _, rest = content.partition("\n")
    return (rest or None) if squash(first) == squash(title) else content


def _page_title(response: TextResponse, raw_title: str) -> str | None:
    """<title> without the site's name: split at '_', '|', ' - ', and a name glued on
    ('-电子技术设计', ' 南昌市第九医院') when it looks like a site or the page shows it
    elsewhere (footer, source line)."""
    stripped = strip_title_suffix(raw_title)
    if not stripped:
        return None
    glued = glued_suffix(stripped)
    if glued and glued[1] in _visible_text(response):
        return glued[0]
    return strip_title_suffix(stripped)


def _title_nodes(response: TextResponse) -> list[Selector]:
    """Headline candidates in page order, links and column headings left out."""
    return [
        node
        for node in response.xpath(_TITLE_NODES_XPATH)
        if not node.xpath("ancestor-or-self::a | ancestor::nav | ancestor::li")
    ]


def _headline_like(text: str) -> bool:
    return len(text) >= 4 and not _COLUMN_HEADING_RE.match(text)


def _title_node_leading(texts: list[str], page_title: str) -> str | None:
    """The longest title-node text that the <title> starts with and that is shorter
    than it, followed by a separator or a space (so it dropped a site suffix), or None."""
    found = None
    for text in texts:
        if 4 <= len(text) < len(page_title) and page_title.startswith(text):
            rest = page_title[len(text) :]
            if rest[0] in "-－—_|｜ " and (found is None or len(text) > len(found)):
                found = text
    return found


def _title_node(response: TextResponse, title: str | None) -> Selector | None:
    if not title:
        return None
    for node in _title_nodes(response):
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


def _text_before_title(response: TextResponse, title: str | None) -> str:
    """Up to a meta line's worth of visible text right before the title node, in
    document order; '' without a title node."""
    node = _title_node(response, title)
    if node is None:
        return ""
    pieces: list[str] = []
    size = 0
    for text in reversed(node.xpath(f"preceding::text()[{_NOT_IN_NOISE}]").getall()):
        piece = squash(text)
        if piece:
            pieces.append(piece)
            size += len(piece)
            if size >= _META_LINE_CHARS:
                break
    return "\n".join(reversed(pieces))[-_META_LINE_CHARS:]


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
    # The tail is cut before furniture lines go: a 免责声明 line is both, and it marks
    # where the disclaimer block starts.
    return "\n".join(
        clean_lines(cut_tail([squash(x) for x in (text or "").splitlines() if x.strip()]))
    )


def _densest_paragraphs(response: TextResponse) -> str:
    """Text of the container whose direct <p> children hold the most non-link text."""
    best: list[str] = []
    best_score = 0
    for container in response.xpath("//body//*[p]"):
        raw = [squash(_paragraph_text(p)) for p in container.xpath("./p")]
        lines = clean_lines(cut_tail([line for line in raw if line]))
        if (
            not lines
            or _NOTICE_RE.match(lines[0])
            or _FURNITURE_CLASS_RE.search(" ".join(container.xpath("@class | @id").getall()))
        ):
            continue  # a disclaimer or copyright box, however long
        link_chars = sum(len(squash(t)) for t in container.xpath("./p//a//text()").getall())
        score = sum(len(line) for line in lines) - 2 * link_chars
        if score > best_score:
            best, best_score = lines, score
    return "\n".join(best)


def _paragraph_text(paragraph: Selector) -> str:
    return "".join(paragraph.xpath(f".//text()[{_NOT_IN_NOISE}]").getall())
