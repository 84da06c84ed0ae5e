"""Risk flags: sensitive, sudden (by the national emergency classes), mass incident, inciting.

Terms come from the shipped lexicons (yuqing_spiders/data/lexicons, weights 1-3,
`#` lines naming sub-categories) plus the per-term overrides in settings/analysis.yaml.
A flag is raised when the weights of the terms found add up to its threshold. A term
is not counted when it is negated in its clause (未发生伤亡, 网传爆炸系谣言), and a
short term only counts on word boundaries (集合 in 集合体 does not); figurative
phrases (信息爆炸, 爆炸式增长) are not read at all. An item whose title is about
preventing an event (会议, 部署, 专项整治, 演练, 检查) and that names no incident
(发生, 造成, 受伤 ...) raises no `sudden`: the prevention words are its evidence
(`evidence["prevention"]`).
Every counted term, its flag and the negated ones are kept as evidence.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from yuqing_spiders.analysis import automaton, tokens
from yuqing_spiders.model.resources import read_text

FLAGS = ("sensitive", "sudden", "mass", "inciting")
# The four classes of 《国家突发公共事件总体应急预案》 §1.3, as the lexicon's sections name them.
SUDDEN_CLASSES = ("自然灾害", "事故灾难", "公共卫生事件", "社会安全事件")
_CLAUSE_END = re.compile(r"[，。！？；;!?,\n]")


@lru_cache(maxsize=32)
def _clause_marks(text: str) -> tuple[int, ...]:
    """Offsets of the punctuation that ends clauses in `text`."""
    return tuple(m.start() for m in _CLAUSE_END.finditer(text))


@dataclass(frozen=True)
class Term:
    flag: str
    weight: float
    section: str


@dataclass
class RiskResult:
    sensitive: bool = False
    sudden: bool = False
    mass: bool = False
    inciting: bool = False
    terms: list[str] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)
    evidence: dict[str, list[str]] = field(default_factory=dict)
    sudden_classes: list[str] = field(default_factory=list)
    negated: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """What `dataclasses.asdict` gives (the same keys in the same order, new lists
        and dicts), without its recursive deep copy (~0.03 ms per item): the values
        inside are strings and floats, which need no copy."""
        return {
            "sensitive": self.sensitive,
            "sudden": self.sudden,
            "mass": self.mass,
            "inciting": self.inciting,
            "terms": list(self.terms),
            "scores": dict(self.scores),
            "evidence": {flag: list(terms) for flag, terms in self.evidence.items()},
            "sudden_classes": list(self.sudden_classes),
            "negated": list(self.negated),
        }


def read_lexicon(path: Path, flag: str) -> dict[str, Term]:
    """term -> Term from a `term<TAB>weight` file; `#` lines start a section."""
    terms: dict[str, Term] = {}
    section = ""
    for number, line in enumerate(read_text(path).splitlines(), 1):
        line = line.strip()
        if not line:
            continue
        if line.startswith("#"):
            section = re.split(r"[:：(（ ]", line.lstrip("# "), maxsplit=1)[0]
            continue
        term, _, weight = line.partition("\t")
        try:
            terms[term.strip()] = Term(flag, float(weight or 1), section)
        except ValueError as error:
            raise ValueError(f"{path}:{number}: weight must be a number, not {weight!r}") from error
    return terms


class RiskRules:
    def __init__(self, lexicon: dict[str, list[Term]], section: dict[str, Any]) -> None:
        self.thresholds = {f: float((section.get("threshold") or {}).get(f, 3)) for f in FLAGS}
        self.title_factor = float(section.get("title_factor", 1.5))
        self.negation_before = frozenset(section.get("negation_before") or ())
        self.negation_after = tuple(section.get("negation_after") or ())
        self.window = int(section.get("negation_window", 6))
        self.short_max = int(section.get("short_term_max", 2))
        prevention = section.get("prevention") or {}
        self.prevention_words = tuple(prevention.get("words") or ())
        self.incident_words = tuple(prevention.get("incident_words") or ())
        self.prevention_flags = tuple(prevention.get("flags") or ("sudden",))
        # Figurative phrases (信息爆炸, 爆炸式增长) are blanked out before the scan.
        self.figurative = re.compile(
            "|".join(map(re.escape, sorted(section.get("figurative") or (), key=len)[::-1]))
            or "(?!)"
        )
        self.size = len(lexicon)
        # Searches a two-symbol code of the text (analysis/automaton.py), which finds
        # what a plain automaton finds: a plain one's root has a child per first
        # character of a term and cost ~0.13 ms per 1,100-character article, this 0.05.
        self._automaton = automaton.build(
            {term: (term, tuple(entries)) for term, entries in lexicon.items()}
        )

    def _lookback(self, text: str, start: int) -> int:
        """Where a negation before the term at `start` may begin: its clause, at most
        `window` characters back."""
        marks = _clause_marks(text)
        before = bisect.bisect_left(marks, start)
        clause_start = marks[before - 1] + 1 if before else 0
        return max(clause_start, start - self.window)

    def _negated(self, text: str, start: int, end: int, low: int, words: tokens.Words) -> bool:
        marks = _clause_marks(text)
        after = bisect.bisect_left(marks, end)
        tail = text[end : marks[after] if after < len(marks) else len(text)]
        if any(phrase in tail for phrase in self.negation_after):
            return True
        for word, w_start, w_end in words:
            if w_start < low:
                continue
            if w_end > start:
                return False
            if word in self.negation_before:
                return True
        return False

    def _scan(
        self,
        text: str,
        factor: float,
        found: dict[tuple[str, str], float],
        negated: set[str],
        sections: dict[str, str],
    ) -> None:
        if not text or not self.size:
            return
        for end, (term, entries) in self._automaton.iter_long(text):
            start = end - len(term) + 1
            stop = end + 1
            low = self._lookback(text, start)
            # Only the stretch from a possible negation to the term is segmented.
            words = tokens.words_between(text, low, stop)
            # Chinese compounds put the head last: a short term that ends a word keeps its
            # sense (人员伤亡), one that ends inside a longer word does not (集合体).
            if len(term) <= self.short_max and all(w_end != stop for _w, _s, w_end in words):
                continue
            if self._negated(text, start, stop, low, words):
                negated.add(term)
                continue
            for entry in entries:
                key = (entry.flag, term)
                found[key] = max(found.get(key, 0.0), entry.weight * factor)
                sections[term] = entry.section

    def _literal(self, text: str) -> str:
        """`text` with its figurative phrases blanked (same length: offsets stay)."""
        return self.figurative.sub(lambda m: "　" * len(m.group()), text)

    def _prevention(self, title: str, content: str) -> list[str]:
        """The prevention words when the item is work about preventing an event and
        names no incident; empty otherwise. The title decides what the item is about."""
        words = [w for w in self.prevention_words if w in title]
        if not words:
            return []
        if any(w in title or w in content for w in self.incident_words):
            return []
        return words

    def judge(self, title: str | None, content: str | None) -> RiskResult:
        found: dict[tuple[str, str], float] = {}
        negated: set[str] = set()
        sections: dict[str, str] = {}
        title, content = self._literal(title or ""), self._literal(content or "")
        self._scan(title, self.title_factor, found, negated, sections)
        self._scan(content, 1.0, found, negated, sections)
        result = RiskResult()
        prevention = self._prevention(title, content)
        for flag in FLAGS:
            terms = sorted((t for f, t in found if f == flag), key=lambda t: -found[(flag, t)])
            score = sum(found[(flag, t)] for t in terms)
            result.scores[flag] = round(score, 2)
            if terms:
                result.evidence[flag] = terms
            prevented = bool(prevention) and flag in self.prevention_flags
            setattr(result, flag, score >= self.thresholds[flag] and not prevented)
        result.terms = list(dict.fromkeys(t for f in FLAGS for t in result.evidence.get(f, ())))
        if result.sudden:
            classes = {sections[t] for t in result.evidence["sudden"]}
            result.sudden_classes = [c for c in SUDDEN_CLASSES if c in classes]
        result.negated = sorted(negated - set(result.terms))
        if prevention:
            # Work about preventing an event: why `sudden` stays down although its terms add up.
            result.evidence["prevention"] = prevention
        return result


def compile_risk(section: dict[str, Any] | None, data_dir: Path) -> RiskRules:
    """RiskRules from the `risk` section: lexicon files, then the per-term overrides."""
    section = section or {}
    lexicon: dict[str, list[Term]] = {}
    for flag, name in (section.get("lexicons") or {}).items():
        if flag not in FLAGS:
            raise ValueError(f"risk.lexicons: unknown flag {flag!r}; one of {', '.join(FLAGS)}")
        for term, entry in read_lexicon(data_dir / name, flag).items():
            lexicon.setdefault(term, []).append(entry)
    for flag, overrides in (section.get("weights") or {}).items():
        for term, weight in (overrides or {}).items():
            kept = [e for e in lexicon.get(str(term), []) if e.flag != flag]
            if float(weight) > 0:
                section_name = next(
                    (e.section for e in lexicon.get(str(term), []) if e.flag == flag), "custom"
                )
                kept.append(Term(flag, float(weight), section_name))
            lexicon[str(term)] = kept
    return RiskRules({t: e for t, e in lexicon.items() if e}, section)
