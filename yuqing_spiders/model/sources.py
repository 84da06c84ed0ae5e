"""The YAML configuration the office edits: sources and their schedules.

A file or entry that cannot work stops start-up with a `ConfigError` naming the file,
the source and the key (model/outcome.py), which the commands print as one line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from yuqing_spiders.model.outcome import ConfigError
from yuqing_spiders.model.resources import load_yaml


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
# Options every source may carry, read by the scheduler and crawl health; a spider
# declares the ones it reads itself (`YuqingSpider.option_keys`).
COMMON_OPTION_KEYS = frozenset({"interval", "silent_ticks", "type"})


def _source_from_yaml(key: str, raw: dict[str, Any], path: str = "sources.yaml") -> SourceConfig:
    if not isinstance(raw, dict):
        raise ConfigError("an entry must be a mapping of keys", path=path, source=key)
    missing = [f for f in ("name", "platform") if not raw.get(f)]
    if missing:
        raise ConfigError("missing", path=path, source=key, key=", ".join(missing))
    return SourceConfig(
        key=key,
        name=raw["name"],
        platform=raw["platform"],
        spider=raw.get("spider", key),
        schedule=raw.get("schedule"),
        start_urls=_start_urls(raw.get("start_urls"), path, key),
        max_list_pages=_whole_number(raw.get("max_list_pages", 1), path, key, "max_list_pages"),
        options={k: v for k, v in raw.items() if k not in _KNOWN},
    )


def _whole_number(value: Any, path: str, source: str, key: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"a whole number >= 1, not {value!r}", path=path, source=source, key=key)
    return value


def _start_urls(value: Any, path: str, source: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(u, str) for u in value):
        raise ConfigError("a list of URLs", path=path, source=source, key="start_urls")
    return tuple(value)


def load_sources(path: str | Path) -> dict[str, SourceConfig]:
    """All sources of a sources.yaml file, keyed by source key; ConfigError naming the
    file (and source and key) when it cannot be used."""
    name = str(path)
    try:
        # load_yaml reads with read_text: also from inside a zipped egg (scrapyd).
        data = load_yaml(path) or {}
    except yaml.YAMLError as error:
        raise ConfigError(f"not valid YAML ({_yaml_problem(error)})", path=name) from None
    except OSError as error:
        raise ConfigError(f"cannot be read ({error.strerror or error})", path=name) from None
    sources = (data.get("sources") if isinstance(data, dict) else data) or {}
    if not isinstance(sources, dict):
        raise ConfigError("`sources:` must map source keys to entries", path=name)
    return {key: _source_from_yaml(str(key), raw or {}, name) for key, raw in sources.items()}


def _yaml_problem(error: yaml.YAMLError) -> str:
    """PyYAML's problem and line in one line (its str() spans several)."""
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or type(error).__name__
    return f"{problem} at line {mark.line + 1}" if mark is not None else str(problem)
