"""The place names yuqing knows, and one Aho-Corasick automaton that finds them all.

Built from the shipped data (yuqing_spiders/data/gazetteer, see SOURCE.md there):
every province, city, county and town of China (china_divisions.csv.gz), Nanchang's
own table (districts, functional zones, streets, landmarks; the authority for
Nanchang), former names of other places, and Nanchang's landmarks and POIs
(landmarks.yaml). Each surface form (full name, short name, former name) points to
the place it names, plus the other places that carry the same name (朝阳区 in Beijing
and Changchun), and a policy from settings/analysis.yaml: it counts directly, only in
the context of its own city or province, or (common words) not at all.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import logging
import re
import sys
from dataclasses import dataclass, field, replace
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from yuqing_spiders.analysis import automaton
from yuqing_spiders.model.resources import (
    digest,
    load_cached,
    load_yaml,
    read_bytes,
    read_text,
    store_cached,
)

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

logger = logging.getLogger(__name__)

JIANGXI = "江西省"
NANCHANG = "南昌市"
TOWN_LEVELS = frozenset({"street", "town", "township", "other"})
# When two places share a surface form, the higher unit takes it: 豫章 is the city,
# not 豫章街道; 青云谱 the district, not 青云谱镇; 艾溪湖 the 管理处, not the lake.
_RANK = {
    "province": 0,
    "city": 1,
    "district": 2,
    "county": 2,
    "functional_zone": 3,
    "street": 4,
    "town": 4,
    "township": 4,
    "other": 4,
    "landmark": 5,
}
_SUFFIXES = ("街道", "管理处", "镇", "乡", "区", "县", "市", "省")

DIRECT, CONTEXT = "direct", "context"
# `Gazetteer.place_of` remembers the places of at most this many strings this short.
_REMEMBERED, _REMEMBERED_LENGTH = 4096, 16
_UNKNOWN = object()  # not remembered (None is a remembered "no place")

# Every file `build_gazetteer` reads from its data directory (the rules' reload watch
# and the cache key both list them).
SOURCE_FILES = (
    "china_divisions.csv.gz",
    "landmarks.yaml",
    "china_provinces.csv",
    "nanchang_divisions.csv",
    "nanchang_functional_zones.csv",
    "other_places.csv",
)
CACHE_KIND = "gazetteer"


@dataclass(frozen=True)
class Place:
    """One unit with its whole chain upwards; empty parts are None."""

    name: str
    level: str
    province: str | None
    city: str | None = None
    district: str | None = None
    zone: str | None = None
    town: str | None = None
    codes: tuple[str, ...] = ()

    @property
    def in_jiangxi(self) -> bool:
        return self.province == JIANGXI


@dataclass(frozen=True)
class Name:
    """A surface form found in text: the place it names and how far it can be trusted."""

    surface: str
    place: Place
    policy: str  # direct | context
    note: str = ""  # e.g. "successor of 湾里区"
    others: tuple[Place, ...] = ()  # other places of the same name and rank

    @property
    def candidates(self) -> tuple[Place, ...]:
        return (self.place, *self.others)


@dataclass
class _Tables:
    places: dict[str, Place] = field(default_factory=dict)
    province_codes: dict[str, str] = field(default_factory=dict)
    seats: dict[str, Place] = field(default_factory=dict)


def _read_csv(path: Path) -> list[dict[str, str]]:
    # Through resources: a scrapyd egg holds the CSVs inside its zip.
    return list(csv.DictReader(io.StringIO(read_text(path), newline="")))


def _aliases(raw: str | None) -> list[str]:
    return [a.strip() for a in (raw or "").split("|") if a.strip()]


def _code(code: str | None) -> tuple[str, ...]:
    return (code,) if code else ()


class Gazetteer:
    """Surface form -> `Name`, and a matcher over all of them."""

    def __init__(
        self,
        names: dict[str, Name],
        places: dict[str, Place],
        seats: dict[str, Place] | None = None,
    ) -> None:
        self.names = names
        self.places = places
        # City -> its only urban district (商洛市 -> 商州区), for cities that have one.
        self.seats = seats or {}
        # Searches a two-symbol code of the text (analysis/automaton.py): 0.24 -> 0.085 ms
        # per article.
        self._automaton = automaton.build(names)
        self._places_of: dict[str, Place | None] = {}

    def find(self, text: str) -> list[tuple[int, Name]]:
        """(start offset, name) of every leftmost-longest, non-overlapping match (a list:
        every caller reads them all, and a generator per layer cost ~1 us a match)."""
        return [
            (end - len(name.surface) + 1, name) for end, name in self._automaton.iter_long(text)
        ]

    def lookup(self, surface: str) -> Name | None:
        return self.names.get(surface)

    def place_of(self, text: str | None) -> Place | None:
        """The most specific place named in a short string (an IP属地, a locality)."""
        if not text:
            return None
        # Remembered: an item asks for its site's locality twice, and the same few
        # localities and IP属地 come back item after item.
        # One get(): another thread's clear() between a test and a read would raise.
        remembered = self._places_of.get(text, _UNKNOWN)
        if remembered is not _UNKNOWN:
            return remembered  # type: ignore[return-value]
        best: Place | None = None
        for _start, name in self.find(text):
            if best is None or _RANK.get(name.place.level, 9) > _RANK.get(best.level, 9):
                best = name.place
        if len(text) <= _REMEMBERED_LENGTH:
            if len(self._places_of) >= _REMEMBERED:
                self._places_of.clear()
            self._places_of[text] = best
        return best


def _provinces(rows: Iterable[dict[str, str]], tables: _Tables) -> Iterator[tuple[str, Place]]:
    for row in rows:
        if row["level"] == "prefecture":
            continue
        name, code = row["name"], row["code"]
        tables.province_codes[name] = code
        place = Place(name, "province", name, codes=(code,))
        if row["level"] == "municipality":
            place = Place(name, "province", name, city=name, codes=(code,))
        tables.places[name] = place
        # One-character abbreviations (赣, 京 ...) are ordinary characters: not names.
        yield from ((s, place) for s in [name, *_aliases(row["short"])] if len(s) > 1)
        capital = row.get("capital") or ""
        if capital and capital != name and row["level"] != "sar":
            # The capital is the xx01 city of its province (SOURCES.md); 71 has no cities.
            city_codes = () if code.startswith("71") else (code[:2] + "0100000000",)
            cap = Place(capital, "city", name, city=capital, codes=(code, *city_codes))
            tables.places.setdefault(capital, cap)
            yield from ((s, cap) for s in {capital, capital.removesuffix("市")} if len(s) > 1)


def _prefectures(rows: Iterable[dict[str, str]], tables: _Tables) -> Iterator[tuple[str, Place]]:
    for row in rows:
        if row["level"] != "prefecture":
            continue
        province = next(n for n, c in tables.province_codes.items() if c == row["parent_code"])
        place = Place(
            row["name"], "city", province, city=row["name"], codes=(row["parent_code"], row["code"])
        )
        tables.places[row["name"]] = place
        yield from ((s, place) for s in [row["name"], *_aliases(row["short"])])


def _other_places(rows: Iterable[dict[str, str]], tables: _Tables) -> Iterator[tuple[str, Place]]:
    for row in rows:
        codes = (tables.province_codes.get(row["province"], ""), row["code"])
        place = Place(
            row["name"],
            "city",
            row["province"],
            city=row["city"],
            codes=tuple(c for c in codes if c),
        )
        tables.places.setdefault(row["name"], place)
        yield from ((s, place) for s in [row["name"], *_aliases(row["aliases"])])


@dataclass(frozen=True)
class _Zones:
    of_member: dict[str, str]  # town name -> the functional zone that runs it
    district: dict[str, tuple[str, str]]  # zone -> (district, code) when all members share one


def _zones(path: Path) -> _Zones:
    rows = _read_csv(path)
    districts: dict[str, set[tuple[str, str]]] = {}
    for row in rows:
        legal = (row["legal_district_name"], row["legal_district_code"])
        districts.setdefault(row["zone_name"], set()).add(legal)
    return _Zones(
        {row["member_name"]: row["zone_name"] for row in rows},
        {zone: next(iter(legal)) for zone, legal in districts.items() if len(legal) == 1},
    )


def _zone_place(name: str, level: str, zone: str, zones: _Zones) -> Place:
    """A zone, or a landmark placed only by its zone: the district when the zone has one."""
    district, code = zones.district.get(zone, (None, None))
    codes = ("360000000000", "360100000000", *_code(code))
    return Place(name, level, JIANGXI, NANCHANG, district=district, zone=zone, codes=codes)


def _nanchang_place(
    row: dict[str, str], by_name: dict[str, dict[str, str]], zones: _Zones
) -> Place:
    """Place for a divisions.csv row, its chain resolved through parent names."""
    level, name = row["level"], row["name"]
    jx_codes = ("360000000000", "360100000000")
    if level == "city":
        return Place(name, level, JIANGXI, NANCHANG, codes=jx_codes)
    if level in ("district", "county"):
        return Place(name, level, JIANGXI, NANCHANG, district=name, codes=(*jx_codes, row["code"]))
    if level == "functional_zone":
        return _zone_place(name, level, name, zones)
    parent = by_name.get(row["parent_name"], {})
    if parent.get("level") == "functional_zone":
        return _zone_place(name, level, parent["name"], zones)
    district, district_code = row["parent_name"], parent.get("code", "")
    if level in TOWN_LEVELS:
        codes = (*jx_codes, district_code, *_code(row["code"]))
        return Place(
            name, level, JIANGXI, NANCHANG, district, zones.of_member.get(name), name, codes
        )
    return Place(
        name, level, JIANGXI, NANCHANG, district=district, codes=(*jx_codes, district_code)
    )


def _nanchang(data_dir: Path, tables: _Tables) -> Iterator[tuple[str, Place, bool]]:
    """(surface, place, is_full_name) for every Nanchang unit and its aliases."""
    rows = _read_csv(data_dir / "nanchang_divisions.csv")
    zones = _zones(data_dir / "nanchang_functional_zones.csv")
    by_name = {row["name"]: row for row in rows}
    for row in rows:
        place = _nanchang_place(row, by_name, zones)
        tables.places[place.name] = place
        yield row["name"], place, True
        for alias in _aliases(row["aliases"]):
            yield alias, place, alias.endswith(_SUFFIXES) and len(alias) > 2


def _policy(surface: str, place: Place, full: bool, rules: dict[str, Any]) -> str | None:
    """How far a surface form is trusted; None = never counts on its own."""
    if surface in rules["never_alone"]:
        return None
    if surface in rules["unique"]:
        return DIRECT
    if surface in rules["need_context"]:
        return CONTEXT
    if place.level in TOWN_LEVELS and not full:
        return CONTEXT  # short forms of streets and towns repeat all over China
    return DIRECT


def _add(
    names: dict[str, Name], surface: str, place: Place, policy: str | None, note: str = ""
) -> None:
    if policy is None or len(surface) < 2:
        return
    current = names.get(surface)
    if current:
        mine, theirs = _RANK.get(place.level, 9), _RANK.get(current.place.level, 9)
        if theirs < mine or any(_same(place, known) for known in current.candidates):
            return
        if theirs == mine:
            # The first table read (Nanchang's own) keeps its place and policy first.
            others = (*current.others, place)
            names[surface] = Name(surface, current.place, current.policy, current.note, others)
            return
    names[surface] = Name(surface, place, policy, note)


def _same(one: Place, other: Place) -> bool:
    """One unit read from two tables (a capital from the provinces and the divisions)."""
    return (one.name, one.province, one.city, one.district) == (
        other.name,
        other.province,
        other.city,
        other.district,
    )


def _apply_successors(
    names: dict[str, Name], tables: _Tables, successors: dict[str, str], lists: dict[str, Any]
) -> None:
    """Every name of an abolished unit, and its old name itself, now means its successor."""
    for old, new in successors.items():
        place = tables.places.get(new)
        if place is None:
            logger.warning("analysis rules: successor %s of %s is not in the gazetteer", new, old)
            continue
        for surface, name in list(names.items()):
            if name.place.name == old:
                names[surface] = replace(name, place=place, note=f"{old}→{new}")
        names.pop(old, None)
        _add(names, old, place, _policy(old, place, True, lists), note=f"{old}→{new}")


def _place_landmarks(names: dict[str, Name], tables: _Tables, towns: dict[str, str]) -> None:
    """Landmarks whose street or town is known get its whole chain (南昌西站 -> 九龙湖街道)."""
    for landmark, town_name in towns.items():
        town = tables.places.get(town_name)
        if town is None or town.town is None:
            logger.warning("analysis rules: %s of landmark %s is not a town", town_name, landmark)
            continue
        placed = Place(
            landmark,
            "landmark",
            town.province,
            town.city,
            town.district,
            town.zone,
            town.name,
            town.codes,
        )
        tables.places[landmark] = placed
        for surface, name in list(names.items()):
            if name.place.name == landmark:
                names[surface] = replace(name, place=placed)


# --- the whole country: china_divisions.csv.gz (code, name; the code's length is the level)

_COUNTY_SUFFIX = re.compile(r"(自治县|自治旗|林区|特区|区|县|市|旗)$")
_CITY_SUFFIX = re.compile(r"(市|地区|盟|[\u4e00-\u9fff]{1,6}?族(?:[\u4e00-\u9fff]{1,4}族)*自治州)$")
# Town-level units named like this are towns people write; 农场, 开发区, 管委会 ... are not.
_TOWN_SUFFIXES = ("街道", "镇", "乡", "苏木")
# Cities' groupings that are not cities: their counties belong to the province directly.
_NOT_CITIES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})
_MUNICIPALITIES = ("11", "12", "31", "50")


def _pad(code: str) -> str:
    return code.ljust(12, "0")


def _country_rows(path: Path) -> list[tuple[str, str]]:
    raw = gzip.decompress(read_bytes(path)).decode("utf-8")
    rows = csv.reader(io.StringIO(raw, newline=""))
    next(rows, None)  # the header
    return [(code, name) for code, name in rows]


def _country(path: Path, tables: _Tables, skip_prefix: str) -> Iterator[tuple[str, Place, bool]]:
    """(surface, place, is_full_name) for every city, county and town outside `skip_prefix`
    (Nanchang, which its own table describes)."""
    rows = _country_rows(path)
    provinces = {code: name for code, name in rows if len(code) == 2}
    cities: dict[str, str | None] = {}
    counties: dict[str, str] = {}
    urban: dict[str, list[Place]] = {}
    for code, name in rows:
        province = provinces.get(code[:2])
        if province is None or len(code) == 2:
            continue
        in_city = name if len(code) == 4 else cities.get(code[:4])
        if code[:2] in _MUNICIPALITIES:
            in_city = province
        if len(code) == 4:
            cities[code] = None if name in _NOT_CITIES else name
            if name in _NOT_CITIES or code[:2] in _MUNICIPALITIES:
                continue
            place = Place(name, "city", province, name, codes=(_pad(code[:2]), _pad(code)))
            tables.places.setdefault(name, place)
            yield name, place, True
            short = _CITY_SUFFIX.sub("", name)
            if short != name and len(short) > 1:
                yield short, place, True
        elif code.startswith(skip_prefix):
            continue
        elif len(code) == 6:
            counties[code] = name
            codes = (_pad(code[:2]), *((_pad(code[:4]),) if in_city else ()), _pad(code))
            place = Place(name, "county", province, in_city, district=name, codes=codes)
            if in_city and name.endswith("区"):
                urban.setdefault(in_city, []).append(place)
            yield name, place, True
            short = _COUNTY_SUFFIX.sub("", name)
            if short != name and len(short) > 1:
                yield short, place, False
        elif len(code) == 9 and name.endswith(_TOWN_SUFFIXES) and len(name) > 2:
            district = counties.get(code[:6])
            codes = (_pad(code[:2]), *((_pad(code[:4]),) if in_city else ()), _pad(code[:6]))
            place = Place(name, "town", province, in_city, district, town=name, codes=codes)
            yield name, place, True
    tables.seats.update({city: only[0] for city, only in urban.items() if len(only) == 1})


def _country_policy(surface: str, place: Place, full: bool, rules: dict[str, Any]) -> str | None:
    """Elsewhere in China: full names count, short county names and names listed as
    ordinary words only in their own city's or province's context."""
    if surface in rules["never_alone"]:
        return None
    if surface in rules["need_context"] or not full:
        return CONTEXT
    return DIRECT


def _landmarks(path: Path, tables: _Tables) -> Iterator[tuple[str, Place, bool]]:
    """Nanchang's landmarks and POIs (landmarks.yaml): name, aliases, district, town."""
    entries = load_yaml(path) or []
    for entry in entries:
        district = tables.places.get(entry.get("district") or "")
        town = tables.places.get(entry.get("town") or "")
        base = town or district
        if base is None:
            logger.warning("gazetteer: landmark %s has no known district", entry.get("name"))
            continue
        place = Place(
            entry["name"],
            "landmark",
            base.province,
            base.city,
            base.district,
            base.zone,
            base.town,
            base.codes,
        )
        tables.places.setdefault(place.name, place)
        for surface in [entry["name"], *(entry.get("aliases") or [])]:
            yield str(surface), place, bool(entry.get("unique"))


