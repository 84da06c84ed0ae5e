"""The HTML template of the reports (Jinja2, autoescaped). Inline CSS, no scripts."""

# ruff: noqa: E501  (markup: a table row reads best on one line)

from __future__ import annotations

PAGE = """{% macro level(name) %}<span class="{{ name }}">{{ name | level }}</span>{% endmacro %}
{% macro period_body() %}
<h2 id="overview">一、概览 Overview</h2>
<div class="cards">
<div class="card">信息总量<b>{{ r.overview.total }}</b></div>
<div class="card">重要舆情<b>{{ r.overview.important }}</b></div>
<div class="card">事件<b>{{ r.overview.events }}</b></div>
{% for name, n in r.overview.by_sentiment.items() %}<div class="card">{{ name | sentiment }}<b>{{ n }}</b></div>{% endfor %}
</div>
<div class="charts">
{{ chart("平台分布", charts.platform) }}{{ chart("级别分布", charts.level) }}
{{ chart("情感分布", charts.sentiment) }}{{ chart("每日信息量", charts.get("days")) }}
</div>

<h2 id="important">二、重要舆情 Important items</h2>
{% if r.important %}<table><tr><th>#</th><th>级别</th><th>标题</th><th>来源（等级）</th><th>首发</th>
<th>上头条/热榜</th><th>大V</th><th>定级理由</th><th>转办</th></tr>
{% for i in r.important %}<tr><td>{{ loop.index }}</td><td>{{ level(i.level) }}</td>
<td><a href="{{ i.url }}">{{ i.title }}</a><div class="muted">{{ i.published_at | dt }} · {{ i.platform | platform }}</div></td>
<td>{{ i.media or i.source }}（{{ i.tier | tier }}）</td>
<td>{{ i.first_note }}</td>
<td>{{ i.front_page | join("、") or "—" }}</td><td>{{ i.big_v or "—" }}</td>
<td>{{ i.reasons | reasons | join("；") }}</td><td>{{ i.routed_to | join("、") }}</td></tr>
{% endfor %}</table>{% else %}<p>本期无重要舆情。</p>{% endif %}

<h2 id="jurisdictions">三、属地分布 By jurisdiction</h2>
{{ groups(r.jurisdictions, "属地") }}
<div class="charts">{{ chart("属地分布", charts.jurisdictions) }}</div>

<h2 id="departments">四、部门分布 By department</h2>
{{ groups(r.departments, "部门") }}
<div class="charts">{{ chart("部门分布", charts.departments) }}</div>

<h2 id="provinces">五、分省域统计 Important items by province</h2>
<table><tr><th>省域（媒体所在）</th><th>重要舆情</th></tr>
{% for name, n in r.provinces.items() %}<tr><td>{{ name }}</td><td>{{ n }}</td></tr>{% else %}<tr><td colspan="2">无</td></tr>{% endfor %}
</table>
<div class="charts">{{ chart("分省域统计", charts.provinces) }}</div>

<h2 id="events">六、热点事件 Top events</h2>
{% for e in r.events %}<div class="event">{{ event_body(e, loop.index) }}</div>{% else %}<p>本期无多站点传播的事件。</p>{% endfor %}
{% if r.single_events %}<h3>单条信息（尚无转载）</h3>
<table><tr><th>级别</th><th>标题</th><th>来源</th><th>发布时间</th><th>热度</th></tr>
{% for e in r.single_events %}<tr><td>{{ level(e.level) }}</td><td><a href="{{ e.url }}">{{ e.title }}</a></td>
<td>{{ e.media or "—" }}</td><td>{{ e.published_at | dt }}</td><td>{{ e.heat if e.heat is not none else "—" }}</td></tr>
{% endfor %}</table>{% endif %}

<h2 id="health">七、采集健康 Sources' health</h2>
{% set failing = r.health | selectattr("status", "equalto", "errors") | list %}
{% if failing %}<p class="bad">本期 {{ failing | length }} 个来源有失败：</p>
<ul>{% for h in failing %}<li><b>{{ h.source }}</b>：{{ h.problems | join("；") or "有失败，原因未记录" }}</li>{% endfor %}</ul>
{% else %}<p>本期采集均正常。</p>{% endif %}
<table><tr><th>来源</th><th>采集器</th><th>状态</th><th>运行</th><th>页面</th><th>条目</th><th>入库</th><th>暂存</th>
<th>失败</th><th>失败原因</th><th>最后采集</th></tr>
{% for h in r.health if h.status != "not crawled" %}<tr><td>{{ h.source }}</td><td>{{ h.spider }}</td><td class="{{ '' if h.status == 'ok' else 'bad' }}">{{ h.status | health }}</td>
<td>{{ h.runs }}</td><td>{{ h.pages }}</td><td>{{ h["items"] }}</td><td>{{ h.stored }}</td><td>{{ h.spooled }}</td>
<td>{{ h.requests_failed + h.items_failed + h.refused }}</td>
<td>{% for k, v in h.errors.items() %}{{ k | failure }}×{{ v }} {% endfor %}{% if h.refused %}数据库拒收×{{ h.refused }}{% endif %}</td><td>{{ h.last | dt }}</td></tr>
{% endfor %}</table>
{% set idle = r.health | selectattr("status", "equalto", "not crawled") | map(attribute="source") | list %}
{% if idle %}<p class="bad">本期未采集（{{ idle | length }}）：{{ idle | join("、") }}</p>{% endif %}
<div class="charts">{{ chart("采集入库", charts.health) }}{{ chart("采集失败", charts.health_failed) }}</div>
{% endmacro %}
{% macro chart(name, src) %}{% if src %}<img alt="{{ name }}" src="{{ src }}">{% endif %}{% endmacro %}
{% macro groups(rows, what) %}
{% if rows %}<table><tr><th>{{ what }}</th><th>信息量</th><th>重要</th><th>负面</th><th>主要信息</th></tr>
{% for g in rows %}<tr><td>{{ g.name }}</td><td>{{ g.count }}</td><td>{{ g.important }}</td><td>{{ g.negative }}</td>
<td>{% for t in g.top %}<div>{{ level(t.level) }} <a href="{{ t.url }}">{{ t.title }}</a></div>{% endfor %}</td></tr>
{% endfor %}</table>{% else %}<p>无</p>{% endif %}
{% endmacro %}
{% macro event_body(e, n) %}
<h3>事件 {{ n }}：{{ e.title or e.id }} {{ level(e.level) }}</h3>
<p class="muted">{{ e.id }} · 热度 {{ e.heat if e.heat is not none else "—" }} · 趋势 {{ e.trend or "—" }} ·
成员 {{ e.member_count }} · 站点 {{ e.sites | length }} · 等级 {{ e.tiers | map("tier") | join("、") }}
{% if e.central_first %}· 中央媒体首发{% endif %} · 理由 {{ e.level_reasons | reasons | join("；") or "—" }}</p>
<p>首发：{{ e.spread[0].media if e.spread else "—" }}（{{ e.first.site or "—" }}，{{ e.first.published_at | dt }}）</p>
<div class="charts">{{ chart("事件趋势", charts.events[e.id].trend) }}
{{ chart("传播站点", charts.events[e.id].spread) }}</div>
<h4>传播路径（首发，然后按时间的转载）</h4>
<table><tr><th>时间</th><th>媒体</th><th>站点</th><th>标题</th></tr>
{% for s in e.spread %}<tr><td>{{ s.at | dt }}</td><td>{{ s.media }}{% if s.is_first_publisher %}（首发）{% endif %}</td>
<td>{{ s.site }}</td><td><a href="{{ s.url }}">{{ s.title }}</a></td></tr>{% endfor %}
</table>
{% endmacro %}
<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>{{ title }}</title>
<style>
body { font-family: "WenQuanYi Zen Hei", "Noto Sans CJK SC", sans-serif; margin: 24px auto;
       max-width: 1100px; color: #222; line-height: 1.5; }
h1 { border-bottom: 3px solid #c0392b; padding-bottom: 6px; }
h2 { margin-top: 32px; border-left: 5px solid #c0392b; padding-left: 8px; }
table { border-collapse: collapse; width: 100%; font-size: 13px; margin: 8px 0; }
th, td { border: 1px solid #ddd; padding: 4px 6px; vertical-align: top; text-align: left; }
th { background: #f4f4f4; }
.cards { display: flex; gap: 12px; flex-wrap: wrap; }
.card { border: 1px solid #ddd; border-radius: 6px; padding: 8px 16px; min-width: 120px; }
.card b { font-size: 22px; display: block; }
.charts { display: flex; flex-wrap: wrap; gap: 8px; }
.charts img { max-width: 520px; border: 1px solid #eee; }
span.urgent, span.important, span.general { white-space: nowrap; }
.urgent { color: #fff; background: #c0392b; padding: 0 4px; border-radius: 3px; }
.important { color: #fff; background: #e67e22; padding: 0 4px; border-radius: 3px; }
.general { color: #555; background: #eee; padding: 0 4px; border-radius: 3px; }
.bad { color: #c0392b; font-weight: bold; }
.muted { color: #888; font-size: 12px; }
.event { border: 1px solid #ddd; border-radius: 6px; padding: 8px 12px; margin: 12px 0; }
</style></head>
<body>
<h1>{{ title }}</h1>
<p class="muted">统计区间 {{ r.start | dt }} — {{ r.end | dt }}（北京时间）· 生成于 {{ r.generated_at | dt }}</p>
{% if r.kind == "event" %}
<h2 id="event">一、事件概要与趋势 Event and its trend</h2>
{{ event_body(r.event, 1) }}
<h2 id="sites">二、站点分布 Spread across sites</h2>
<div class="charts">{{ chart("站点分布", charts.sites) }}</div>
{% else %}{{ period_body() }}{% endif %}
</body></html>
"""
