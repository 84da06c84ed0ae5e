"""A new source is found by its folder: spiders, page parsers and settings.

The folder of tests/helpers/new_source.py (a made-up JSON-API platform) is put beside
the real sources by extending the `spiders` package's search path for the test, the
way a new directory under spiders/ would be seen; nothing else in the project is
edited. Scrapy's spider loader, the parser registry and the settings fold must each
find it; removing it again must leave everything as it was.
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapy.http import TextResponse
from scrapy.settings import Settings
from scrapy.spiderloader import SpiderLoader

import settings as base_settings
import spiders
from settings._sources import (
    SourceSettingsError,
    fold_source_settings,
    source_settings_modules,
)
from spiders._base import registry
from spiders._base.folders import source_folders
from tests.helpers import new_source
from tests.helpers.paths import REPO


def _forget_new_source() -> None:
    for name in [m for m in sys.modules if m.startswith(f"spiders.{new_source.NAME}")]:
        del sys.modules[name]
    registry.url_parsers.cache_clear()


@pytest.fixture
def extra_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    new_source.write_folder(tmp_path)
    monkeypatch.setattr(spiders, "__path__", [*spiders.__path__, str(tmp_path)])
    _forget_new_source()
    yield tmp_path
    _forget_new_source()


def base_namespace() -> dict[str, object]:
    """The base settings as they are before the source folders are folded in."""
    namespace = {k: v for k, v in vars(base_settings).items() if k.isupper()}
    for module in source_settings_modules():
        for key in vars(importlib.import_module(module)):
            if key.isupper():
                namespace.pop(key, None)
    namespace.update(COOKIE_POOL_PLATFORMS={}, BAN_DETECTION_RULES={})
    namespace["YUQING_PLATFORM_NAMES"] = dict(base_settings.YUQING_PLATFORM_NAMES)
    return namespace


def test_the_registry_finds_the_new_folder_and_its_parser(extra_folder: Path) -> None:
    assert new_source.NAME in source_folders()
    url = f"https://{new_source.HOST}/api/item?id=7001"
    parser = registry.parser_for(url)
    assert parser is not None
    assert parser.__module__ == f"spiders.{new_source.NAME}.parse"
    body = json.dumps(new_source.DETAIL, ensure_ascii=False).encode()
    item = parser(TextResponse(url=url, body=body, encoding="utf-8"))
    assert (item.native_id, item.platform, item.metrics.comments) == ("7001", "demovideo", 12000)


def test_scrapy_lists_the_new_spider(extra_folder: Path) -> None:
    loader = SpiderLoader(Settings({"SPIDER_MODULES": ["spiders"]}))
    assert new_source.NAME in loader.list()
    assert loader.load(new_source.NAME).__module__ == f"spiders.{new_source.NAME}.spider"


def test_the_new_folders_settings_are_folded_in(extra_folder: Path) -> None:
    namespace = base_namespace()
    folded = fold_source_settings(namespace)
    assert f"spiders.{new_source.NAME}.settings" in folded
    assert namespace["DEMOPLAT_PAGE_SIZE"] == new_source.PAGE_SIZE
    # A shared table gains the new platform's entry beside the others'.
    assert {"weibo", new_source.NAME} <= set(namespace["BAN_DETECTION_RULES"])  # type: ignore[arg-type]
    assert "weibo" in namespace["COOKIE_POOL_PLATFORMS"]  # type: ignore[operator]
    names = namespace["YUQING_PLATFORM_NAMES"]
    assert (names["demovideo"], names["news"]) == ("示例短视频", "新闻")  # type: ignore[index]


def test_a_setting_defined_twice_is_a_start_up_error(extra_folder: Path) -> None:
    (extra_folder / new_source.NAME / "settings.py").write_text(
        "WEIBO_PAGE_CAP = 10\n", encoding="utf-8"
    )
    with pytest.raises(SourceSettingsError, match=r"WEIBO_PAGE_CAP is already defined"):
        fold_source_settings(base_namespace())


def test_without_the_folder_nothing_of_it_remains() -> None:
    _forget_new_source()
    assert new_source.NAME not in source_folders()
    assert f"{new_source.HOST}" not in " ".join(p.pattern for p, _ in registry.url_parsers())
    assert not (REPO / "spiders" / new_source.NAME).exists()
