"""`yuqing extract URL --file F` on every kind of saved response (issue 14), and the
decoding the crawl uses (issue 12 item 10).

Fixtures (tests/fixtures/web/README.md): sina's rolling-feed answer (JSON), 光明网's
channel page (a YAML site's list), thepaper.cn's older template without __NEXT_DATA__
(tests/unit/sources/test_real_templates.py names the fact).
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.helpers.cli import run_yuqing, yuqing_env
from tests.helpers.paths import FIXTURES_WEB
from yuqing_spiders.replay.record import fixture_path


def extract(url: str, path: Path) -> object:
    result = run_yuqing("extract", url, "--file", str(path), env=yuqing_env())
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_an_api_answer_prints_the_entries_its_parser_yields() -> None:
    url = "https://feed.mix.sina.com.cn/api/roll/get?pageid=153&lid=2510&k=&num=50&page=1"
    entries = extract(url, fixture_path(FIXTURES_WEB, url))
    assert isinstance(entries, list)
    assert len(entries) >= 1
    assert entries[0]["url"] == "https://news.sina.com.cn/c/2026-11-25/doc-inhcvqxa8123456.shtml"
    assert entries[0]["published_at"] == "2026-11-25T01:41:00+00:00"


def test_an_article_missing_fields_for_its_parser_prints_the_generic_reading() -> None:
    url = "https://www.thepaper.cn/newsDetail_forward_29876543"
    item = extract(url, fixture_path(FIXTURES_WEB, url))
    assert isinstance(item, dict)
    assert item["source"] == "thepaper"
    assert item["title"] == "南昌启动城区内涝点改造 今年完成32处"
    assert item["complete"] is True
    assert "title" in item["extra"]["generic_fields"]


def test_a_gb2312_labelled_utf8_page_is_decoded_as_utf8(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_bytes(
        (
            '<html><head><meta charset="gb2312"><title>南昌地铁通告_某网</title></head>'
            "<body><h1>南昌地铁通告</h1><div>2026-11-25 09:41 来源：南昌日报</div>"
            "<div><p>" + "地铁运营时间调整。" * 20 + "</p></div></body></html>"
        ).encode("utf-8")
    )
    item = extract("http://www.example-nc.cn/a/1.html", page)
    assert isinstance(item, dict)
    assert (item["title"], item["encoding"], item["media"]["name"]) == (
        "南昌地铁通告",
        "utf-8",
        "南昌日报",
    )


def test_an_answer_the_parser_cannot_read_fails_with_its_reason(tmp_path: Path) -> None:
    # An HTML error page where sina's feed API answers JSON (a changed or failing API).
    saved = tmp_path / "feed.json"
    saved.write_bytes(b"<html><body>502 Bad Gateway</body></html>")
    url = "https://feed.mix.sina.com.cn/api/roll/get?pageid=153&lid=2510&k=&num=50&page=1"
    result = run_yuqing("extract", url, "--file", str(saved), env=yuqing_env())
    assert result.returncode == 1
    assert "not_json" in result.stderr
    assert "Traceback" not in result.stderr