def _add_former_names(names: dict[str, Name], tables: _Tables, former: dict[str, str]) -> None:
    """Former names of places outside Nanchang (襄樊 -> 襄阳市): they count directly."""
    for old, current in former.items():
        found = tables.places.get(str(current))
        if found is None:
            logger.warning("analysis rules: %s (now %s) is not in the gazetteer", old, current)
            continue
        _add(names, str(old), found, DIRECT, note=f"{old}→{current}")


def build_gazetteer(data_dir: Path, rules: dict[str, Any]) -> Gazetteer:
    """The gazetteer from the CSVs in `data_dir` and the `jurisdiction` rules."""
    lists = {k: frozenset(rules.get(k) or ()) for k in ("never_alone", "unique", "need_context")}
    tables = _Tables()
    names: dict[str, Name] = {}
    province_rows = _read_csv(data_dir / "china_provinces.csv")
    for surface, place in _provinces(province_rows, tables):
        _add(names, surface, place, _policy(surface, place, True, lists))
    for surface, place in _prefectures(province_rows, tables):
        _add(names, surface, place, _policy(surface, place, True, lists))
    for surface, place in _other_places(_read_csv(data_dir / "other_places.csv"), tables):
        _add(names, surface, place, _policy(surface, place, True, lists))
    for surface, place, full in _nanchang(data_dir, tables):
        _add(names, surface, place, _policy(surface, place, full, lists))
    for surface, place, unique in _landmarks(data_dir / "landmarks.yaml", tables):
        policy = DIRECT if unique else _policy(surface, place, False, lists)
        _add(names, surface, place, policy)
    # Nanchang's successors and landmark streets first, while the names are few.
    _apply_successors(names, tables, rules.get("successors") or {}, lists)
    _place_landmarks(names, tables, rules.get("landmark_towns") or {})
    for surface, place, full in _country(data_dir / "china_divisions.csv.gz", tables, "3601"):
        _add(names, surface, place, _country_policy(surface, place, full, lists))
    _add_former_names(names, tables, rules.get("former_names") or {})
    logger.debug("gazetteer: %d surface forms for %d places", len(names), len(tables.places))
    return Gazetteer(names, tables.places, tables.seats)


