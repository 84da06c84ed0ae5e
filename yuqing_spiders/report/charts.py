"""Charts as PNG data URIs (matplotlib, Agg backend), with a CJK font for the labels.

Every chart is embedded in the report as `data:image/png;base64,...`: the HTML file
loads nothing from anywhere. The font is the first CJK family matplotlib's font
manager knows (Debian's fonts-wqy-zenhei or fonts-noto-cjk, installed by
scripts/install.sh); without one the labels show boxes and a warning is logged.
"""

from __future__ import annotations

import base64
import io
import logging
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from yuqing_spiders.report.data import TZ  # noqa: E402

logger = logging.getLogger(__name__)
# WenQuanYi Zen Hei has only a medium weight: matplotlib says so at every lookup.
logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)

CJK_FAMILIES = (
    "WenQuanYi Zen Hei",
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Source Han Sans SC",
    "Droid Sans Fallback",
    "SimHei",
    "Microsoft YaHei",
)
CJK_FILE_HINTS = ("wqy", "notosanscjk", "sourcehansans", "droidsansfallback", "simhei")
COLORS = ("#c0392b", "#2e86c1", "#27ae60", "#f39c12", "#8e44ad", "#16a085", "#7f8c8d")
DPI = 96


def _known_families() -> set[str]:
    return {entry.name for entry in font_manager.fontManager.ttflist}


def _register_system_cjk_fonts() -> None:
    """Add CJK font files installed after matplotlib cached its font list."""
    for path in font_manager.findSystemFonts():
        if any(hint in Path(path).name.lower().replace("-", "") for hint in CJK_FILE_HINTS):
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):
                logger.debug("font %s not usable", path)


@cache
def cjk_family() -> str | None:
    """The CJK font family the charts use, set as matplotlib's sans-serif default."""
    family = next((f for f in CJK_FAMILIES if f in _known_families()), None)
    if family is None:
        _register_system_cjk_fonts()
        family = next((f for f in CJK_FAMILIES if f in _known_families()), None)
    if family is None:
        logger.warning(
            "no CJK font found: chart labels will not show Chinese (install fonts-wqy-zenhei)"
        )
        return None
    matplotlib.rcParams["font.sans-serif"] = [family, "DejaVu Sans"]
    matplotlib.rcParams["font.family"] = "sans-serif"
    matplotlib.rcParams["axes.unicode_minus"] = False
    return family


def _figure(width: float = 6.4, height: float = 3.2) -> tuple[Figure, Any]:
    cjk_family()
    fig, ax = plt.subplots(figsize=(width, height), dpi=DPI)
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def to_data_uri(fig: Figure) -> str:
    buffer = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buffer, format="png", dpi=DPI)
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


# Each chart function answers "" when it has nothing to draw: the report shows no
# chart rather than an empty axis (-0.04…0.04) or a single point over ten days.


def bar_chart(counts: dict[str, int], title: str, *, horizontal: bool = False) -> str:
    """Counts per label; horizontal bars suit long labels (provinces, sources)."""
    counts = {label: n for label, n in counts.items() if n}
    if not counts:
        return ""
    labels, values = list(counts), list(counts.values())
    height = max(2.4, 0.38 * len(labels) + 1.0) if horizontal else 3.2
    fig, ax = _figure(6.4, height)
    colors = [COLORS[n % len(COLORS)] for n in range(len(labels))]
    if horizontal:
        bars = ax.barh(labels[::-1], values[::-1], color=colors[::-1])
    else:
        bars = ax.bar(labels, values, color=colors)
        ax.tick_params(axis="x", labelrotation=30 if len(labels) > 5 else 0)
    ax.bar_label(bars, padding=2, fontsize=8)
    ax.set_title(title)
    return to_data_uri(fig)


def trend_chart(
    series: Sequence[dict[str, Any]], spread: Sequence[dict[str, Any]], title: str
) -> str:
    """An event over time: summed interactions at each crawl (line, left axis) and the
    number of sites' items published so far (steps, right axis); "" with fewer than
    two points on both."""
    if len(series) < 2 and sum(1 for s in spread if s.get("at")) < 2:
        return ""
    fig, ax = _figure(6.4, 3.0)
    crawls = [p["at"] for p in series]
    ax.plot(
        crawls, [p["interactions"] for p in series], marker="o", color=COLORS[0], label="互动量"
    )
    ax.set_ylabel("互动量")
    ax.set_ylim(bottom=0)
    published = sorted(s["at"] for s in spread if s.get("at"))
    right = ax.twinx()
    right.step(
        published,
        range(1, len(published) + 1),
        where="post",
        marker=".",
        color=COLORS[1],
        label="发布数（累计）",
    )
    right.set_ylabel("发布数")
    right.set_ylim(0, len(published) + 1)
    _time_axis(ax, crawls + published)
    ax.set_title(title)
    fig.legend(loc="upper left", fontsize=8)
    return to_data_uri(fig)


def spread_chart(spread: Sequence[dict[str, Any]], title: str) -> str:
    """Who carried the story when: one row per site, the first publisher in red."""
    rows = [s for s in spread if s.get("at")]
    if len(rows) < 2:
        return ""
    sites = list(dict.fromkeys(s["site"] for s in rows))
    fig, ax = _figure(6.4, max(2.4, 0.4 * len(sites) + 1.2))
    for row in rows:
        color = COLORS[0] if row["is_first_publisher"] else COLORS[1]
        ax.scatter(row["at"], sites.index(row["site"]), color=color, s=40, zorder=3)
    if len(rows) > 1:
        ax.plot(
            [r["at"] for r in rows], [sites.index(r["site"]) for r in rows], color="#bbb", zorder=1
        )
    ax.set_yticks(range(len(sites)), sites)
    ax.set_ylim(-0.5, len(sites) - 0.5)
    _time_axis(ax, [r["at"] for r in rows])
    ax.set_title(title)
    return to_data_uri(fig)


def daily_chart(days: Sequence[dict[str, Any]], title: str) -> str:
    """Items and important items per day (weekly report)."""
    if not any(d["total"] for d in days):
        return ""
    fig, ax = _figure(6.4, 3.0)
    labels = [d["day"][5:] for d in days]
    ax.bar(labels, [d["total"] for d in days], color=COLORS[1], label="全部")
    ax.bar(labels, [d["important"] for d in days], color=COLORS[0], label="重要")
    ax.legend(fontsize=8)
    ax.set_title(title)
    return to_data_uri(fig)


def _time_axis(ax: Any, times: Sequence[datetime]) -> None:
    """Date ticks in Beijing time; at least two hours wide, so one point is not a decade."""
    if times:
        first, last = min(times), max(times)
        if last - first < timedelta(hours=2):
            ax.set_xlim(first - timedelta(hours=1), last + timedelta(hours=1))
    locator = mdates.AutoDateLocator(minticks=2, maxticks=6)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, tz=TZ))
