"""属地: which province, city, county and town (for Nanchang also the zone) an item is about.

Every place name in title and content is found with the gazetteer's automaton. A name
that several places carry (西湖区, 沙井街道), a short county name and an ordinary word
count only in the context of their own city or province — other unambiguous names in
the text, the site's locality, a watch-list unit, a Weibo check-in, Nanchang's context
words — and the namesake in the closest context is chosen; a city named just before a
name picks its namesake or claims it away (杭州西湖). The author's stated location and
the site's locality add a little weight; the poster's IP属地 only decides when the
text names no place. Then each level is voted: the place with most weight wins (title
mentions weigh more), ties go to the earliest; a Nanchang landmark the text is about is
never beaten by a place outside Jiangxi. The evidence lists the mentions that decided
it, `ignored` the ones that did not count and why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from operator import attrgetter
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import urlsplit

from yuqing_spiders.analysis.gazetteer import CONTEXT, JIANGXI, NANCHANG, Place

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from yuqing_spiders.analysis.gazetteer import Gazetteer, Name

# "IP属地：江西" as Weibo, Douyin and forum pages print it inside the post text.
_IP_IN_TEXT = re.compile(r"IP\s*属地\s*[:：]?\s*([\u4e00-\u9fff]{2,8})")
_LOCAL_FIELDS = ("ip_location", "author_location", "source_locality")
_WORK_TITLE = re.compile(r"《[^《》]{1,40}》")
# A Weibo check-in: {%城市·地点%}, or the same without braces after the location icon.
_CHECKIN = re.compile(r"(?:\{%|(?<![\u4e00-\u9fff]))([\u4e00-\u9fff]{2,8})·[^\s%·]{1,30}")


class Hit(NamedTuple):
    """A mention that counts, with its place. (A tuple: a frozen dataclass's __init__
    cost ~1 us per object, ~15 objects an item.)"""

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

    def as_dict(self) -> dict[str, Any]:
        """What `dataclasses.asdict` gives, without its deep copy (0.05 ms per item):
        the fields are strings and lists of strings."""
        return {k: list(v) if isinstance(v, list) else v for k, v in vars(self).items()}


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


class _Mention(NamedTuple):
    """A name found in a field, before its place among namesakes is chosen."""

    field: str
    start: int
    name: Name
    weight: float
    claimer: Place | None  # another city's name just before it (杭州西湖)


@dataclass(frozen=True)
class _Words:
    """The word lists a scan checks around each mention, read once per item: as tuples,
    one str.startswith/endswith call tests them all (any() over the lists cost 0.05 ms
    per item)."""

    split: frozenset[str]
    origin_after: tuple[str, ...]
    origin_before: tuple[str, ...]
    place_before: tuple[str, ...]
    # The rules' numbers too, read once per item rather than once per mention.
    origin_factor: float
    place_factor: float
    claim_window: int

    @classmethod
    def of(cls, rules: dict[str, Any]) -> _Words:
        roles = rules.get("roles") or {}
        return cls(
            frozenset(rules.get("split_words") or ()),
            tuple(roles.get("origin_after") or ()),
            tuple(roles.get("origin_before") or ()),
            tuple(roles.get("place_before") or ()),
            float(roles.get("origin_factor", 0.3)),
            float(roles.get("place_factor", 1.5)),
            int(rules.get("claim_window", 4)),
        )


class _Scan:
    """The mentions in one text; names that are part of a longer word set aside."""

    def __init__(
        self, gaz: Gazetteer, rules: dict[str, Any], words: _Words, field_name: str, weight: float
    ):
        self.gaz, self.rules, self.field, self.weight = gaz, rules, field_name, weight
        self.words = words
        self.mentions: list[_Mention] = []
        self.ignored: list[str] = []

    def run(self, text: str) -> None:
        previous: _Mention | None = None
        # Every work's title opens with 《: no regex scan of a text without one.
        titles = [m.span() for m in _WORK_TITLE.finditer(text)] if "《" in text else []
        for start, name in self.gaz.find(text):
            if titles and any(a <= start < b for a, b in titles):
                # 《广州日报》, 《南京！南京！》: a place in the name of a work is not the place.
                self.ignored.append(f"{self.field}:{name.surface} (in a title 《》)")
                continue
            resolved = self._whole_word(text, start, name)
            if resolved is None:
                self.ignored.append(f"{self.field}:{name.surface} (part of a word)")
                continue
            weight = self.weight * self._role(text, start, len(resolved.surface))
            claimer = self._claimer(previous, start)
            mention = _Mention(self.field, start, resolved, weight, claimer)
            self.mentions.append(mention)
            previous = mention

    def _role(self, text: str, start: int, length: int) -> float:
        """Where a thing happens (在南昌, 来南昌) weighs more than where people come
        from (南昌人在广州, 江西籍, 来自北京): a factor on the mention's weight."""
        words = self.words
        after = text[start + length : start + length + 3]
        before = text[max(0, start - 2) : start]
        if after.startswith(words.origin_after) or before.endswith(words.origin_before):
            return words.origin_factor
        if before.endswith(words.place_before):
            return words.place_factor
        return 1.0

    def _whole_word(self, text: str, start: int, name: Name) -> Name | None:
        """`name`, or its longest shorter form when the match ends inside a word (新建区域)."""
        current: Name | None = name
        while current is not None:
            end = start + len(current.surface)
            if text[end - 1 : end + 1] not in self.words.split:
                return current
            shorter = current.surface[:-1]
            current = self.gaz.lookup(shorter) if len(shorter) > 1 else None
        return None

    def _claimer(self, previous: _Mention | None, start: int) -> Place | None:
        """A city named just before a name claims it (杭州西湖, 十堰张湾)."""
        window = self.words.claim_window
        if previous is None or previous.name.others:  # a namesake claims nothing
            return None
        place = previous.name.place
        if place.level not in ("province", "city") and not place.district:
            return None
        if start - (previous.start + len(previous.name.surface)) <= window:
            return place
        return None


