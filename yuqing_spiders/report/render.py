"""Reports as a self-contained HTML page (charts inline), Markdown or JSON."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import jinja2

from yuqing_spiders.report import charts
from yuqing_spiders.report.templates import PAGE

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
        "health": charts.bar_chart(
            {h["spider"]: h["stored"] for h in report["health"] if h["runs"]},
            "各采集器入库条目",
            horizontal=True,
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
    cells = [[str(c).replace("|", "\\|").replace("\n", " ") for c in row] for row in rows]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(row) + " |" for row in cells] + [""]


def render_markdown(report: dict[str, Any], platforms: Mapping[str, str] = PLATFORMS) -> str:
    lines = [
        f"# {title_of(report)}",
        "",
        f"统计区间 {fmt_time(report['start'])} — {fmt_time(report['end'])}",
        "",
    ]
    if report["kind"] == "event":
        return "\n".join(lines + md_event(report["event"]))
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
        lines += md_table([name, "数量"], [[k, v] for k, v in named(view[counts], names).items()])
    lines += ["## 二、重要舆情 Important items", ""] + md_table(
        ["级别", "标题", "来源", "首发", "上头条", "大V", "理由", "转办"],
        [md_important(i) for i in report["important"]],
    )
    for title, key in (
        ("三、属地分布 By jurisdiction", "jurisdictions"),
        ("四、部门分布 By department", "departments"),
    ):
        rows = [[g["name"], g["count"], g["important"], g["negative"]] for g in report[key]]
        lines += [f"## {title}", ""] + md_table(["名称", "信息量", "重要", "负面"], rows)
    lines += ["## 五、分省域统计 Important items by province", ""] + md_table(
        ["省域", "重要舆情"], [list(p) for p in report["provinces"].items()]
    )
    lines += ["## 六、热点事件 Top events", ""]
    for event in report["events"]:
        lines += md_event(event)
    lines += ["## 七、采集健康 Sources' health", ""] + md_table(
        ["采集器", "状态", "页面", "条目", "入库", "请求失败", "错误"],
        [
            [
                h["spider"],
                h["status"],
                h["pages"],
                h["items"],
                h["stored"],
                h["requests_failed"],
                h["errors"] or "",
            ]
            for h in report["health"]
        ],
    )
    return "\n".join(lines)


def md_important(item: dict[str, Any]) -> list[Any]:
    first = (
        "首发"
        if item["is_first_publisher"]
        else item["first_publisher"]["name"] or item["first_publisher"]["id"]
    )
    return [
        LEVELS.get(item["level"], item["level"]),
        f"[{item['title']}]({item['url']})",
        f"{item['media'] or item['source']}（{TIERS.get(item['tier'] or '', '未知')}）",
        first,
        "、".join(item["front_page"]) or "—",
        item["big_v"] or "—",
        "；".join(item["reasons"]),
        "、".join(item["routed_to"]),
    ]


def md_event(event: dict[str, Any]) -> list[str]:
    lines = [
        f"### {event['title'] or event['id']}（{LEVELS.get(event['level'], event['level'])}）",
        "",
        f"`{event['id']}` 热度 {event['heat']}，成员 {event['member_count']}，"
        f"站点 {len(event['sites'])}。",
        "",
        "传播路径（首发，然后按时间的转载）：",
        "",
    ]
    rows = [
        [
            fmt_time(s["at"]),
            s["media"] + ("（首发）" if s["is_first_publisher"] else ""),
            s["site"],
            s["title"],
        ]
        for s in event["spread"]
    ]
    return lines + md_table(["时间", "媒体", "站点", "标题"], rows)


def render(report: dict[str, Any], fmt: str, platforms: Mapping[str, str] | None = None) -> str:
    """The report as `fmt`; `platforms` names each platform key (YUQING_PLATFORM_NAMES)."""
    renderers = {"html": render_html, "md": render_markdown, "json": render_json}
    return renderers[fmt](report, {**PLATFORMS, **(platforms or {})})
