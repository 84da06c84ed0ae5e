"""Which departments a matter concerns: the city's 三定 division of duties as terms per bureau.

The bureaus, their duties and terms are in settings/departments.yaml; threshold and
title factor in settings/analysis.yaml. Title and text are read together: a text
without a title gets its departments from the text alone. A department is named when
the weights of its terms found reach the threshold; a title mention counts
`title_factor` times, and a term counts once however often it occurs. The terms found
are the evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from yuqing_spiders.analysis import automaton


@dataclass(frozen=True)
class Department:
    name: str
    unit: str | None
    terms: dict[str, float]


@dataclass
class Finding:
    name: str
    unit: str | None
    score: float
    terms: list[str]


class DepartmentRules:
    """The compiled department rules: one automaton over every term of every department."""

    def __init__(self, departments: list[Department], threshold: float, title_factor: float):
        self.departments = {d.name: d for d in departments}
        self.threshold = threshold
        self.title_factor = title_factor
        owners: dict[str, list[tuple[str, float]]] = {}
        for dept in departments:
            for term, weight in dept.terms.items():
                owners.setdefault(term, []).append((dept.name, weight))
        # Searches a two-symbol code of the text (analysis/automaton.py).
        self._automaton = automaton.build(
            {term: (term, tuple(owned)) for term, owned in owners.items()}
        )

    def _scores(self, text: str, factor: float, found: dict[str, dict[str, float]]) -> None:
        for _end, (term, owned) in self._automaton.iter_long(text):
            for dept, weight in owned:
                terms = found.setdefault(dept, {})
                terms[term] = max(terms.get(term, 0.0), weight * factor)

    def judge(self, title: str | None, content: str | None) -> list[Finding]:
        """The departments whose terms reach the threshold, strongest first."""
        found: dict[str, dict[str, float]] = {}
        self._scores(title or "", self.title_factor, found)
        self._scores(content or "", 1.0, found)
        findings = []
        for name, terms in found.items():
            score = sum(terms.values())
            if score >= self.threshold:
                ordered = sorted(terms, key=lambda t: -terms[t])
                findings.append(Finding(name, self.departments[name].unit, score, ordered))
        findings.sort(key=lambda f: (-f.score, f.name))
        return findings


def compile_departments(
    section: dict[str, Any] | None, table: dict[str, Any] | None = None
) -> DepartmentRules:
    """DepartmentRules from the `departments` section and the bureaus' table
    (settings/departments.yaml; a `rules` mapping in the section adds to it);
    raises ValueError on a bad rule."""
    section = section or {}
    departments = []
    bureaus = {**(table or {}), **(section.get("rules") or {})}
    for name, rule in bureaus.items():
        if not isinstance(rule, dict) or not isinstance(rule.get("terms"), dict):
            raise ValueError(f"departments.rules.{name}: needs a `terms` mapping of term: weight")
        terms = {str(t): float(w) for t, w in rule["terms"].items() if float(w) > 0}
        departments.append(Department(str(name), rule.get("unit"), terms))
    return DepartmentRules(
        departments,
        float(section.get("threshold", 3)),
        float(section.get("title_factor", 2)),
    )
