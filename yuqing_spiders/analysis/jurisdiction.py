"""属地: which province, city, and for Nanchang which district, zone and town an item is about.

Every place name in title and content is found with the gazetteer's automaton. Names
that exist elsewhere or are ordinary words count only in Nanchang/Jiangxi context and
never right after another city's name; the poster's IP属地, their stated location and
the site's own locality add a little weight and give context. Then each level is
voted: the place with most weight wins (title mentions weigh more), ties go to the
earliest. The evidence lists the mentions that decided it, `ignored` the ones that
did not count and why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from yuqing_spiders.analysis.gazetteer import CONTEXT, JIANGXI, NANCHANG

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from yuqing_spiders.analysis.gazetteer import Gazetteer, Name, Place

# "IP属地：江西" as Weibo, Douyin and forum pages print it inside the post text.
_IP_IN_TEXT = re.compile(r"IP\s*属地\s*[:：]?\s*([\u4e00-\u9fff]{2,8})")
_LOCAL_FIELDS = ("ip_location", "author_location", "source_locality")


@dataclass(frozen=True)
class Hit:
    field: str  # title | content | ip_location | author_location | source_locality
    start: int
    surface: str
    place: Place
    weight: float
    note: str = ""

    def describe(self) -> str:
        text = f"{self.field}:{self.surface}"
        if self.surface != self.place.name:
            text += f"→{self.place.name}"
        return f"{text} ({self.note})" if self.note else text


@dataclass
class Result:
    province: str | None = None
    city: str | None = None
    district: str | None = None
    zone: str | None = None
    town: str | None = None
    codes: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)


def ip_location_in(text: str | None) -> str | None:
    """The IP属地 a post prints in its own text, if any."""
    match = _IP_IN_TEXT.search(text or "")
    return match.group(1) if match else None


def source_locality(url: str | None, localities: dict[str, str]) -> str | None:
    """Where the site of `url` is based, by the longest matching domain suffix."""
    host = (urlsplit(url).hostname or "") if url else ""
    best = ""
    for suffix in localities:
        if (host == suffix or host.endswith("." + suffix)) and len(suffix) > len(best):
            best = suffix
    return localities[best] if best else None


class _Scan:
    """The mentions in one text, with the ones that could not count set aside."""

    def __init__(self, gaz: Gazetteer, rules: dict[str, Any], field_name: str, weight: float):
        self.gaz, self.rules, self.field, self.weight = gaz, rules, field_name, weight
        self.split_words = frozenset(rules.get("split_words") or ())
        self.hits: list[Hit] = []
        self.pending: list[Hit] = []  # need Nanchang/Jiangxi context
        self.ignored: list[str] = []

    def run(self, text: str) -> None:
        previous: Hit | None = None
        for start, name in self.gaz.find(text):
            resolved = self._whole_word(text, start, name)
            if resolved is None:
                self.ignored.append(f"{self.field}:{name.surface} (part of a word)")
                continue
            weight = self.weight * self._role(text, start, len(resolved.surface))
            hit = Hit(self.field, start, resolved.surface, resolved.place, weight, resolved.note)
            if resolved.policy == CONTEXT:
                claimer = self._claimed_by(previous, hit)
                if claimer:
                    self.ignored.append(f"{self.field}:{hit.surface} (claimed by {claimer})")
                else:
                    self.pending.append(hit)
            else:
                self.hits.append(hit)
            previous = hit

    def _role(self, text: str, start: int, length: int) -> float:
        """Where a thing happens (在南昌, 来南昌) weighs more than where people come
        from (南昌人在广州, 江西籍): a factor on the mention's weight."""
        roles = self.rules.get("roles") or {}
        after = text[start + length : start + length + 3]
        if any(after.startswith(m) for m in roles.get("origin_after") or ()):
            return float(roles.get("origin_factor", 0.3))
        before = text[max(0, start - 2) : start]
        if any(before.endswith(m) for m in roles.get("place_before") or ()):
            return float(roles.get("place_factor", 1.5))
        return 1.0

    def _whole_word(self, text: str, start: int, name: Name) -> Name | None:
        """`name`, or its longest shorter form when the match ends inside a word (新建区域)."""
        current: Name | None = name
        while current is not None:
            end = start + len(current.surface)
            if text[end - 1 : end + 1] not in self.split_words:
                return current
            shorter = current.surface[:-1]
            current = self.gaz.lookup(shorter) if len(shorter) > 1 else None
        return None

    def _claimed_by(self, previous: Hit | None, hit: Hit) -> str | None:
        """Another city's name just before an ambiguous one claims it (杭州西湖)."""
        window = int(self.rules.get("claim_window", 4))
        if previous is None or previous.place.in_jiangxi:
            return None
        if hit.start - (previous.start + len(previous.surface)) <= window:
            return previous.place.city or previous.place.province
        return None


