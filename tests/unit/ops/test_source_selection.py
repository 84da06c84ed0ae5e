"""`-s` names sources the way `yuqing sources` lists them (dajiang_bbs), or a spider for
all its sources (discuz); a spider serving several sources crawls only those asked for."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
import yaml

from spiders.discuz.spider import DiscuzSpider
from tests.helpers.paths import REPO
from tests.helpers.spiders import project_spider
from yuqing_spiders.cli.app import source_keys, spider_names


def test_a_source_key_selects_its_spider_and_only_that_source():
    assert spider_names(["dajiang_bbs"]) == ["discuz"]
    assert source_keys(["dajiang_bbs"]) == ["dajiang_bbs"]


def test_a_spider_name_stands_for_all_its_sources():
    assert spider_names(["discuz", "people"]) == ["discuz", "people"]
    assert source_keys(["discuz", "people"]) == ["dajiang_bbs", "people"]


def test_no_selection_means_every_spider_and_no_filter():
    assert "discuz" in spider_names(None)
    assert source_keys(None) == []


def test_an_unknown_name_is_refused_naming_it():
    with pytest.raises(typer.BadParameter, match="no such source: nowhere"):
        spider_names(["nowhere"])


def test_the_spider_keeps_only_the_selected_sources(tmp_path: Path):
    data = yaml.safe_load((REPO / "settings/sources.yaml").read_text(encoding="utf-8"))
    board = data["sources"]["dajiang_bbs"]
    data["sources"]["other_bbs"] = {**board, "name": "另一个论坛"}
    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    every = project_spider(DiscuzSpider, YUQING_SOURCES_FILE=str(path))
    assert set(every.sources) == {"dajiang_bbs", "other_bbs"}
    one = project_spider(
        DiscuzSpider, YUQING_SOURCES_FILE=str(path), YUQING_ONLY_SOURCES=["other_bbs"]
    )
    assert set(one.sources) == {"other_bbs"}
    assert one.source.key == "other_bbs"
