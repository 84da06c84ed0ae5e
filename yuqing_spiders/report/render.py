"""Reports as a self-contained HTML page (charts inline), Markdown or JSON."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import jinja2

from yuqing_spiders.report import charts
from yuqing_spiders.report.templates import PAGE
from yuqing_spiders.report.words import (
    failure_in_words,
    md_escape,
    md_link,
    reasons_in_words,
)

# Platform names come from the settings (YUQING_PLATFORM_NAMES, to which a new
# platform's folder adds its own); these serve a report rendered without settings.
PLATFORMS = {
    "news": "新闻", "weibo": "微博", "wechat": "微信", "forum": "论坛", "tieba": "贴吧",
    "toutiao": "头条", "wenzheng": "问政", "video": "视频", "unknown": "未知",
}  # fmt: skip
LEVELS = {"urgent": "紧急", "important": "重要", "general": "一般"}
SENTIMENTS = {"negative": "负面", "neutral": "中性", "positive": "正面", "unknown": "未判定"}
TIERS = {
    "central_key": "中央重点", "provincial_key": "省级重点", "local": "地方", "government": "政务",
    "commercial": "商业", "self_media": "自媒体",
}  # fmt: skip
HEALTH = {"ok": "正常", "errors": "有失败", "no pages": "无页面", "not crawled": "未采集"}
KINDS = {"daily": "每日舆情", "weekly": "每周舆情", "event": "舆情专报"}


def title_of(report: dict[str, Any]) -> str:
    return f"南昌市网络舆情 · {KINDS[report['kind']]} · {report['label']}"


def named(counts: dict[str, int], names: Mapping[str, str]) -> dict[str, int]:
    return {names.get(k, k): v for k, v in counts.items()}


def fmt_time(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "—"


def period_charts(report: dict[str, Any], platforms: Mapping[str, str]) -> dict[str, Any]:
    view = report["overview"]
    result: dict[str, Any] = {
        "platform": charts.bar_chart(named(view["by_platform"], platforms), "平台分布"),
        "level": charts.bar_chart(named(view["by_level"], LEVELS), "级别分布"),
        "sentiment": charts.bar_chart(named(view["by_sentiment"], SENTIMENTS), "情感分布"),
        "jurisdictions": group_chart(report["jurisdictions"], "各属地信息量"),
        "departments": group_chart(report["departments"], "各部门信息量"),
        "provinces": charts.bar_chart(report["provinces"], "重要舆情 分省域统计", horizontal=True),
        # Zero bars are left out, and a chart with no bar is not drawn at all.
        "health": charts.bar_chart(
            {h["source"]: h["stored"] for h in report["health"]}, "各来源入库条目", horizontal=True
        ),
        "health_failed": charts.bar_chart(
            {h["source"]: failures(h) for h in report["health"]}, "各来源失败次数", horizontal=True
        ),
        "events": {e["id"]: event_charts(e) for e in report["events"]},
    }
    if report.get("days"):
        result["days"] = charts.daily_chart(report["days"], "每日信息量")
    return result


def group_chart(rows: list[dict[str, Any]], title: str) -> str:
    return charts.bar_chart({r["name"]: r["count"] for r in rows[:12]}, title, horizontal=True)


def event_charts(event: dict[str, Any]) -> dict[str, str]:
    return {
        "trend": charts.trend_chart(event["series"], event["spread"], "事件趋势：互动量与发布数"),
        "spread": charts.spread_chart(event["spread"], "传播路径：各站点发布时间"),
    }


def render_html(report: dict[str, Any], platforms: Mapping[str, str] = PLATFORMS) -> str:
    if report["kind"] == "event":
        event = report["event"]
        images: dict[str, Any] = {"events": {event["id"]: event_charts(event)}}
        images["sites"] = charts.bar_chart(event["sites_count"], "各站点转载数", horizontal=True)
    else:
        images = period_charts(report, platforms)
    page = environment(platforms).from_string(PAGE)
    return page.render(r=report, charts=images, title=title_of(report))


def environment(platforms: Mapping[str, str] = PLATFORMS) -> jinja2.Environment:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    env.filters.update(
        dt=fmt_time,
        level=lambda v: LEVELS.get(v, v),
        platform=lambda v: platforms.get(v, v),
        sentiment=lambda v: SENTIMENTS.get(v, v),
        health=lambda v: HEALTH.get(v, v),
        tier=lambda v: TIERS.get(v, v) if v else "未知",
        reasons=lambda codes: reasons_in_words(list(codes or []), platforms),
        failure=failure_in_words,
    )
    return env


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, set):
        return sorted(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def render_json(report: dict[str, Any], platforms: Mapping[str, str] = PLATFORMS) -> str:
    # Other systems read the keys (`news`, `weibo`): names are for people, not here.
    return json.dumps(report, ensure_ascii=False, indent=2, default=_json_default)


def md_table(header: list[str], rows: list[list[Any]]) -> list[str]:
    """A Markdown table; cells are given escaped (md_escape / md_link) or as numbers."""
    cells = [[str(c).replace("\n", " ") for c in row] for row in rows]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(row) + " |" for row in cells] + [""]


def render_markdown(report: dict[str, Any], platforms: Mapping[str, str] = PLATFORMS) -> str:
    lines = [
        f"# {md_escape(title_of(report))}",
        "",
        f"统计区间 {fmt_time(report['start'])} — {fmt_time(report['end'])}",
        "",
    ]
    if report["kind"] == "event":
        return "\n".join(lines + md_event(report["event"], platforms))
    view = report["overview"]
    lines += [
        "## 一、概览 Overview",
        "",
        f"信息总量 {view['total']}，重要舆情 {view['important']}，事件 {view['events']}。",
        "",
    ]
    for name, counts, names in (
        ("平台", "by_platform", platforms),
        ("级别", "by_level", LEVELS),
        ("情感", "by_sentiment", SENTIMENTS),
    ):
        rows = [[md_escape(k), v] for k, v in named(view[counts], names).items()]
        lines += md_table([name, "数量"], rows)
    lines += ["## 二、重要舆情 Important items", ""] + md_table(
        ["级别", "标题", "来源", "首发", "上头条", "大V", "理由", "转办"],
        [md_important(i, platforms) for i in report["important"]],
    )
    for title, key in (
        ("三、属地分布 By jurisdiction", "jurisdictions"),
        ("四、部门分布 By department", "departments"),
    ):
        rows = [
            [md_escape(g["name"]), g["count"], g["important"], g["negative"]] for g in report[key]
        ]
        lines += [f"## {title}", ""] + md_table(["名称", "信息量", "重要", "负面"], rows)
    lines += ["## 五、分省域统计 Important items by province", ""] + md_table(
        ["省域", "重要舆情"], [[md_escape(p), n] for p, n in report["provinces"].items()]
    )
    lines += ["## 六、热点事件 Top events", ""]
    for event in report["events"]:
        lines += md_event(event, platforms)
    if not report["events"]:
        lines += ["本期无多站点传播的事件。", ""]
    if report.get("single_events"):
        lines += ["单条信息（尚无转载）：", ""] + md_table(
            ["级别", "标题", "来源", "热度"],
            [
                [
                    LEVELS.get(e["level"], e["level"]),
                    md_link(e["title"], e["url"]),
                    md_escape(e["media"] or "—"),
                    e["heat"] if e["heat"] is not None else "—",
                ]
                for e in report["single_events"]
            ],
        )
    lines += ["## 七、采集健康 Sources' health", ""] + md_health(report["health"])
    return "\n".join(lines)


def failures(h: dict[str, Any]) -> int:
    """Requests given up, items or pages lost to an error, documents MongoDB refused."""
    return int(h["requests_failed"] + h.get("items_failed", 0) + h.get("refused", 0))


def md_health(health: list[dict[str, Any]]) -> list[str]:
    failing = [h for h in health if h["status"] == "errors"]
    lines = [f"本期 {len(failing)} 个来源有失败：", ""] if failing else ["本期采集均正常。", ""]
    for h in failing:
        said = "；".join(h.get("problems") or []) or "有失败，原因未记录"
        lines.append(f"- **{md_escape(h['source'])}**：{md_escape(said)}")
    lines += [""] if failing else []
    idle = [h["source"] for h in health if h["status"] == "not crawled"]
    if idle:
        lines += [f"本期未采集（{len(idle)}）：{md_escape('、'.join(idle))}", ""]
    rows = [
        [
            md_escape(h["source"]),
            md_escape(h["spider"]),
            HEALTH.get(h["status"], h["status"]),
            h["pages"],
            h["items"],
            h["stored"],
            h.get("spooled", 0),
            failures(h),
        ]
        for h in health
        if h["status"] != "not crawled"
    ]
    return lines + md_table(
        ["来源", "采集器", "状态", "页面", "条目", "入库", "暂存", "失败"], rows
    )


def md_important(item: dict[str, Any], platforms: Mapping[str, str] = PLATFORMS) -> list[Any]:
    return [
        LEVELS.get(item["level"], item["level"]),
        md_link(item["title"], item["url"]),
        md_escape(f"{item['media'] or item['source']}（{TIERS.get(item['tier'] or '', '未知')}）"),
        md_escape(item.get("first_note") or "—"),
        md_escape("、".join(item["front_page"]) or "—"),
        md_escape(item["big_v"] or "—"),
        md_escape("；".join(reasons_in_words(item["reasons"], platforms))),
        md_escape("、".join(item["routed_to"])),
    ]


def md_event(event: dict[str, Any], platforms: Mapping[str, str] = PLATFORMS) -> list[str]:
    reasons = "；".join(reasons_in_words(event.get("level_reasons") or [], platforms)) or "—"
    lines = [
        f"### {md_escape(event['title'] or event['id'])}"
        f"（{LEVELS.get(event['level'], event['level'])}）",
        "",
        f"`{event['id']}` 热度 {event['heat']}，成员 {event['member_count']}，"
        f"站点 {len(event['sites'])}，理由 {md_escape(reasons)}。",
        "",
        "传播路径（首发，然后按时间的转载）：",
        "",
    ]
    rows = [
        [
            fmt_time(s["at"]),
            md_escape((s["media"] or "—") + ("（首发）" if s["is_first_publisher"] else "")),
            md_escape(s["site"]),
            md_link(s["title"], s["url"]),
        ]
        for s in event["spread"]
    ]
    return lines + md_table(["时间", "媒体", "站点", "标题"], rows)


def render(report: dict[str, Any], fmt: str, platforms: Mapping[str, str] | None = None) -> str:
    """The report as `fmt`; `platforms` names each platform key (YUQING_PLATFORM_NAMES)."""
    renderers = {"html": render_html, "md": render_markdown, "json": render_json}
    return renderers[fmt](report, {**PLATFORMS, **(platforms or {})})