@dataclass
class _Context:
    """The provinces and cities an item is known to be about, from its unambiguous names
    and where it comes from: an ambiguous name is read as the namesake found here."""

    provinces: set[str] = field(default_factory=set)
    cities: set[str] = field(default_factory=set)
    districts: set[tuple[str | None, str]] = field(default_factory=set)  # (city, district)

    city_province: dict[str, str] = field(default_factory=dict)

    def add(self, place: Place) -> None:
        if place.province:
            self.provinces.add(place.province)
        if place.city:
            self.cities.add(place.city)
            if place.province:
                self.city_province[place.city] = place.province
        if place.district and place.level not in ("province", "city"):
            self.districts.add((place.city, place.district))

    def fits(self, place: Place) -> int:
        """How closely a namesake fits: 3 its district, 2 its city, 1 its province
        (when no other city of that province is named), 0 not at all."""
        in_district = (place.city, place.district) in self.districts
        if place.district and in_district and place.level not in ("district", "county"):
            return 3
        if place.city and place.city in self.cities:
            return 2
        if place.province not in self.provinces:
            return 0
        # Another named city of the province: then which of its namesakes is unknown.
        # (No set of the other cities built per candidate: _pick asks ~10 times an item.)
        province_of = self.city_province.get
        named_here = any(province_of(c) == place.province for c in self.cities if c != place.city)
        return 0 if named_here else 1


def _hit(mention: _Mention, place: Place) -> Hit:
    name = mention.name
    return Hit(mention.field, mention.start, name.surface, place, mention.weight, name.note)


def _plain(mention: _Mention) -> bool:
    """A name of one place that counts on its own."""
    return mention.name.policy != CONTEXT and not mention.name.others


def _pick(mention: _Mention, context: _Context) -> tuple[Place | None, str]:
    """The namesake a mention names in this context, or None and why not."""
    if _plain(mention):
        # Its one place, whatever the context (what the steps below come to for it):
        # no fits() and lists for most of an item's mentions.
        return mention.name.place, ""
    candidates = mention.name.candidates
    if mention.claimer is not None:
        claimer = mention.claimer
        owned = [p for p in candidates if claimer.name in (p.city, p.province, p.district, p.zone)]
        if not owned:
            return None, f"claimed by {claimer.city or claimer.province}"
        candidates = tuple(owned)
        if len(owned) == 1:
            return owned[0], ""
    fits = [context.fits(p) for p in candidates]
    best = max(fits)
    tied = [p for p, f in zip(candidates, fits, strict=True) if f == best]
    if best > 0:
        return _common(tied), ""
    if mention.name.policy == CONTEXT:
        return None, "needs context"
    if len(candidates) == 1:
        return candidates[0], ""
    return None, f"{len(candidates)} places of this name"


