"""Level and routing: general vs important (and above), with the reasons; who handles it.

`classify(item, context)` is pure and works on one item alone (`yuqing tag` calls it)
or with what the event stages know (`LevelContext`: heat, breadth, first publisher).
Levels and their rules are data in settings/levels.yaml: a level applies when any of
its rules holds, a rule holds when all its conditions do, and the highest level that
applies wins. Reasons are short tokens — `risk:sudden`, `key_media:central_key`,
`front_page:www.people.com.cn`, `big_v`, `heat>=30`, `central_first`, `sites>=5`,
`local:南昌市`, `sentiment:negative`, `fresh` — that readers can filter on. The office's
rule (settings/levels.yaml): an item is important when it concerns Nanchang or its
departments, leans negative, is fresh, and is sensitive / sudden / mass / inciting or
carried by a key medium. Items placed elsewhere are not routed to the office.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from yuqing_spiders.analysis.heat import HeatConfig, TrendConfig
from yuqing_spiders.analysis.tracking import TrackConfig
from yuqing_spiders.model.resources import SETTINGS_DIR, load_yaml

if TYPE_CHECKING:
    from yuqing_spiders.analysis.events import EventSummary
    from yuqing_spiders.model.items import OpinionItem

DEFAULT_LEVELS_FILE = SETTINGS_DIR / "levels.yaml"
RISK_FLAGS = ("sensitive", "sudden", "mass", "inciting")


@dataclass(frozen=True)
class LevelContext:
    """What is known beyond the item: its heat and, when it has one, its event."""

    heat: float | None = None
    central_first: bool = False
    sites: int = 1
    tiers: Sequence[str] = ()
    front_pages: Sequence[str] = ()
    big_v: int = 0
    # When the item counts as found, for `fresh`; None = its first_seen_at / crawled_at.
    # A replay crawl passes the replay clock: the day the fixtures depict.
    found_at: datetime | None = None


def context_of(
    item: OpinionItem, summary: EventSummary | None, found_at: datetime | None = None
) -> LevelContext:
    """The item's context: its own heat alone, or its event's (the higher heat wins)."""
    if summary is None:
        return LevelContext(heat=item.heat, found_at=found_at)
    heats = [h for h in (item.heat, summary.heat) if h is not None]
    return LevelContext(
        heat=max(heats) if heats else None,
        central_first=summary.central_first,
        sites=len(summary.sites),
        tiers=summary.tiers,
        front_pages=summary.front_pages,
        big_v=summary.big_v,
        found_at=found_at,
    )


# Whether a type is a Mapping, per type: the ABC check costs a Python-level call each
# time, and the rules read ~25 fields per item (issue 13).
_IS_MAPPING: dict[type, bool] = {}


def _is_mapping(obj: Any) -> bool:
    kind = type(obj)
    found = _IS_MAPPING.get(kind)
    if found is None:
        found = _IS_MAPPING[kind] = isinstance(obj, Mapping)
    return found


# Field paths split once: the rules read ~25 fields per item.
_PATHS: dict[str, list[str]] = {}


def _get(obj: Any, dotted: str) -> Any:
    """A field of a dataclass item or of a plain dict, nested by dots; None if absent."""
    parts = _PATHS.get(dotted)
    if parts is None:
        parts = _PATHS[dotted] = dotted.split(".")
    for part in parts:
        if obj is None:
            return None
        mapping = _IS_MAPPING.get(type(obj))  # inlined `_is_mapping`: ~30 calls per item
        if mapping is None:
            mapping = _is_mapping(obj)
        obj = obj.get(part) if mapping else getattr(obj, part, None)
    return obj


def _front_sites(item: Any) -> list[str]:
    sites = []
    for placement in _get(item, "front_page") or []:
        site = _get(placement, "site")
        if site:
            sites.append(str(site))
    return sites


# --- conditions: (item, context, configured value) -> reasons, empty = not met --------


def _risk(item: Any, _ctx: LevelContext, flags: Any) -> list[str]:
    return [f"risk:{flag}" for flag in flags if _get(item, f"risk.{flag}") is True]


def _key_media(item: Any, ctx: LevelContext, tiers: Any) -> list[str]:
    seen = [_get(item, "media.tier"), *ctx.tiers]
    return [f"key_media:{tier}" for tier in tiers if tier in seen]


def _front_page(item: Any, ctx: LevelContext, wanted: Any) -> list[str]:
    if not wanted:
        return []
    sites = dict.fromkeys([*_front_sites(item), *ctx.front_pages])
    return [f"front_page:{site}" for site in sites]


def _big_v(item: Any, ctx: LevelContext, wanted: Any) -> list[str]:
    return ["big_v"] if wanted and (_get(item, "author.is_big_v") is True or ctx.big_v) else []


def _heat(_item: Any, ctx: LevelContext, threshold: Any) -> list[str]:
    ok = ctx.heat is not None and ctx.heat >= float(threshold)
    return [f"heat>={float(threshold):g}"] if ok else []


def _central_first(_item: Any, ctx: LevelContext, wanted: Any) -> list[str]:
    return ["central_first"] if wanted and ctx.central_first else []


def _sites(_item: Any, ctx: LevelContext, minimum: Any) -> list[str]:
    return [f"sites>={int(minimum)}"] if ctx.sites >= int(minimum) else []


def _sentiment(item: Any, _ctx: LevelContext, labels: Any) -> list[str]:
    label = _get(item, "sentiment.label")
    return [f"sentiment:{label}"] if label in _as_list(labels) else []


def _platform(item: Any, _ctx: LevelContext, platforms: Any) -> list[str]:
    platform = _get(item, "platform")
    return [f"platform:{platform}"] if platform in _as_list(platforms) else []


def _local(item: Any, _ctx: LevelContext, cities: Any) -> list[str]:
    """The item concerns the office's own city: its 属地, or — when the text names no
    city — a watch-list rule of one of the city's units."""
    city = _get(item, "jurisdiction.city")
    if city:
        return [f"local:{city}"] if city in _as_list(cities) else []
    units = [_get(m, "unit") for m in _get(item, "watch") or []]
    return [f"local:watch:{units[0]}"] if units else []


