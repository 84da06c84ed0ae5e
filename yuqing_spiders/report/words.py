"""The report in words an officer reads: level reasons, failure causes, and Markdown
that shows a title as it was written (escaped), whatever characters it holds.

The analysis stores reasons as stable codes (`key_media:central_key`, `risk:sudden`,
`front_page:sina`; yuqing_spiders/analysis/level.py) for other systems to match on;
the report says what they mean.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

TIERS = {
    "central_key": "中央重点", "provincial_key": "省级重点", "local": "地方", "government": "政务",
    "commercial": "商业", "self_media": "自媒体",
}  # fmt: skip
RISKS = {"sudden": "涉突发", "sensitive": "涉敏感", "mass": "涉群体性", "inciting": "涉煽动"}
SENTIMENTS = {"negative": "负面倾向", "neutral": "中性", "positive": "正面倾向"}
# The front pages and hot lists the frontpage source watches, by their `site` keys
# (spiders/frontpage/parse.py): a front page reads "<site>首页", a hot list by its name.
SITES = {
    "sina": "新浪首页", "netease": "网易首页", "tencent": "腾讯首页", "sohu": "搜狐首页",
    "ifeng": "凤凰网首页", "people": "人民网首页", "thepaper": "澎湃新闻首页",
    "weibo_hot": "微博热搜", "baidu_hot": "百度热搜", "toutiao_hot": "今日头条热榜",
}  # fmt: skip
_THRESHOLD = re.compile(r"^(heat|sites)>=(\d+(?:\.\d+)?)$")


def reason_in_words(code: str, platforms: Mapping[str, str] | None = None) -> str:
    """`key_media:central_key` -> 中央重点媒体刊载; an unknown code is shown as it is."""
    kind, _, value = code.partition(":")
    if kind == "risk" and value in RISKS:
        return RISKS[value]
    if kind == "key_media":
        return f"{TIERS.get(value, value)}媒体刊载"
    if kind == "front_page":
        return SITES.get(value, f"{value}首页")
    if kind == "sentiment":
        return SENTIMENTS.get(value, value)
    if kind == "platform":
        return f"{(platforms or {}).get(value, value)}平台"
    if kind == "local":
        unit = value.removeprefix("watch:")
        return f"涉及{unit}"
    threshold = _THRESHOLD.match(code)
    if threshold:
        what, number = threshold.groups()
        return f"热度达{number}" if what == "heat" else f"{number}个以上站点转载"
    return {
        "big_v": "大V发布",
        "central_first": "中央媒体首发",
        "fresh": "新近发布",
    }.get(code, code)


def reasons_in_words(codes: list[str], platforms: Mapping[str, str] | None = None) -> list[str]:
    return list(dict.fromkeys(reason_in_words(c, platforms) for c in codes))


# Why a source's requests failed (spiders/_base/spider.py `failure_reason`).
_FAILURES = {
    "dns": "域名解析失败",
    "timeout": "连接超时",
    "refused": "连接被拒绝",
    "truncated": "响应不完整",
    "connection_lost": "连接中断",
}


def failure_in_words(reason: str) -> str:
    if reason in _FAILURES:
        return _FAILURES[reason]
    if reason.startswith("http_"):
        return f"网站返回 HTTP {reason[5:]}"
    if reason.startswith("item_"):
        return f"入库前处理出错（{reason[5:]}）"
    if reason.startswith("parse_"):
        return f"页面解析出错（{reason[6:]}）"
    return reason


# --- Markdown ---------------------------------------------------------------------------
# Characters that start emphasis, code, links, headings or table cells anywhere in a
# line ("." and "-" only matter at a line's start, which a cell or heading never is).
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|~>])")


def md_escape(text: object) -> str:
    """Text shown literally in Markdown: every mark-up character escaped, HTML made
    inert, one line (a newline would end a table row or a heading)."""
    value = " ".join(str(text).split())
    value = value.replace("&", "&amp;").replace("<", "&lt;")
    return _MD_SPECIAL.sub(r"\\\1", value)


def md_link(title: object, url: str | None) -> str:
    """`[title](url)` with the title escaped and the URL unable to end the link."""
    if not url:
        return md_escape(title)
    safe = url.replace(" ", "%20").replace("(", "%28").replace(")", "%29").replace("<", "%3C")
    return f"[{md_escape(title)}]({safe})"
