"""`yuqing tag` as the office runs it: one text, a saved page, a batch in one process."""

from __future__ import annotations

import json

from tests.helpers.analysis import DATA, labelled
from tests.helpers.cli import run_yuqing, yuqing_env
from tests.helpers.paths import FIXTURES_WEB

ARTICLE = "http://jx.people.com.cn/n2/2026/1125/c186330-41401779.html"


def test_tag_one_text_prints_the_full_analysis():
    result = run_yuqing(
        "tag",
        "南昌县向塘镇一化工厂发生爆炸，现场有人员伤亡",
        "--followers",
        "2000000",
        env=yuqing_env(),
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["jurisdiction"]["town"] == "向塘镇"
    assert found["risk"]["sudden"] is True
    assert found["sentiment"]["label"] in ("negative", "neutral", "positive")
    assert found["author"]["is_big_v"] is True
    assert set(found) >= {"departments", "department_terms", "comment_sentiment"}


def test_tag_platform_picks_the_sentiment_head():
    """A review on 小红书 is read with the review head, the same words in news with the
    shared weights alone (docs/judgements.md): the two scores differ."""
    text = "这家店太差了，再也不来了"
    scores = {}
    for platform in ("xiaohongshu", None):
        extra = ("--platform", platform) if platform else ()
        result = run_yuqing("tag", text, *extra, env=yuqing_env())
        assert result.returncode == 0, result.stderr
        found = json.loads(result.stdout)["sentiment"]
        assert found["label"] == "negative"
        scores[platform] = found["score"]
    assert scores["xiaohongshu"] != scores[None]


def test_tag_a_saved_page_through_its_parser():
    page = FIXTURES_WEB / "jx.people.com.cn/n2/2026/1125/c186330-41401779.html"
    result = run_yuqing("tag", "--url", ARTICLE, "--html", str(page), env=yuqing_env())
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)
    assert found["title"].startswith("南昌红谷滩区")
    assert found["jurisdiction"]["district"] == "红谷滩区"


def test_tag_jsonl_streams_a_batch_in_order_and_counts_bad_lines(tmp_path):
    rows = labelled("jurisdiction_labelled.jsonl")
    lines = [
        json.dumps({"id": n, "title": r["title"], "text": r["text"]}, ensure_ascii=False)
        for n, r in enumerate(rows)
    ]
    lines.insert(10, "{not json")
    lines.insert(20, json.dumps({"title": 5, "text": "x"}))
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_yuqing("tag", "--jsonl", str(batch), env=yuqing_env())
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == len(rows) + 2
    assert out[10] == {"line": 11, "error": out[10]["error"]}
    assert out[20]["error"] == "title and text must be strings"
    good = [o for o in out if "error" not in o]
    assert [o["id"] for o in good] == list(range(len(rows)))
    same = sum(
        o["jurisdiction"]["province"] == r["province"] for o, r in zip(good, rows, strict=True)
    )
    assert same / len(rows) >= 0.97  # the order is kept: line n is text n
    assert f"{len(rows)} analysed, 2 bad lines" in result.stderr


def test_tag_refuses_a_broken_rules_file(tmp_path):
    rules = tmp_path / "analysis.yaml"
    rules.write_text("departments: [\n", encoding="utf-8")
    result = run_yuqing("tag", "文字", "--rules", str(rules), env=yuqing_env())
    assert result.returncode == 2
    assert "rules not usable" in result.stderr
    assert DATA.is_dir()
