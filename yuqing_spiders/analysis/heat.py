"""Heat and trend: pure functions of metrics, breadth and time (docs/analysis.md).

    engagement = Σ w_k · ln(1 + n_k)              k = comments, reposts, likes, reads
    breadth    = w_sites · ln(sites) + w_platforms · (platforms − 1) + Σ tier_weight[tier]
    placement  = w_front_page · min(front pages, cap) + w_big_v · min(big-V authors, cap)
    heat       = (engagement + breadth + placement) · 2^(−age_hours / half_life_hours)

Logarithms because counters span six orders of magnitude (a forum thread with 30
replies, a Weibo post with 300,000 reads): each tenfold rise adds the same amount.
The weights, caps and half-life live in settings/levels.yaml.

Trend reads a series of (time, interactions) observations — an item's
`opinion_metrics` points, or an event's summed series — and says whether it is
spreading faster (rising), at the same pace (steady) or slower (cooling).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

METRICS = ("comments", "reposts", "likes", "reads")


@dataclass(frozen=True)
class HeatConfig:
    weights: Mapping[str, float] = field(
        default_factory=lambda: {"comments": 1.0, "reposts": 1.5, "likes": 0.5, "reads": 0.25}
    )
    sites: float = 3.0
    platforms: float = 2.0
    tiers: Mapping[str, float] = field(
        default_factory=lambda: {
            "central_key": 10.0,
            "provincial_key": 6.0,
            "commercial": 4.0,
            "local": 3.0,
            "government": 2.0,
            "self_media": 1.0,
        }
    )
    front_page: float = 8.0
    front_page_cap: int = 3
    big_v: float = 6.0
    big_v_cap: int = 3
    half_life_hours: float = 24.0

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any] | None) -> HeatConfig:
        raw = dict(raw or {})
        base = cls()
        half_life = float(raw.get("half_life_hours", base.half_life_hours))
        if half_life <= 0:
            raise ValueError("heat.half_life_hours must be positive")
        return cls(
            weights={**base.weights, **(raw.get("weights") or {})},
            sites=float(raw.get("sites", base.sites)),
            platforms=float(raw.get("platforms", base.platforms)),
            tiers={**base.tiers, **(raw.get("tiers") or {})},
            front_page=float(raw.get("front_page", base.front_page)),
            front_page_cap=int(raw.get("front_page_cap", base.front_page_cap)),
            big_v=float(raw.get("big_v", base.big_v)),
            big_v_cap=int(raw.get("big_v_cap", base.big_v_cap)),
            half_life_hours=half_life,
        )


@dataclass(frozen=True)
class HeatInputs:
    """What heat is computed from: one item, or an event's summed members."""

    metrics: Mapping[str, int | None]
    sites: int = 1
    platforms: int = 1
    tiers: Sequence[str] = ()
    front_pages: int = 0
    big_v: int = 0
    since: datetime | None = None  # publication (item) or latest activity (event)


def engagement(metrics: Mapping[str, int | None], config: HeatConfig) -> float:
    total = 0.0
    for name in METRICS:
        value = metrics.get(name)
        if value is not None and value > 0:  # null = not shown: adds nothing, hides nothing
            total += config.weights.get(name, 0.0) * math.log1p(value)
    return total


def decay(since: datetime | None, now: datetime, half_life_hours: float) -> float:
    """2^(−age/half-life); 1 for an unknown age or a time in the future (clock skew)."""
    if since is None:
        return 1.0
    age_hours = max(0.0, (now - since).total_seconds() / 3600.0)
    return 0.5 ** (age_hours / half_life_hours)


def heat(inputs: HeatInputs, now: datetime, config: HeatConfig) -> float:
    breadth = config.sites * math.log(max(1, inputs.sites))
    breadth += config.platforms * max(0, inputs.platforms - 1)
    breadth += sum(config.tiers.get(tier, 0.0) for tier in set(inputs.tiers))
    placement = config.front_page * min(inputs.front_pages, config.front_page_cap)
    placement += config.big_v * min(inputs.big_v, config.big_v_cap)
    raw = engagement(inputs.metrics, config) + breadth + placement
    return round(raw * decay(inputs.since, now, config.half_life_hours), 2)


# --- trend ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendConfig:
    window_hours: float = 24.0
    # Interactions per hour below which an item counts as no longer spreading.
    min_rate: float = 1.0
    # Relative change of the latest rate against the earlier ones that counts as a change.
    tolerance: float = 0.2
    read_weight: float = 0.05  # reads come in far larger numbers than comments
    # In an event's series each member counts as this many interactions: news reposts
    # show no counters, and their number is how such a story spreads.
    member_weight: float = 10.0

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any] | None) -> TrendConfig:
        raw = dict(raw or {})
        base = cls()
        return cls(
            window_hours=float(raw.get("window_hours", base.window_hours)),
            min_rate=float(raw.get("min_rate", base.min_rate)),
            tolerance=float(raw.get("tolerance", base.tolerance)),
            read_weight=float(raw.get("read_weight", base.read_weight)),
            member_weight=float(raw.get("member_weight", base.member_weight)),
        )


def interactions(metrics: Mapping[str, Any], config: TrendConfig) -> float | None:
    """One number per observation; None when the page showed no counter at all."""
    values = {name: metrics.get(name) for name in METRICS}
    if all(value is None for value in values.values()):
        return None
    total = sum(float(values[n] or 0) for n in ("comments", "reposts", "likes"))
    return total + config.read_weight * float(values["reads"] or 0)


def _slope(points: Sequence[tuple[float, float]]) -> float:
    """Least-squares slope of value over hours."""
    mean_t = sum(t for t, _ in points) / len(points)
    mean_v = sum(v for _, v in points) / len(points)
    spread = sum((t - mean_t) ** 2 for t, _ in points)
    if spread == 0:
        return 0.0
    return sum((t - mean_t) * (v - mean_v) for t, v in points) / spread


def trend(observations: Iterable[tuple[datetime, float]], config: TrendConfig) -> dict[str, Any]:
    """`{"label", "slope", "points"}`: label rising | steady | cooling, or `new` with a
    single observation; slope in interactions per hour over the window."""
    series = sorted(dict(observations).items())
    if not series:
        return {"label": None, "slope": 0.0, "points": 0}
    latest = series[-1][0]
    hours = [
        ((at - latest).total_seconds() / 3600.0, value)
        for at, value in series
        if (latest - at).total_seconds() <= config.window_hours * 3600
    ]
    if len(hours) < 2:
        return {"label": "new", "slope": 0.0, "points": len(hours)}
    rates = [(v2 - v1) / (t2 - t1) for (t1, v1), (t2, v2) in zip(hours, hours[1:], strict=False)]
    slope = round(_slope(hours), 3)
    return {"label": _label(rates, config), "slope": slope, "points": len(hours)}


def _label(rates: Sequence[float], config: TrendConfig) -> str:
    last = rates[-1]
    if len(rates) == 1:
        return "rising" if last > config.min_rate else "cooling"
    earlier = sum(rates[:-1]) / (len(rates) - 1)
    if last <= config.min_rate or last < earlier * (1 - config.tolerance):
        return "cooling"
    if last > earlier * (1 + config.tolerance):
        return "rising"
    return "steady"