def _common(places: list[Place]) -> Place:
    """The one place, or what namesakes in one province or city share (湖北 ... 太平镇:
    the province is known, not which of its 太平镇)."""
    if len(places) == 1:
        return places[0]
    first = places[0]

    def shared(part: str) -> Any:
        value = getattr(first, part)
        return value if all(getattr(p, part) == value for p in places) else None

    district = shared("district")
    town = shared("town") if district else None  # which 太平镇, if its county is unknown?
    return Place(first.name, "namesakes", shared("province"), shared("city"), district, None, town)


def _resolve_mentions(mentions: list[_Mention], context: _Context) -> tuple[list[Hit], list[str]]:
    """Hits for the mentions that name one place here; the rest, with why, as ignored."""
    hits: list[Hit] = []
    ignored: dict[int, str] = {}
    # Unambiguous names first, so that the context is complete before a namesake is
    # chosen; each round, what was placed gives context to the rest.
    pending = sorted(mentions, key=lambda m: not _plain(m))
    for _round in range(3):
        still = []
        for mention in pending:
            place, why = _pick(mention, context)
            if place is None:
                ignored[id(mention)] = why
                still.append(mention)
                continue
            ignored.pop(id(mention), None)
            hits.append(_hit(mention, place))
            context.add(place)
        if len(still) == len(pending):
            break
        pending = still
    vouched = _vouch(pending)
    hits += vouched
    placed = {(h.field, h.start) for h in vouched}
    notes = [
        f"{m.field}:{m.name.surface} ({ignored[id(m)]})"
        for m in pending
        if (m.field, m.start) not in placed and id(m) in ignored
    ]
    return hits, notes


def _vouch(pending: list[_Mention]) -> list[Hit]:
    """Ambiguous names that vouch for each other: a district with one of its own streets
    or towns (西湖区 ... 南浦街道) is that city's, however common each name is alone."""
    counties = {
        (p.province, p.city, p.district)
        for m in pending
        for p in m.name.candidates
        if p.level in ("district", "county")
    }
    hits = []
    for mention in pending:
        for place in mention.name.candidates:
            key = (place.province, place.city, place.district)
            if key in counties and place.town:
                hits.append(_hit(mention, place))
                break
    districts = {(h.place.province, h.place.city, h.place.district) for h in hits}
    for mention in pending:
        for place in mention.name.candidates:
            if (
                place.level in ("district", "county")
                and (
                    place.province,
                    place.city,
                    place.district,
                )
                in districts
            ):
                hits.append(_hit(mention, place))
                break
    return hits


# The parts of a place the levels vote on (C getters: ~15 key calls an item).
_PROVINCE, _CITY, _DISTRICT, _TOWN, _ZONE = map(
    attrgetter, ("province", "city", "district", "town", "zone")
)


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
    result.province = _vote(hits, _PROVINCE)
    in_province = [h for h in hits if h.place.province == result.province]
    result.city = _vote(in_province, _CITY)
    local = [h for h in in_province if h.place.city in (None, result.city)]
    result.district = _vote(local, _DISTRICT)
    fits = [h for h in local if h.place.district in (None, result.district)]
    result.town = _vote(fits, _TOWN)
    if result.city != NANCHANG:
        return
    town_hit = next((h for h in fits if h.place.town == result.town), None) if result.town else None
    if town_hit and town_hit.place.zone:
        result.zone = town_hit.place.zone
    else:
        result.zone = _vote(fits, _ZONE)