def _as_time(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, str) and value:
        try:
            return _as_time(datetime.fromisoformat(value))
        except ValueError:
            return None
    return None


def _fresh(item: Any, ctx: LevelContext, hours: Any) -> list[str]:
    """Published at most `hours` before it was found; old news is not today's matter.
    Without both times the item is taken as fresh (a post is found when it is made)."""
    published = _as_time(_get(item, "published_at"))
    found = ctx.found_at or _as_time(_get(item, "first_seen_at") or _get(item, "crawled_at"))
    if published is None or found is None:
        return ["fresh"]
    ok = found - published <= timedelta(hours=float(hours))
    return ["fresh"] if ok else []


Condition = Callable[[Any, LevelContext, Any], list[str]]
CONDITIONS: dict[str, Condition] = {
    "risk": _risk,
    "key_media": _key_media,
    "front_page": _front_page,
    "big_v": _big_v,
    "heat": _heat,
    "central_first": _central_first,
    "sites": _sites,
    "sentiment": _sentiment,
    "platform": _platform,
    "local": _local,
    "fresh": _fresh,
}


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


# A condition of a rule ready to run: its function, its configured value, and a key
# equal for equal (condition, value) pairs, under which one classification remembers
# its result (every rule of the office repeats `local`, `sentiment` and `fresh`: the
# item met them ~7 times each, issue 13).
Check = tuple[Condition, Any, Hashable]


