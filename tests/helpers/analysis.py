"""Shared by the analysis tests: the shipped rules, loaded once per test session."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from tests.helpers.paths import DATA
from yuqing_spiders.analysis.rules import Rules, load_rules


@lru_cache(maxsize=1)
def shipped_rules() -> Rules:
    return load_rules()


def labelled(name: str) -> list[dict[str, Any]]:
    with (DATA / name).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]
