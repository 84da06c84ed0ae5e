"""The YAML configuration the office edits: sources and their schedules."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from yuqing_spiders.model.resources import read_text


@dataclass(frozen=True)
class SourceConfig:
    key: str
    name: str
    platform: str
    spider: str
    schedule: str | None = None
    start_urls: tuple[str, ...] = ()
    max_list_pages: int = 1
    options: dict[str, Any] = field(default_factory=dict)


_KNOWN = {"name", "platform", "spider", "schedule", "start_urls", "max_list_pages"}


def _source_from_yaml(key: str, raw: dict[str, Any]) -> SourceConfig:
    missing = [f for f in ("name", "platform") if not raw.get(f)]
    if missing:
        raise ValueError(f"source {key!r} in sources.yaml lacks {', '.join(missing)}")
    return SourceConfig(
        key=key,
        name=raw["name"],
        platform=raw["platform"],
        spider=raw.get("spider", key),
        schedule=raw.get("schedule"),
        start_urls=tuple(raw.get("start_urls") or ()),
        max_list_pages=int(raw.get("max_list_pages", 1)),
        options={k: v for k, v in raw.items() if k not in _KNOWN},
    )


def load_sources(path: str | Path) -> dict[str, SourceConfig]:
    """All sources of a sources.yaml file, keyed by source key."""
    # read_text: also from inside a zipped egg when scrapyd runs the project.
    data = yaml.safe_load(read_text(path)) or {}
    return {
        key: _source_from_yaml(key, raw or {}) for key, raw in (data.get("sources") or {}).items()
    }
