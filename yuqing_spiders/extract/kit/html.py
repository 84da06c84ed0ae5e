"""Text out of HTML: whitespace, page furniture, selectors, fragments and body blocks.

Two readers of a fragment, for two needs: `inline_text` puts it on one line (a title,
a source name with a search highlight), `paragraphs` / `block_text` keep its lines (an
article body, a post, an official reply). Neither changes the selector it is given.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from lxml import etree
from lxml.html import HtmlElement
from parsel import Selector, SelectorList
from parsel.csstranslator import HTMLTranslator
from scrapy.http import TextResponse

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
    r"\s*(?:\d{1,2}\s*[:：]\s*\d{2}(?:\s*[:：]\s*\d{2})?)?\s*(?:来源于?|出处|作者|编辑|责任编辑)\s*[：:]"
)

# Inside portal article bodies: scripts, frames, and the editor lines 新浪 and 网易 put
# there (`.show_author`, `.ep-editor`).
BODY_NOISE = ("script", "style", "iframe", "noscript", ".show_author", ".ep-editor")
# Elements whose end (and, for the first three, whose start) ends a line when a
# fragment is read by its blocks rather than by its <p>s (posts, replies, 公众号 text).
_LINE_OPENERS = frozenset({"p", "section", "li"})
_LINE_ENDERS = frozenset(
    {"p", "div", "section", "li", "tr", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6"}
)
_BR_TAGS = ("br", "BR", "Br", "bR")


# Headings that open the blocks portals and CMSs put under a story (related links,
# follow-us boxes): the story ends where one starts.
_TAIL_HEADING_RE = re.compile(
    r"^(?:相关(?:文章|新闻|阅读|推荐|链接|报道|专题)|推荐阅读|延伸阅读|热门推荐|热点推荐"
    r"|猜你喜欢|往期回顾|更多精彩|精彩推荐|关注我们|扫码关注|网友评论|热门评论)\s*[：:>》]?\s*$"
)
# Notices that open a block after the story (a disclaimer, a copyright box).
_TAIL_NOTICE_RE = re.compile(r"^[【\[]?(?:免责声明|版权声明|特别声明|郑重声明)")
# Single lines that only ever close a story: reprint terms, follow-us prompts, platform
# disclaimers of self-media pages.
_TAIL_LINE_RE = re.compile(
    r"^(?:转载请注明|本文转载自|本文来源|未经授权.{0,10}转载|扫码关注|长按.{0,6}识别|点击.{0,6}关注)"
    r"|不代表(?:本网|本站|本平台|平台|本号)?(?:的)?(?:观点|立场)"
    r"|下载.{0,12}(?:APP|App|app|客户端)[）)]?$"
)


def cut_tail(lines: list[str]) -> list[str]:
    """The story's lines without what sites put after it: from a related/关注我们 heading
    or a 免责声明/版权声明 notice on, and trailing 转载 / follow-us lines. The first line
    always stays (a story is never only furniture)."""
    for index, line in enumerate(lines[1:], start=1):
        if _TAIL_HEADING_RE.match(line) or _TAIL_NOTICE_RE.match(line):
            lines = lines[:index]
            break
    while len(lines) > 1 and _TAIL_LINE_RE.search(lines[-1]) and len(lines[-1]) <= 80:
        lines = lines[:-1]
    return lines


def single_root(response: TextResponse) -> TextResponse:
    """`response` with one document root. A header include that closes `</html>` early
    makes lxml put the rest of the page (the article, Tieba's thread list) under a
    second root, which `//body//...` never reaches; the closing tags are dropped and
    the page parsed again, as a browser would show it."""
    if len(response.xpath("/*")) <= 1:
        return response
    text = re.sub(r"</\s*(?:body|html)\s*>", "", response.text, flags=re.IGNORECASE)
    # Re-encoded as UTF-8 so the text round-trips; `encoding` keeps the page's charset
    # for whoever records it (callers read it from the original response).
    return response.replace(body=text.encode("utf-8"), encoding="utf-8")


# The text nodes of a node, of a page's <body>, of a fragment, and its <p>s: compiled once.
# parsel evaluates the same expressions on the same lxml trees, but wraps every result in
# a Selector first: ~5 µs a call, a fifth of a site parser's time (issue 13).
_TEXT_NODES = etree.XPath(".//text()", smart_strings=False)
_BODY_TEXT_NODES = etree.XPath("//body//text()", smart_strings=False)
_ALL_TEXT_NODES = etree.XPath("//text()", smart_strings=False)
_PARAGRAPHS = etree.XPath("//p")
# What parsel declares on every Selector (EXSLT regular expressions and sets) and the
# translator it reads CSS with on HTML, so a compiled query means what `.css` means.
_DEFAULT_NAMESPACES = dict(Selector._default_namespaces)
_CSS = HTMLTranslator()


def squash(text: str | None) -> str:
    """Collapse all whitespace (incl. &nbsp; and the ideographic space) to single spaces."""
    # str.split() splits at exactly the characters the regex `\s` matches (str.isspace),
    # at a fifth of `re.sub(r"\s+", " ", text).strip()`'s cost on a long paragraph.
    return " ".join((text or "").split())


def _joined_text(element: etree._Element) -> str:
    """`"".join(element.xpath(".//text()"))`: its text nodes, in document order, joined.
    libxml2 writes an element's text in one call at half the cost of handing Python
    its text nodes (issue 13); a comment or other node keeps the XPath (and its error)."""
    if isinstance(element.tag, str):
        return etree.tostring(element, method="text", encoding="unicode", with_tail=False)
    return "".join(_TEXT_NODES(element))


def node_text(sel: Selector) -> str:
    """The visible text of a node, whitespace collapsed."""
    root = _element(sel)
    if root is None:
        return squash("".join(sel.xpath(".//text()").getall()))
    return squash(_joined_text(root))


def clean_lines(lines: Iterable[str]) -> list[str]:
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


@dataclass(frozen=True)
class Query:
    """A CSS or XPath expression; XPath when it starts with '/', './' or '(' (no CSS
    selector can)."""

    kind: str  # "css" | "xpath"
    text: str

    @classmethod
    def parse(cls, text: str) -> Query:
        text = text.strip()
        return cls("xpath" if text.startswith(("/", "./", "(")) else "css", text)


def select(response: TextResponse | Selector, query: Query) -> SelectorList[Selector]:
    """The nodes a CSS or XPath query selects."""
    if query.kind == "xpath":
        return response.xpath(query.text)
    return response.css(query.text)


def _query(query: Query | str) -> Query:
    return _parsed_query(query) if isinstance(query, str) else query


@lru_cache(maxsize=1024)
def _parsed_query(text: str) -> Query:
    """`Query.parse`, once per text (parsers pass the same few literals per page)."""
    return Query.parse(text)


def _element(sel: TextResponse | Selector) -> etree._Element | None:
    """The lxml element an HTML selector (or a response's) wraps, for the compiled
    queries below; None when they would not mean what parsel's do (a text or JSON
    selector, other namespaces), and the caller asks parsel."""
    selector = sel.selector if isinstance(sel, TextResponse) else sel
    root = selector.root
    if selector.type != "html" or not isinstance(root, etree._Element):
        return None
    return root if selector.namespaces == _DEFAULT_NAMESPACES else None


def _compiled(query: Query) -> tuple[str, etree.XPath]:
    """A query's XPath text and the lxml XPath compiled from it, as parsel compiles it."""
    # Cached by its two strings, whose hashes Python keeps: a Query's own hash is a call
    # into the dataclass's `__hash__`, a dozen times per page (issue 13).
    return _compiled_text(query.kind, query.text)


@lru_cache(maxsize=1024)
def _compiled_text(kind: str, query_text: str) -> tuple[str, etree.XPath]:
    text = query_text if kind == "xpath" else _CSS.css_to_xpath(query_text)
    namespaces = {p: uri for p, uri in _DEFAULT_NAMESPACES.items() if f"{p}:" in text}
    return text, etree.XPath(text, namespaces=namespaces, smart_strings=False)


def _evaluate(root: etree._Element, query: Query) -> list[Any] | None:
    """What `query` selects under `root`, as lxml gives it (elements, strings); None
    when it does not compile or evaluate, so that parsel raises its own error."""
    try:
        found = _compiled(query)[1](root)
    except Exception:  # noqa: BLE001 - the caller asks parsel, which raises as before
        return None
    return found if isinstance(found, list) else [found]


def _result_text(found: Any) -> str:
    """`first_text`'s reading of one XPath result: a string (attribute, text node) as it
    is, an element by its text nodes; a number or boolean has no text nodes."""
    if isinstance(found, str):
        return squash(found)
    if isinstance(found, etree._Element):
        return squash(_joined_text(found))
    return ""


def first_node(sel: TextResponse | Selector, *queries: Query | str) -> Selector | None:
    """The first node of the first query, tried in order, that selects any."""
    root = _element(sel) if queries else None
    for query in queries:
        parsed = _query(query)
        found = None if root is None else _evaluate(root, parsed)
        if found is None:
            nodes = select(sel, parsed)
            if nodes:
                return nodes[0]
        elif found:
            return _as_selector(sel, parsed, found[0])
    return None


def _as_selector(sel: TextResponse | Selector, query: Query, found: Any) -> Selector:
    """The Selector parsel makes of one result of `query` under `sel`."""
    selector = sel.selector if isinstance(sel, TextResponse) else sel
    return selector.__class__(
        root=found, _expr=_compiled(query)[0], namespaces=selector.namespaces, type="html"
    )


def node_texts(sel: TextResponse | Selector, query: Query | str) -> Iterator[str]:
    """`node_text` of every node a query selects, in document order."""
    root = _element(sel)
    parsed = _query(query)
    found = None if root is None else _evaluate(root, parsed)
    if found is None:
        yield from (node_text(node) for node in select(sel, parsed))
        return
    for node in found:
        # A string or number result has no text nodes, as `node_text` reads it.
        yield squash(_joined_text(node)) if isinstance(node, etree._Element) else ""


def text_nodes(sel: TextResponse | Selector, query: Query | str) -> list[str]:
    """The text nodes under every node a query selects, in document order: what
    `sel.css(query).xpath(".//text()").getall()` gives."""
    root = _element(sel)
    parsed = _query(query)
    found = None if root is None else _evaluate(root, parsed)
    if found is None:
        return select(sel, parsed).xpath(".//text()").getall()
    return [
        text for node in found if isinstance(node, etree._Element) for text in _TEXT_NODES(node)
    ]


def all_text(sel: TextResponse | Selector, query: str) -> str:
    """The text of every node a CSS query selects, joined by spaces ('' when none)."""
    return " ".join(node_text(node) for node in sel.css(query))


def first_text(
    sel: TextResponse | Selector,
    *queries: Query | str,
    where: Callable[[str], object] | None = None,
) -> str | None:
    """The text of the first node (or attribute, or text node) that the queries, tried
    in order, select and that has any, whitespace collapsed; with `where`, the first
    whose text passes it too. None when there is none."""
    root = _element(sel) if queries else None
    for query in queries:
        parsed = _query(query)
        found = None if root is None else _evaluate(root, parsed)
        if found is None:
            texts = (
                squash(node.root) if isinstance(node.root, str) else node_text(node)
                for node in select(sel, parsed)
            )
        else:
            texts = (_result_text(node) for node in found)
        for text in texts:
            if text and (where is None or where(text)):
                return text
    return None


def inline_text(html: str | None) -> str | None:
    """The text of an HTML fragment on one line (tags dropped), or None."""
    if not html:
        return None
    text = squash("".join(_ALL_TEXT_NODES(Selector(text=f"<div>{html}</div>").root)))
    return text or None


Fragment = str | Selector | SelectorList[Selector] | None


def paragraphs(
    fragment: Fragment, noise: Iterable[Query | str] = (), *, blocks: bool = False
) -> list[str]:
    """The text lines of an HTML fragment (a string, a node, or the first node of a
    selection), page furniture dropped; `noise` nodes (CSS or XPath) are removed first.

    By default a line is a <p> (split further at its <br>s and source newlines); a
    fragment without <p> is split at its <br>s and newlines. With `blocks`, all its
    text counts and every block element (div, li, h1, ...) ends a line, for text laid
    out in <div>s and <section>s (posts, replies, 公众号 articles)."""
    root = _private_copy(fragment)
    if root is None:
        return []
    for query in noise:
        _drop(root, _query(query))
    _mark_line_ends(root, blocks)
    lines: list[str] = []
    for node in [] if blocks else _PARAGRAPHS(root):
        lines += _joined_text(node).split("\n")
    if not lines:
        lines = "".join(_BODY_TEXT_NODES(root)).split("\n")
    return clean_lines(lines)


# A fragment is read inside this wrapper, as `Selector(text=f"<div>{html}</div>")`
# would put it: <html><body><div>fragment</div></body></html>.
_WRAPPER = Selector(text="<div></div>").root
# Elements lxml would not keep inside a <div> when the fragment's HTML is parsed again.
_DOCUMENT_TAGS = frozenset({"html", "head", "body"})


def _private_copy(fragment: Fragment) -> etree._Element | None:
    """The root of a copy of `fragment` inside `_WRAPPER`, to drop noise from without
    changing the page for later readers; None when the fragment is empty.

    An HTML element is copied as a tree: serialising it and parsing the HTML again
    made the same tree at six times the cost (issue 13). A string, a text node, a
    comment, a document element, a non-HTML selector is parsed from its HTML as before."""
    if isinstance(fragment, SelectorList):
        fragment = fragment[0] if fragment else None
    if isinstance(fragment, Selector) and _copyable(fragment):
        root = copy.deepcopy(_WRAPPER)
        node = copy.deepcopy(fragment.root)
        node.tail = None  # `get()` leaves the tail out too
        root[0][0].append(node)
        return root
    html = fragment if fragment is None or isinstance(fragment, str) else fragment.get()
    if not html:
        return None
    return Selector(text=f"<div>{html}</div>").root


def _copyable(sel: Selector) -> bool:
    """Whether a copy of `sel`'s node is the tree its HTML parses to inside a <div>: an
    element of lxml's HTML parser (so with `drop_tree`), not a comment, not a document
    element (a <body> parsed inside a <div> loses its tag)."""
    element = sel.root
    return (
        sel.type == "html"
        and isinstance(element, HtmlElement)
        and isinstance(element.tag, str)
        and element.tag not in _DOCUMENT_TAGS
    )


def _drop(root: etree._Element, query: Query) -> None:
    """Remove what `query` selects under `root`, as parsel's `drop` does (the tail text
    stays); through parsel itself for what it would refuse (a text node, the root)."""
    found = _evaluate(root, query)
    droppable = found is not None and all(
        hasattr(node, "drop_tree") and node.getparent() is not None for node in found
    )
    if not droppable:
        for selected in select(Selector(root=root, type="html"), query):
            selected.drop()
        return
    for node in found or ():
        node.drop_tree()


def union_query(*queries: Query | str) -> Query:
    """One XPath query for the nodes any of `queries` selects, in document order.

    Meant for a noise list whose selectors test only a node's own tag and attributes
    (`script`, `.share`, `#ad`, `[class^=edit]`): removing a node changes no other
    node's tag or attributes, and a node inside a removed one goes with it, so
    dropping the union drops what the selectors drop one after the other, with one
    evaluation of the fragment instead of one per selector (issue 13). A selector
    that reads a node's place or text (`:first-child`, `p + p`) is not for this."""
    texts = [_compiled(_query(query))[0] for query in queries]
    return Query("xpath", " | ".join(f"({text})" for text in texts))


def block_text(
    fragment: Fragment, noise: Iterable[Query | str] = (), *, blocks: bool = False
) -> str | None:
    """`paragraphs` joined by newlines, or None when nothing is left."""
    return "\n".join(paragraphs(fragment, noise, blocks=blocks)) or None


def _mark_line_ends(root: etree._Element, blocks: bool) -> None:
    """Put a newline where a line ends: at every <br>, and with `blocks` around blocks."""
    if not blocks:
        # Only <br>s (in any case): lxml finds them without a Python object per element.
        for element in root.iter(*_BR_TAGS):
            element.tail = "\n" + (element.tail or "")
        return
    for element in root.iter():
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if tag == "br" or (blocks and tag in _LINE_ENDERS):
            element.tail = "\n" + (element.tail or "")
        if blocks and tag in _LINE_OPENERS:
            element.text = "\n" + (element.text or "")