def _frozen(value: Any) -> Hashable:
    """`value` as a hashable key, equal only for values of the same types and contents
    (1, 1.0 and True stay apart: a condition may tell them apart)."""
    if isinstance(value, Mapping):
        return ("map", tuple((_frozen(k), _frozen(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return (type(value).__name__, tuple(_frozen(v) for v in value))
    try:
        hash(value)
    except TypeError:
        return ("object", id(value))  # kept alive by the rules: the id stays its own
    return (type(value).__name__, value)


def _checks(rule_list: Sequence[Mapping[str, Any]]) -> tuple[tuple[Check, ...], ...]:
    return tuple(
        tuple((CONDITIONS[name], value, (name, _frozen(value))) for name, value in rule.items())
        for rule in rule_list
    )


@dataclass(frozen=True)
class LevelRules:
    """Levels from lowest to highest; the rules of each level above the lowest."""

    order: tuple[str, ...] = ("general", "important", "urgent")
    rules: Mapping[str, tuple[Mapping[str, Any], ...]] = field(default_factory=dict)
    # Reasons attached to the lowest level (complaints, appeals); never raise it.
    general: tuple[Mapping[str, Any], ...] = ()
    # The rules of each level, and the general ones (under None), as checks.
    checks: Mapping[str | None, tuple[tuple[Check, ...], ...]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        checks: dict[str | None, tuple[tuple[Check, ...], ...]] = {
            level: _checks(self.rules.get(level, ())) for level in self.order[1:]
        }
        checks[None] = _checks(self.general)
        object.__setattr__(self, "checks", checks)

    def rank(self, level: str | None) -> int:
        return self.order.index(level) if level in self.order else -1

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any]) -> LevelRules:
        order = tuple(raw.get("order") or cls.order)
        rules = {
            name: _rules(name, rule_list) for name, rule_list in (raw.get("rules") or {}).items()
        }
        unknown = set(rules) - set(order[1:])
        if unknown:
            raise ValueError(
                f"levels.rules names levels not in levels.order[1:]: {sorted(unknown)}"
            )
        return cls(order, rules, _rules("general", raw.get("general") or []))


def _rules(level: str, rule_list: Any) -> tuple[Mapping[str, Any], ...]:
    if not isinstance(rule_list, list):
        raise ValueError(f"levels.rules.{level} must be a list of rules")
    for rule in rule_list:
        if not isinstance(rule, Mapping) or not rule:
            raise ValueError(f"levels.rules.{level}: each rule is a non-empty mapping")
        unknown = set(rule) - set(CONDITIONS)
        if unknown:
            raise ValueError(f"levels.rules.{level}: unknown conditions {sorted(unknown)}")
    return tuple(rule_list)


def _matches(
    rule: Sequence[Check], item: Any, ctx: LevelContext, memo: dict[Hashable, list[str]]
) -> list[str]:
    reasons: list[str] = []
    for condition, value, key in rule:
        found = memo.get(key)
        if found is None:
            found = memo[key] = condition(item, ctx, value)
        if not found:
            return []
        reasons += found
    return reasons


def _reasons(
    rules: Sequence[Sequence[Check]],
    item: Any,
    ctx: LevelContext,
    memo: dict[Hashable, list[str]],
) -> list[str]:
    found: dict[str, None] = {}
    for rule in rules:
        found.update(dict.fromkeys(_matches(rule, item, ctx, memo)))
    return list(found)


@dataclass(frozen=True)
class LevelsConfig:
    """Everything in settings/levels.yaml."""

    levels: LevelRules = field(default_factory=LevelRules)
    heat: HeatConfig = field(default_factory=HeatConfig)
    trend: TrendConfig = field(default_factory=TrendConfig)
    track: TrackConfig = field(default_factory=TrackConfig)
    default_route: str | None = None
    route_cities: tuple[str, ...] = ("南昌市",)

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any]) -> LevelsConfig:
        return cls(
            levels=LevelRules.from_mapping(raw.get("levels") or {}),
            heat=HeatConfig.from_mapping(raw.get("heat")),
            trend=TrendConfig.from_mapping(raw.get("trend")),
            track=TrackConfig.from_mapping(raw.get("tracking")),
            default_route=(raw.get("routing") or {}).get("default"),
            route_cities=tuple((raw.get("routing") or {}).get("cities") or ("南昌市",)),
        )


def load_levels(path: str | Path = DEFAULT_LEVELS_FILE) -> LevelsConfig:
    """Parse settings/levels.yaml; a bad file raises ValueError naming the problem."""
    raw = load_yaml(path) or {}
    if not isinstance(raw, Mapping):
        raise ValueError(f"{path}: expected a mapping at the top level")
    return LevelsConfig.from_mapping(raw)


@lru_cache(maxsize=1)
def _default_config() -> LevelsConfig:
    return load_levels(DEFAULT_LEVELS_FILE)


def classify(
    item: Any, context: LevelContext | None = None, rules: LevelRules | None = None
) -> tuple[str, list[str]]:
    """(level, reasons) of one item: the highest level any of whose rules holds."""
    context = context or LevelContext()
    rules = rules or _default_config().levels
    # A condition's reasons for this item, by (condition, value): rules share them.
    memo: dict[Hashable, list[str]] = {}
    for level in reversed(rules.order[1:]):
        reasons = _reasons(rules.checks[level], item, context, memo)
        if reasons:
            return level, reasons
    return rules.order[0], _reasons(rules.checks[None], item, context, memo)


def elsewhere(item: Any, cities: Sequence[str] = ("南昌市",)) -> bool:
    """The item is placed in another city or province: counted there, not routed."""
    city, province = _get(item, "jurisdiction.city"), _get(item, "jurisdiction.province")
    return bool(city or province) and city not in cities


def route(item: Any, default: str | None = None, cities: Sequence[str] = ("南昌市",)) -> list[str]:
    """Units that handle the item (属地 first, then departments); `default` when none.
    An item placed elsewhere goes to no unit of the office (it is counted per province)."""
    if elsewhere(item, cities):
        return []
    units: dict[str, None] = {}
    # 属地管理: a functional zone that runs the town (蛟桥街道 -> 经开区) handles it, not
    # the district the statistics code it under.
    place = (
        _get(item, "jurisdiction.zone")
        or _get(item, "jurisdiction.district")
        or _get(item, "jurisdiction.city")
    )
    if place:
        units[str(place)] = None
    town = _get(item, "jurisdiction.town")
    if town:
        units[f"{place}{town}" if place else str(town)] = None
    for department in _get(item, "departments") or []:
        if department:
            units[str(department)] = None
    if not units and default:
        units[default] = None
    return list(units)
