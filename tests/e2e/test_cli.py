"""The commands a user types, run as subprocesses from the repository root."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.helpers.cli import run_yuqing, yuqing_env
from tests.helpers.paths import FIXTURES_WEB, REPO
from yuqing_spiders.replay.server import ReplayServer

SCRAPY = [sys.executable, "-m", "scrapy.cmdline"]
ARTICLE = "http://jx.people.com.cn/n2/2026/1125/c186330-41401779.html"


def scrapy(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*SCRAPY, *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=120
    )


def test_scrapy_list_from_the_repository_root():
    result = scrapy("list", env=yuqing_env())
    assert result.returncode == 0, result.stderr
    assert "people" in result.stdout.split()


@pytest.mark.slow
def test_scrapy_check_runs_the_contracts_against_the_replay_site():
    with ReplayServer(FIXTURES_WEB) as site:
        result = scrapy("check", "people", env=yuqing_env(YUQING_REPLAY_URL=site.url))
        served = {r.host for r in site.requests}
    assert result.returncode == 0, result.stderr[-2000:]
    assert "OK" in result.stderr
    assert served == {"jx.people.com.cn"}  # the contracts' real hosts, answered locally


def test_extract_prints_the_people_parser_item_as_json():
    page = FIXTURES_WEB / "jx.people.com.cn/n2/2026/1125/c186330-41401779.html"
    result = run_yuqing("extract", ARTICLE, "--html", str(page), env=yuqing_env())
    assert result.returncode == 0, result.stderr
    item = json.loads(result.stdout)
    assert item["source"] == "people"
    assert item["title"].startswith("南昌红谷滩区")
    assert item["published_at"] == "2026-11-25T01:41:00+00:00"
    assert item["media"]["name"] == "人民网－江西频道"
    assert "责任编辑" not in item["content"]


def test_extract_falls_back_to_the_generic_extractor_for_unknown_sites(tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes(
        "<html><head><meta charset='gbk'><title>进贤县召开秋冬季森林防火工作会议_某县新闻网</title>"
        "</head><body><h1>进贤县召开秋冬季森林防火工作会议</h1>"
        "<div class='info'>2026-11-20 10:30 来源：进贤县融媒体中心 作者：李华</div>"
        "<div class='article'><p>11月20日，进贤县召开秋冬季森林防火工作会议，"
        "部署全县森林防火工作。会议要求各乡镇落实属地责任，加强野外用火管控。</p>"
        "<p>会议强调，要加强巡山护林和隐患排查，确保不发生重大森林火灾。</p></div>"
        "<div class='footer'>版权所有 某县新闻网</div></body></html>".encode("gbk")
    )
    result = run_yuqing(
        "extract",
        "http://www.jinxian-example.cn/news/1.html",
        "--html",
        str(page),
        "--encoding",
        "gbk",
        env=yuqing_env(),
    )
    assert result.returncode == 0, result.stderr
    item = json.loads(result.stdout)
    assert item["source"] == "generic"
    assert item["title"] == "进贤县召开秋冬季森林防火工作会议"
    assert item["published_at"] == "2026-11-20T02:30:00+00:00"
    assert "巡山护林" in item["content"]
    assert "版权所有" not in item["content"]


def test_help_explains_every_command():
    result = run_yuqing("--help", env=yuqing_env())
    assert result.returncode == 0
    for command in ("run", "worker", "seed", "extract", "record", "replay", "services"):
        assert command in result.stdout