def _pyahocorasick_version() -> str:
    try:
        return version("pyahocorasick")
    except PackageNotFoundError:
        return "unknown"


def gazetteer_key(data_dir: Path, rules: dict[str, Any]) -> str:
    """What a built gazetteer depends on, as one digest: the data files' bytes, the
    `jurisdiction` rules, this builder's own code (and its automaton's: the pickled
    automaton holds its code) and the pickle-relevant versions."""
    return digest(
        sys.version,
        _pyahocorasick_version(),
        read_bytes(Path(__file__)),
        read_bytes(Path(automaton.__file__)),
        json.dumps(rules, sort_keys=True, ensure_ascii=False, default=str),
        *(read_bytes(data_dir / name) for name in SOURCE_FILES),
    )


def load_gazetteer(data_dir: Path, rules: dict[str, Any]) -> Gazetteer:
    """`build_gazetteer`, through the user's cache (yuqing_spiders/model/resources.py):
    loading the pickled automaton takes a third of building it, which is most of the
    start-up of `yuqing tag`. Built again whenever a data file or rule changes."""
    key = gazetteer_key(data_dir, rules)
    cached = load_cached(CACHE_KIND, key)
    if isinstance(cached, Gazetteer):
        logger.debug("gazetteer: loaded from the cache (%s)", key)
        return cached
    built = build_gazetteer(data_dir, rules)
    store_cached(CACHE_KIND, key, built)
    return built
