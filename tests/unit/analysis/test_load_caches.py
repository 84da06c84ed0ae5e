"""What the quick commands load from the user's cache instead of building: the gazetteer,
pickled, keyed by its data files and rules. It must give exactly what building gives,
and be built again when what it was built from changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from yuqing_spiders.analysis.gazetteer import (
    CACHE_KIND,
    SOURCE_FILES,
    build_gazetteer,
    load_gazetteer,
)
from yuqing_spiders.model.resources import CACHE_ENV, DATA_DIR, SETTINGS_DIR

SENTENCE = "南昌市青山湖区京东大道下穿通道暴雨后积水，多部门连夜排险"
NEW_LANDMARK = "- {name: 测试缓存广场, district: 东湖区, unique: true}\n"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(root))
    return root


@pytest.fixture
def gazetteer_dir(tmp_path: Path) -> Path:
    copy = tmp_path / "gazetteer"
    copy.mkdir()
    for name in SOURCE_FILES:
        shutil.copy(DATA_DIR / "gazetteer" / name, copy / name)
    return copy


def _jurisdiction_rules() -> dict:
    return yaml.safe_load((SETTINGS_DIR / "analysis.yaml").read_text("utf-8"))["jurisdiction"]


def _found(gazetteer, text: str) -> list[tuple[int, str, str]]:
    return [(start, name.surface, name.place.name) for start, name in gazetteer.find(text)]


def _cached_files(cache: Path) -> list[Path]:
    return sorted(cache.glob(f"{CACHE_KIND}-*.pickle"))


def test_the_cached_gazetteer_finds_what_a_built_one_finds(cache, gazetteer_dir):
    rules = _jurisdiction_rules()
    first = load_gazetteer(gazetteer_dir, rules)
    (written,) = _cached_files(cache)
    again = load_gazetteer(gazetteer_dir, rules)
    built = build_gazetteer(gazetteer_dir, rules)
    text = SENTENCE + "，朝阳区和襄樊的网友也在转发滕王阁的照片"
    assert _found(again, text) == _found(built, text) == _found(first, text)
    assert again.names.keys() == built.names.keys()
    assert _cached_files(cache) == [written]


def test_a_changed_data_file_builds_the_gazetteer_again(cache, gazetteer_dir):
    rules = _jurisdiction_rules()
    before = load_gazetteer(gazetteer_dir, rules)
    (old,) = _cached_files(cache)
    assert before.lookup("测试缓存广场") is None
    with (gazetteer_dir / "landmarks.yaml").open("a", encoding="utf-8") as landmarks:
        landmarks.write(NEW_LANDMARK)
    after = load_gazetteer(gazetteer_dir, rules)
    added = after.lookup("测试缓存广场")
    assert added is not None
    assert added.place.district == "东湖区"
    # One file per kind: the stale one is replaced, not kept beside the new one.
    (new,) = _cached_files(cache)
    assert new != old


def test_a_changed_rule_builds_the_gazetteer_again(cache, gazetteer_dir):
    rules = _jurisdiction_rules()
    assert load_gazetteer(gazetteer_dir, rules).lookup("青山湖") is not None
    never = {**rules, "never_alone": [*(rules.get("never_alone") or []), "青山湖"]}
    assert load_gazetteer(gazetteer_dir, never).lookup("青山湖") is None
    assert load_gazetteer(gazetteer_dir, rules).lookup("青山湖") is not None


def test_an_unreadable_cache_file_is_built_again(cache, gazetteer_dir):
    rules = _jurisdiction_rules()
    load_gazetteer(gazetteer_dir, rules)
    (written,) = _cached_files(cache)
    written.write_bytes(b"not a pickle")
    assert _found(load_gazetteer(gazetteer_dir, rules), SENTENCE)[:2] == [
        (0, "南昌市", "南昌市"),
        (3, "青山湖区", "青山湖区"),
    ]
    assert written.stat().st_size > 1000


def test_no_cache_directory_means_building(monkeypatch, gazetteer_dir, tmp_path):
    monkeypatch.setenv(CACHE_ENV, "")
    assert load_gazetteer(gazetteer_dir, _jurisdiction_rules()).lookup("南昌市") is not None
    assert not list(tmp_path.rglob("*.pickle"))
