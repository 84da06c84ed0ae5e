"""Reading the lines Chinese news pages print around a story: the title with its site
suffix, '来源：X', '作者：X', '（记者 X）', '责任编辑：X'.

Site parsers know where such a line is; these read it the same way everywhere (the
generic extractor too).
"""

from __future__ import annotations

import re

from yuqing_spiders.extract.kit.html import squash

# Stop words that end a value on a meta line ("来源：江西日报 作者：…").
# 参与互动 / 评论 / 收藏: the links chinanews and portals glue onto the source's link.
_FIELD_END = (
    r"(?=\s|$|[|｜/,，;；]|作者|编辑|责任编辑|记者|时间|发布(?:时间|日期|于)|浏览|点击|字号|分享"
    r"|参与互动|我要评论|评论|收藏|打印)"
)
_SOURCE_RE = re.compile(r"(?:来源于|来源|来自|稿源|出处|文章来源)\s*[：:]\s*(.+?)" + _FIELD_END)
# An empty '作者：' followed by '责任编辑：X' (china.com.cn) names no author: the value
# never crosses a line or starts with the editor's label.
_AUTHOR_FIELD_RE = re.compile(
    r"(?:作者|撰稿)[^\S\n]*[：:][^\S\n]*(?!责任|责编|编辑)([^\n]+?)"
    r"(?=\s{2,}|\n|$|[|｜]|来源|责任|编辑|时间|发布)"
)
# A byline in parentheses at the start of a story: "（记者 王晓明）", "(本报记者 周婷 通讯员 陈某)".
PAREN_BYLINE_RE = re.compile(r"[（(]\s*([^（）()]{0,12}?(?:记者|通讯员|作者)[^（）()]{1,40})[）)]")
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


# A site name glued on without spaces ("标题-电子技术设计") or after one space
# ("标题 南昌市第九医院"): only cut when the name looks like a site or an institution,
# since titles use "-" too ("南昌-九江高铁开工").
_GLUED_SUFFIX_RE = re.compile(
    r"^(?P<title>.{6,}?)(?:[-－—]|\s)(?P<site>[^\s\d\-－—,，。！？:：]{2,16})$"
)
_SITE_WORD_RE = re.compile(
    r"(?:网|网站|在线|频道|门户|官网|之家|论坛|日报|晚报|报社|杂志|周刊|电视台|客户端"
    r"|医院|人民政府|委员会|大学|学院)$"
)


def strip_title_suffix(title: str | None, site_names: tuple[str, ...] = ()) -> str | None:
    """'标题--江西频道--人民网' -> '标题': Chinese sites put the title first. A name glued
    on ('标题-电子技术设计', '标题 某某医院') goes too when it looks like a site or is
    one of `site_names` (names the page shows elsewhere)."""
    if not title:
        return None
    parts = [p for p in _TITLE_SPLIT_RE.split(squash(title)) if p]
    if not parts:
        return None
    glued = glued_suffix(parts[0])
    if glued and (_SITE_WORD_RE.search(glued[1]) or glued[1] in site_names):
        return glued[0]
    return parts[0]


def glued_suffix(title: str) -> tuple[str, str] | None:
    """('标题', '电子技术设计') for '标题-电子技术设计' or '标题 电子技术设计', else None:
    a possible site name after the title, for the caller to confirm."""
    match = _GLUED_SUFFIX_RE.match(squash(title))
    return (match["title"].strip(), match["site"]) if match else None


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
    for pattern in (_AUTHOR_FIELD_RE, PAREN_BYLINE_RE):
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


def byline_author(paragraphs: list[str]) -> str | None:
    """'（记者 王晓明）' or '记者 王晓明' in the first lines of the story."""
    for line in paragraphs[:2]:
        if found := author_from_text(line):
            return found
    return None
