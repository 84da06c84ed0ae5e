"""The rules reload when their files change, and a broken edit keeps the old rules."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import pytest

from yuqing_spiders.analysis.rules import DEFAULT_RULES_FILE, RulesError, RuleStore, load_rules


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def rules_file(tmp_path: Path) -> Path:
    path = tmp_path / "analysis.yaml"
    shutil.copy(DEFAULT_RULES_FILE, path)
    shutil.copy(DEFAULT_RULES_FILE.parent / "departments.yaml", tmp_path / "departments.yaml")
    return path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    stat = path.stat()
    # A later mtime even on file systems with coarse timestamps.
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


def test_an_edit_is_live_after_the_interval(rules_file: Path):
    clock = Clock()
    store = RuleStore(rules_file, interval=10, clock=clock)
    assert store.get().bigv.followers == 1_000_000
    _edit(rules_file, "  followers: 1000000", "  followers: 500000")
    clock.now = 5
    assert store.get().bigv.followers == 1_000_000  # not looked at yet
    clock.now = 11
    assert store.get().bigv.followers == 500_000
    assert store.reloads == 1


def test_a_new_department_rule_is_picked_up(rules_file: Path):
    clock = Clock()
    store = RuleStore(rules_file, interval=1, clock=clock)
    assert "气象" not in store.get().departments.departments
    table = rules_file.parent / "departments.yaml"
    _edit(table, "departments:\n", "departments:\n  气象:\n    terms: {暴雨预警: 3, 冰雹: 3}\n")
    clock.now = 2
    found = store.get().departments.judge("冰雹预报", None)
    assert [f.name for f in found] == ["气象"]


def test_a_broken_edit_keeps_the_previous_rules(rules_file: Path, caplog):
    clock = Clock()
    store = RuleStore(rules_file, interval=1, clock=clock)
    before = store.get()
    _edit(rules_file, "  threshold: 2\n  title_factor", "  threshold: [2\n  title_factor")
    clock.now = 2
    with caplog.at_level(logging.ERROR):
        assert store.get() is before
        clock.now = 4
        assert store.get() is before
    assert store.failures == 1  # the same broken file is reported once
    assert len([r for r in caplog.records if "not reloaded" in r.getMessage()]) == 1
    _edit(rules_file, "threshold: [2", "threshold: 4")
    clock.now = 6
    assert store.get().departments.threshold == 4


def test_a_bad_rule_is_named(rules_file: Path):
    _edit(
        rules_file.parent / "departments.yaml",
        "departments:\n",
        "departments:\n  坏局:\n    unit: 市坏局\n    terms: 占道经营\n",
    )
    with pytest.raises(RulesError, match="坏局"):
        load_rules(rules_file)


def test_a_lexicon_change_reloads_too(tmp_path: Path, rules_file: Path):
    data = tmp_path / "data"
    shutil.copytree(DEFAULT_RULES_FILE.parents[1] / "yuqing_spiders" / "data", data)
    clock = Clock()
    store = RuleStore(rules_file, interval=1, data_dir=data, clock=clock)
    assert "井盖丢失" not in store.get().risk.judge(None, "路口井盖丢失。").terms
    lexicon = data / "lexicons" / "sudden.txt"
    with lexicon.open("a", encoding="utf-8") as handle:
        handle.write("井盖丢失\t3\n")
    os.utime(lexicon, ns=(lexicon.stat().st_atime_ns, lexicon.stat().st_mtime_ns + 2_000_000_000))
    clock.now = 2
    assert store.get().risk.judge(None, "路口井盖丢失。").sudden is True
