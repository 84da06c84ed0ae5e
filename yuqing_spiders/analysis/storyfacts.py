"""The facts of a story, for grouping reports that rewrite it (docs/analysis.md, events).

Two outlets rewriting one story keep its facts and change its wording: the date
(11月24日), the quantities (68毫米, 600户, 10小时), the places and organisations named
(红谷滩区, 凤凰洲, 应急管理局). Two different stories at the same place share the place
and often the day, but not the rest, and their headlines say different things. So an
item's story key is
  - `facts`: dates, quantities and names from the title and the lead of the body;
  - `title_words`: the headline's words that say what happened (车库, 积水), i.e. not
    facts and not generic words.
The event index (analysis/events.py) groups two items by this key when they share at
least EVENTS_STORY_MIN_FACTS facts, a place among them, those cover
EVENTS_STORY_OVERLAP of the smaller set, their headlines share a word, and they were
published within EVENTS_STORY_WINDOW_HOURS of each other.

Pure functions; words come from the shared jieba tokens (analysis/tokens.py) of the
item's own title and content strings, which the risk stage segmented already.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from yuqing_spiders.analysis.tokens import words, words_within
from yuqing_spiders.model.text import nfkc


def _listed(text: str) -> list[str]:
    """Word lists are written space-separated: one line holds many Chinese words."""
    return text.split()


# A name ends in one of these: places, then organisations. A place must be among the
# shared facts: the same storm flooding car parks in two districts is two stories.
PLACE_SUFFIXES = (
    "省", "市", "区", "县", "镇", "乡", "村", "街道", "社区", "小区", "路", "街", "大道",
    "洲", "湖", "桥", "广场", "公园", "景区", "机场", "车站", "站", "花园", "苑", "大厦",
)  # fmt: skip
ORG_SUFFIXES = (
    "局", "委", "委员会", "医院", "学校", "中学", "小学", "大学", "学院", "幼儿园", "公司",
    "集团", "中心", "所", "队", "法院", "检察院", "银行", "酒店", "市场", "商场", "厂",
)  # fmt: skip
NAME_SUFFIXES = PLACE_SUFFIXES + ORG_SUFFIXES
# Words that never start or continue a name: they cut the run of words before a suffix
# ("记者 从 红 谷 滩区" -> 红谷滩区, not 记者从红谷滩区).
BREAKS = frozenset(
    _listed(
        "从 在 于 的 了 和 与 及 对 向 到 据 是 为 由 将 把 被 一 某 该 等 后 前 晚 今 昨 "
        "记者 获悉 位于 来自 家住 住在 发生 其中 以及 全市 全省 全区 我市 我省 本市 当地"
    )
)
# Names too common to tell stories apart: the city and province everything here is in.
GENERIC_NAMES = frozenset(
    _listed(
        "南昌 南昌市 江西 江西省 中国 全国 小区 社区 该小区 市 区 县 省 中心 公司 学校 医院 "
        "全市 全省 全区 市区 城区 市场"
    )
)
# Headline words that say nothing of what happened.
GENERIC_TITLE_WORDS = frozenset(
    _listed(
        "南昌 江西 一个 一名 一位 一家 发布 通报 回应 最新 记者 今日 今天 昨日 昨天 "
        "多名 多人 多辆 部分 相关 情况 关于 进行 开展 举行 发生 出现 附近"
    )
)
# A date, unless it is the dateline (人民网南昌11月25日电): every story of the day has that.
DATE = re.compile(r"(\d{1,2})月(\d{1,2})日(?!电)")
# Units of a quantity worth matching (longest first); years and times of day are not
# facts of a story (every story of the day shares them).
UNITS = sorted(
    _listed(
        "户 人 名 辆 元 万元 亿元 小时 天 岁 米 毫米 厘米 公里 千米 吨 家 起 栋 层 套 间 所 座 "
        "条 处 个 件 次 % ℃ 平方米 亩 只 头 台 部 位 艘 架 万人 分钟 公斤 千克 度"
    ),
    key=len,
    reverse=True,
)
# A number with its unit: 68毫米, 600户, 10小时, 200余人, 3.5万元.
QUANTITY = re.compile(r"(\d+(?:\.\d+)?)(万|亿)?(?:余|多)?(" + "|".join(map(re.escape, UNITS)) + ")")
MAX_NAME_WORDS = 3  # words joined before a suffix
MAX_FACTS = 16  # kept per item, first found first (title, then lead)


@dataclass(frozen=True)
class StoryKey:
    facts: tuple[str, ...]
    title_words: tuple[str, ...]
    # one letter per fact: d date, q quantity, p place, o organisation
    kinds: str = ""

    @property
    def empty(self) -> bool:
        return not self.facts


CJK_ONLY = re.compile("[\u4e00-\u9fff]+")


def _cjk(token: str) -> bool:
    """Only CJK unified ideographs (one regex match: called for every word of the lead)."""
    return CJK_ONLY.fullmatch(token) is not None


def _fold(text: str) -> str:
    return nfkc(text)  # NFKC (model/text.py: the same result, cheaper)


ANY_DATE = re.compile(r"\d{1,2}月\d{1,2}日")


def _dates_and_quantities(text: str) -> list[tuple[str, str]]:
    if "月" not in text or "日" not in text:
        # No date can match: two regex scans fewer (8 us of 22 on a 300-character
        # lead without a date; a substring test is a fast search).
        return [("".join(parts), "q") for parts in QUANTITY.findall(text)]
    found = [(f"{int(m)}月{int(d)}日", "d") for m, d in DATE.findall(text)]
    # Dates (and datelines) out first, so that 24日 is not read as a quantity.
    stripped = ANY_DATE.sub(" ", text)
    found += [("".join(parts), "q") for parts in QUANTITY.findall(stripped)]
    return found


# Per word: can it be part of a name (CJK, not a break, not generic), and does it end
# one (None, "p" place, "o" organisation). Words repeat from item to item, and the
# regex and suffix tests per word of every lead cost 0.1 ms per item (issue 13).
_ROLES: dict[str, tuple[bool, str | None]] = {}
MAX_ROLES = 50_000  # distinct words remembered; cleared when full


def _role(token: str) -> tuple[bool, str | None]:
    found = _ROLES.get(token)
    if found is None:
        usable = _cjk(token) and token not in BREAKS and token not in GENERIC_NAMES
        ends: str | None = None
        if token.endswith(NAME_SUFFIXES):
            ends = "p" if token.endswith(PLACE_SUFFIXES) else "o"
        found = (usable, ends)
        if len(_ROLES) >= MAX_ROLES:
            _ROLES.clear()
        _ROLES[token] = found
    return found


def _names(tokens: list[str]) -> list[tuple[str, str]]:
    """Runs of words ending in a name suffix, cut at BREAKS and punctuation."""
    names: list[tuple[str, str]] = []
    run: list[str] = []
    roles = _ROLES
    for token in tokens:
        usable, ends = roles.get(token) or _role(token)  # inline hit: most words are known
        if not usable:
            run = []
            continue
        run.append(token)
        if ends is not None:
            name = "".join(run[-MAX_NAME_WORDS:])
            if len(name) < 3:
                continue  # 湖 of 湖 坊 镇: the name goes on
            if name not in GENERIC_NAMES:
                names.append((name, ends))
            run = []
    return names


def story_key(title: str | None, content: str | None, *, lead_chars: int = 300) -> StoryKey:
    """The facts of the title and the first `lead_chars` characters of the body, and the
    headline's event words."""
    title = title or ""
    content = content or ""
    # The words of the item's own strings: the risk stage segmented them already, so
    # these are cache hits (analysis/tokens.py).
    title_tokens = [w for w, _, _ in words(title)] if title else []
    lead_tokens = [w for w, _, _ in words_within(content, lead_chars)] if content else []
    facts: list[tuple[str, str]] = []
    for text, tokens in ((title, title_tokens), (content[:lead_chars], lead_tokens)):
        facts += _dates_and_quantities(_fold(text))
        facts += _names(tokens)
    kinds = dict(reversed(facts))  # the first kind a fact was found with
    unique = list(dict.fromkeys(fact for fact, _ in facts))[:MAX_FACTS]
    title_words = [
        w
        for w in title_tokens
        if len(w) >= 2
        and _cjk(w)
        and w not in GENERIC_TITLE_WORDS
        and not any(w in fact for fact in unique)
        and not w.endswith(NAME_SUFFIXES)
    ]
    return StoryKey(
        tuple(unique), tuple(dict.fromkeys(title_words)), "".join(kinds[f] for f in unique)
    )