def _confirm_each_other(pending: list[Hit]) -> tuple[list[Hit], list[Hit]]:
    """Ambiguous names that vouch for each other: a district with one of its own streets
    or towns (西湖区 ... 南浦街道) is Nanchang's, however common each name is alone."""
    districts = {h.place.name for h in pending if h.place.level in ("district", "county")}
    towns_of = {h.place.district for h in pending if h.place.town and h.place.district in districts}
    confirmed = [h for h in pending if h.place.district in towns_of]
    return confirmed, [h for h in pending if h.place.district not in towns_of]


def _vote(hits: Iterable[Hit], key: Callable[[Place], str | None]) -> str | None:
    scores: dict[str, float] = {}
    first: dict[str, int] = {}
    for order, hit in enumerate(hits):
        value = key(hit.place)
        if value:
            scores[value] = scores.get(value, 0.0) + hit.weight
            first.setdefault(value, order)
    if not scores:
        return None
    return max(scores, key=lambda v: (scores[v], -first[v]))


def _choose(hits: list[Hit], result: Result) -> None:
    result.province = _vote(hits, lambda p: p.province)
    in_province = [h for h in hits if h.place.province == result.province]
    result.city = _vote(in_province, lambda p: p.city)
    if result.city != NANCHANG:
        return
    local = [h for h in in_province if h.place.city == NANCHANG]
    result.district = _vote(local, lambda p: p.district)
    fits = [h for h in local if h.place.district in (None, result.district)]
    result.town = _vote(fits, lambda p: p.town)
    town_hit = next((h for h in fits if h.place.town == result.town), None) if result.town else None
    if town_hit and town_hit.place.zone:
        result.zone = town_hit.place.zone
    else:
        result.zone = _vote(fits, lambda p: p.zone)


def _consistent(place: Place, result: Result) -> bool:
    pairs = (
        (place.province, result.province),
        (place.city, result.city),
        (place.district, result.district),
        (place.zone, result.zone),
        (place.town, result.town),
    )
    return all(mine is None or mine == chosen for mine, chosen in pairs)


def _codes(gaz: Gazetteer, result: Result) -> list[str]:
    for name in (result.town, result.district, result.zone, result.city, result.province):
        place = gaz.places.get(name) if name else None
        if place is not None and place.codes:
            return list(place.codes)
    return []


def _local_hits(
    gaz: Gazetteer, weights: dict[str, float], context: dict[str, str | None]
) -> list[Hit]:
    hits = []
    for name in _LOCAL_FIELDS:
        value = context.get(name)
        place = gaz.place_of(value)
        if place is not None:
            hits.append(Hit(name, 0, value or "", place, float(weights.get(name, 0.5))))
    return hits


def resolve(
    gaz: Gazetteer,
    rules: dict[str, Any],
    title: str | None,
    content: str | None,
    **context: str | None,
) -> Result:
    """属地 of a text. `context` may hold ip_location, author_location, source_locality."""
    weights = rules.get("weights") or {}
    scans = []
    for field_name, text in (("title", title), ("content", content)):
        scan = _Scan(gaz, rules, field_name, float(weights.get(field_name, 1)))
        scan.run(text or "")
        scans.append(scan)
    hits = [h for s in scans for h in s.hits]
    local = _local_hits(gaz, weights, context)
    confirmed, pending = _confirm_each_other([h for s in scans for h in s.pending])
    hits += confirmed
    words = rules.get("context_words") or ()
    joined = f"{title or ''}\n{content or ''}"
    has_context = any(h.place.province == JIANGXI for h in hits + local) or any(
        w in joined for w in words
    )
    result = Result(ignored=[i for s in scans for i in s.ignored])
    if has_context:
        hits += pending
    else:
        result.ignored += [
            f"{h.field}:{h.surface} (needs Nanchang/Jiangxi context)" for h in pending
        ]
    hits.sort(key=lambda h: (h.field != "title", h.start))
    _choose(hits + local, result)
    result.codes = _codes(gaz, result)
    evidence = [h.describe() for h in hits + local if _consistent(h.place, result)]
    result.evidence = list(dict.fromkeys(evidence))
    return result
