"""The place names yuqing knows, and one Aho-Corasick automaton that finds them all.

Built from the shipped CSVs (yuqing_spiders/data/gazetteer, see SOURCE.md there):
every province, Jiangxi's prefecture-level cities, every Nanchang district, county,
functional zone, street, town, township and landmark, and a short list of other
cities. Each surface form (full name, short name, former name) points to one
`Place` and carries a policy from settings/analysis.yaml: it counts directly, only
in Nanchang/Jiangxi context, or (common words) not at all.
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ahocorasick

from yuqing_spiders.model.resources import read_text

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


@dataclass
class _Tables:
    places: dict[str, Place] = field(default_factory=dict)
    province_codes: dict[str, str] = field(default_factory=dict)


def _read_csv(path: Path) -> list[dict[str, str]]:
    # Through resources: a scrapyd egg holds the CSVs inside its zip.
    return list(csv.DictReader(io.StringIO(read_text(path), newline="")))


def _aliases(raw: str | None) -> list[str]:
    return [a.strip() for a in (raw or "").split("|") if a.strip()]


def _code(code: str | None) -> tuple[str, ...]:
    return (code,) if code else ()


class Gazetteer:
    """Surface form -> `Name`, and a matcher over all of them."""

    def __init__(self, names: dict[str, Name], places: dict[str, Place]) -> None:
        self.names = names
        self.places = places
        self._automaton = ahocorasick.Automaton()
        for surface, name in names.items():
            self._automaton.add_word(surface, name)
        if names:
            self._automaton.make_automaton()

    def find(self, text: str) -> Iterator[tuple[int, Name]]:
        """(start offset, name) of every leftmost-longest, non-overlapping match."""
        if not text or not self.names:
            return
        for end, name in self._automaton.iter_long(text):
            yield end - len(name.surface) + 1, name

    def lookup(self, surface: str) -> Name | None:
        return self.names.get(surface)

    def place_of(self, text: str | None) -> Place | None:
        """The most specific place named in a short string (an IP属地, a locality)."""
        best: Place | None = None
        for _start, name in self.find(text or ""):
            if best is None or _RANK.get(name.place.level, 9) > _RANK.get(best.level, 9):
                best = name.place
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
    if current and _RANK.get(current.place.level, 9) <= _RANK.get(place.level, 9):
        return
    names[surface] = Name(surface, place, policy, note)


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
                names[surface] = Name(surface, place, name.policy, f"{old}→{new}")
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
                names[surface] = Name(surface, placed, name.policy, name.note)


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
    _apply_successors(names, tables, rules.get("successors") or {}, lists)
    _place_landmarks(names, tables, rules.get("landmark_towns") or {})
    logger.debug("gazetteer: %d surface forms for %d places", len(names), len(tables.places))
    return Gazetteer(names, tables.places)
