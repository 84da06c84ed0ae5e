"""Pages that need JavaScript render in Debian's chromium, answered by the replay site.

Models: 今视网 jxntv.cn channel lists were JS-rendered (a 2019 spider
needed PhantomJS): the HTML holds an empty list that a script fills from a JSON call,
and the script itself comes from another (static) host. The page must keep its real
https URL, every request the browser makes must be answered by the replay server,
and a plain request in the same crawl must not start or need the browser.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.helpers.cli import yuqing_env
from tests.helpers.paths import REPO
from yuqing_spiders.replay.server import ReplayServer

pytestmark = pytest.mark.slow

LIST_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>今视网 新闻</title>
<script src="https://static.js-example.cn/js/render.js"></script></head>
<body><ul id="list"></ul></body></html>"""
RENDER_JS = """document.addEventListener('DOMContentLoaded', function () {
  fetch('/api/list.json').then(function (r) { return r.json(); }).then(function (data) {
    var ul = document.getElementById('list');
    data.items.forEach(function (it) {
      var li = document.createElement('li'); var a = document.createElement('a');
      a.href = it.url; a.textContent = it.title; li.appendChild(a); ul.appendChild(li);
    });
    document.title = 'rendered';
  });
});"""
ITEMS = [
    {"url": "https://news.js-example.cn/2026/1125/1001.shtml", "title": "南昌地铁新线开通"},
    {"url": "https://news.js-example.cn/2026/1125/1002.shtml", "title": "赣江两岸灯光秀"},
]


def build_site(root):
    (root / "news.js-example.cn/list").mkdir(parents=True)
    (root / "news.js-example.cn/api").mkdir()
    (root / "static.js-example.cn/js").mkdir(parents=True)
    (root / "news.js-example.cn/list/index.html").write_text(LIST_PAGE, encoding="utf-8")
    (root / "news.js-example.cn/plain.html").write_text(LIST_PAGE, encoding="utf-8")
    (root / "news.js-example.cn/api/list.json").write_text(
        json.dumps({"items": ITEMS}, ensure_ascii=False), encoding="utf-8"
    )
    (root / "static.js-example.cn/js/render.js").write_text(RENDER_JS, encoding="utf-8")


def test_js_list_renders_in_chromium_through_the_replay_site(tmp_path):
    build_site(tmp_path / "web")
    out = tmp_path / "out.json"
    with ReplayServer(tmp_path / "web") as site:
        proc = subprocess.run(
            [sys.executable, "tests/scripts/browser_crawl.py", site.url, str(out)],
            cwd=REPO,
            env=yuqing_env(),
            capture_output=True,
            text=True,
            timeout=180,
        )
        served = {(r.host, r.path) for r in site.requests}
    assert proc.returncode == 0, proc.stderr[-3000:]
    data = json.loads(out.read_text(encoding="utf-8"))
    result, stats = data["result"], data["stats"]
    assert result["rendered_url"] == "https://news.js-example.cn/list/"
    assert result["links"] == [it["url"] for it in ITEMS]
    assert result["titles"] == [it["title"] for it in ITEMS]
    # The same HTML fetched without the browser has no links: the script never ran.
    assert result["plain_url"] == "http://news.js-example.cn/plain.html"
    assert result["plain_has_list"] is False
    assert {
        ("news.js-example.cn", "/list/"),
        ("static.js-example.cn", "/js/render.js"),
        ("news.js-example.cn", "/api/list.json"),
    } <= served
    assert stats["browser/launched"] == 1
    assert stats["browser/pages"] == 1
    assert stats["browser/replay_requests"] >= 3
