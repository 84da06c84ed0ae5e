"""The office's watch-list: which items concern which unit (settings/watchlist.yaml).

A rule belongs to a unit (南昌市, a district, county or zone, a department) and is a
boolean combination of terms: every group in `all` (a term, or a list of synonyms of
which one suffices), at least one term of `any` when given, and none of `not`.
`query`, when set, is what the search spiders send to search engines for the rule.

Matching is pure: one Aho-Corasick pass (pyahocorasick) finds every term of every rule
in the text, then each rule is evaluated on the set found. Text is NFKC-folded and
lower-cased first, so full-width and upper-case forms match their plain terms.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from operator import itemgetter
from pathlib import Path
from typing import Any

import ahocorasick
import yaml

from yuqing_spiders.model.items import RuleMatch
from yuqing_spiders.model.outcome import ConfigError
from yuqing_spiders.model.resources import load_yaml
from yuqing_spiders.model.text import nfkc

# The term of an automaton match (end offset, term).
_term = itemgetter(1)


def fold(text: str) -> str:
    """The form both terms and texts are compared in: NFKC (its fast path for Chinese
    text, model/text.py), lower case."""
    return nfkc(text).lower()


@dataclass(frozen=True)
class Rule:
    id: str
    unit: str
    kind: str = "city"  # city | district | county | zone | department
    # Each group is satisfied by any one of its terms; every group must be satisfied.
    all: tuple[tuple[str, ...], ...] = ()
    any: tuple[str, ...] = ()
    not_: tuple[str, ...] = ()
    query: str | None = None

    def terms(self) -> set[str]:
        return {t for group in self.all for t in group} | set(self.any) | set(self.not_)

    @cached_property
    def _folded(self) -> dict[str, str]:
        """Each term's folded form, once: folding every term for every item cost 0.05 ms."""
        return {t: fold(t) for t in self.terms()}

    @cached_property
    def _plan(self) -> tuple[frozenset[str], tuple[tuple[tuple[str, str], ...], ...]]:
        """The folded `not` terms, and the `all` groups then `any` as (term, folded)
        pairs, once: evaluate() then makes no dict look-up per term (a dozen rules are
        evaluated per item, ~5 us each before)."""
        folded = self._folded
        groups = tuple(tuple((t, folded[t]) for t in group) for group in self.all)
        if self.any:
            groups += (tuple((t, folded[t]) for t in self.any),)
        return frozenset(folded[t] for t in self.not_), groups

    def evaluate(self, found: set[str]) -> list[str] | None:
        """The terms that make the rule match `found`, or None when it does not: every
        `all` group and `any` (when given) with a term found, no `not` term found."""
        excluded, groups = self._plan
        if not excluded.isdisjoint(found):
            return None
        hits: list[str] = []
        for group in groups:
            present = [t for t, folded in group if folded in found]
            if not present:
                return None
            hits += present
        return list(dict.fromkeys(hits)) or None


@dataclass
class Watchlist:
    rules: list[Rule] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._automaton = ahocorasick.Automaton()
        for term in {fold(t) for rule in self.rules for t in rule.terms()}:
            self._automaton.add_word(term, term)
        if len(self._automaton):
            self._automaton.make_automaton()
        # Folded `all`/`any` term -> the positions of the rules it can make match: a
        # rule none of whose such terms is found cannot match, and evaluating every rule
        # for every item was half of the stage's CPU (issue 13).
        self._rules_of: dict[str, list[int]] = {}
        for index, rule in enumerate(self.rules):
            wanted = {fold(t) for group in rule.all for t in group} | {fold(t) for t in rule.any}
            for term in wanted:
                self._rules_of.setdefault(term, []).append(index)

    def found_terms(self, text: str | None) -> set[str]:
        """Every watch-list term (folded) that occurs in `text`."""
        if not text or not len(self._automaton):
            return set()
        return set(map(_term, self._automaton.iter(fold(text))))

    def match(self, text: str | None) -> list[RuleMatch]:
        """The rules `text` matches, in watch-list order, with the terms that matched."""
        found = self.found_terms(text)
        matches: list[RuleMatch] = []
        if not found:
            return matches  # a rule needs a term found (`all` or `any`): none can match
        rules_of = self._rules_of
        candidates = sorted({index for term in found for index in rules_of.get(term, ())})
        for index in candidates:
            rule = self.rules[index]
            terms = rule.evaluate(found)
            if terms:
                matches.append(RuleMatch(rule=rule.id, unit=rule.unit, terms=terms))
        return matches

    def searches(self) -> list[Rule]:
        """Rules with a search query, in watch-list order (their order is their priority)."""
        return [rule for rule in self.rules if rule.query]

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)


def _terms(raw: Any, where: str, path: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    values = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else None
    if values is None or not all(isinstance(v, str) and v.strip() for v in values):
        raise ConfigError(f"terms must be non-empty strings, got {raw!r}", path=path, key=where)
    return tuple(v.strip() for v in values)


def _groups(raw: Any, rule_id: str, path: str) -> tuple[tuple[str, ...], ...]:
    """`all`: every group must be found; a group is a term or a list of terms."""
    where = f"rules.{rule_id}.all"
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ConfigError("a list of term groups", path=path, key=where)
    groups = tuple(_terms(g, where, path) for g in raw)
    if any(not group for group in groups):
        # `all: [[]]` loads as a group no text can satisfy: the rule would never match.
        raise ConfigError("an empty group can never match", path=path, key=where)
    return groups


def _rule(raw: Any, path: str) -> Rule:
    if not isinstance(raw, dict):
        raise ConfigError(f"a rule must be a mapping, got {raw!r}", path=path, key="rules")
    rule_id = raw.get("id")
    if not rule_id or not raw.get("unit"):
        raise ConfigError(f"a rule needs an id and a unit: {raw!r}", path=path, key="rules")
    groups = _groups(raw.get("all"), str(rule_id), path)
    rule = Rule(
        id=str(rule_id),
        unit=str(raw["unit"]),
        kind=str(raw.get("kind", "city")),
        all=groups,
        any=_terms(raw.get("any"), f"rules.{rule_id}.any", path),
        not_=_terms(raw.get("not"), f"rules.{rule_id}.not", path),
        query=raw.get("query") or None,
    )
    if not rule.all and not rule.any:
        # A rule of only `not` terms would match every item that lacks them.
        raise ConfigError("no `all` or `any` terms", path=path, key=f"rules.{rule_id}")
    return rule


def load_watchlist(path: str | Path) -> Watchlist:
    """The watch-list of `path`; ConfigError (naming the file and the rule) when a
    rule cannot work, so the command stops at start-up with one line."""
    name = str(path)
    try:
        data = load_yaml(path) or {}
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"not valid YAML{where}", path=name) from None
    raw_rules = data.get("rules") if isinstance(data, dict) else None
    if raw_rules is not None and not isinstance(raw_rules, list):
        raise ConfigError("`rules:` must be a list", path=name, key="rules")
    rules = [_rule(raw, name) for raw in raw_rules or ()]
    ids = [r.id for r in rules]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise ConfigError(f"rule ids repeat: {', '.join(duplicated)}", path=name, key="rules")
    return Watchlist(rules)