def _consistent(place: Place, result: Result) -> bool:
    """Each part of the place is unknown or the chosen one (one expression: a tuple of
    pairs and a generator per hit cost ~0.4 us each)."""
    return (
        (place.province is None or place.province == result.province)
        and (place.city is None or place.city == result.city)
        and (place.district is None or place.district == result.district)
        and (place.zone is None or place.zone == result.zone)
        and (place.town is None or place.town == result.town)
    )


def _codes(gaz: Gazetteer, result: Result) -> list[str]:
    for name in (result.town, result.district, result.zone, result.city, result.province):
        place = gaz.places.get(name) if name else None
        if place is not None and place.codes and place.city in (None, result.city):
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


def checkin_places(gaz: Gazetteer, text: str | None) -> list[Place]:
    """The places of Weibo check-in tags ({%十堰·张湾%}, "2北京·三里屯"): the part before
    the dot names the city the poster checked in at."""
    places: list[Place] = []
    if not text or "·" not in text:
        return places  # every check-in has its dot: no regex scan of the text (0.015 ms)
    for match in _CHECKIN.finditer(text):
        place = gaz.place_of(match.group(1))
        if place is not None:
            places.append(place)
    return places


def _landmark_wins(hits: list[Hit], result: Result) -> list[Hit]:
    """A named place outside Jiangxi never beats a Nanchang landmark the text is about
    (a visitor from Beijing at 滕王阁): the votes are taken again among Nanchang's."""
    landmark = any(h.place.level == "landmark" and h.place.city == NANCHANG for h in hits)
    if landmark and result.province not in (None, JIANGXI):
        return [h for h in hits if h.place.province == JIANGXI]
    return hits


def _seat(gaz: Gazetteer, rules: dict[str, Any], text: str, result: Result) -> None:
    """A city with one urban district, no county named, and words of the town itself
    (小区, 物业, 市区): the matter is in that district."""
    seat = gaz.seats.get(result.city or "")
    words = (rules.get("seat_district") or {}).get("words") or ()
    if seat is None or result.district or not any(w in text for w in words):
        return
    result.district = seat.district
    result.evidence.append(f"seat:{seat.name}")


def resolve(
    gaz: Gazetteer,
    rules: dict[str, Any],
    title: str | None,
    content: str | None,
    **context: str | None,
) -> Result:
    """属地 of a text. `context` may hold ip_location, author_location, source_locality
    and local (a place the item is known to concern, e.g. a watch-list unit's city)."""
    weights = rules.get("weights") or {}
    words = _Words.of(rules)
    scans = []
    for field_name, text in (("title", title), ("content", content)):
        scan = _Scan(gaz, rules, words, field_name, float(weights.get(field_name, 1)))
        scan.run(text or "")
        scans.append(scan)
    known = _Context()
    for place in (gaz.place_of(context.get(k)) for k in ("source_locality", "local")):
        if place is not None:
            known.add(place)
    joined = f"{title or ''}\n{content or ''}"
    checkins = [*checkin_places(gaz, title), *checkin_places(gaz, content)]
    for place in checkins:
        known.add(place)
    mentions = [m for s in scans for m in s.mentions]
    # Context is read for ambiguous names only: no scan for its words when every name
    # counts on its own (each word is a search of the whole text).
    ambiguous = not all(map(_plain, mentions))
    if ambiguous and any(w in joined for w in rules.get("context_words") or ()):
        known.add(gaz.places[NANCHANG])
    hits, notes = _resolve_mentions(mentions, known)
    hits += [Hit("checkin", 0, p.name, p, float(weights.get("checkin", 2))) for p in checkins]
    result = Result(ignored=[i for s in scans for i in s.ignored] + notes)
    hits.sort(key=lambda h: (h.field != "title", h.start))
    local = _local_hits(gaz, weights, context)
    if hits:
        # IP属地 is where the poster is: it decides only when the text names no place.
        local = [h for h in local if h.field != "ip_location"]
    _choose(hits + local, result)
    kept = _landmark_wins(hits, result)
    if kept is not hits:
        _choose(kept, result)
    evidence = [h.describe() for h in hits + local if _consistent(h.place, result)]
    result.evidence = list(dict.fromkeys(evidence))
    _seat(gaz, rules, joined, result)
    result.codes = _codes(gaz, result)
    return result
