"""The analysis rules (settings/analysis.yaml and the data files it names), reloaded on change.

`load_rules` reads and compiles everything once: gazetteer, department and risk
automatons, the sentiment model, big-V thresholds. The departments' table is
settings/departments.yaml (named by `departments.table`, beside the rules file or,
when a copy of the rules lives elsewhere, the shipped one). `RuleStore` hands the current
rules to every stage and, at most every `interval` seconds, compares the
modification time and size of each file they came from; when one changed it loads
them again, so a worker picks up the office's edit without a restart. A file that
does not load leaves the previous rules in force: the error is logged once per
change and counted.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from yuqing_spiders.analysis.bigv import BigVRules, compile_bigv
from yuqing_spiders.analysis.departments import DepartmentRules, compile_departments
from yuqing_spiders.analysis.gazetteer import SOURCE_FILES as GAZETTEER_FILES
from yuqing_spiders.analysis.gazetteer import Gazetteer, load_gazetteer
from yuqing_spiders.analysis.risk import RiskRules, compile_risk
from yuqing_spiders.analysis.sentiment import SentimentModel, load_model
from yuqing_spiders.model.resources import DATA_DIR as PACKAGE_DATA
from yuqing_spiders.model.resources import SETTINGS_DIR, load_yaml

if TYPE_CHECKING:
    from collections.abc import Callable

logger = logging.getLogger(__name__)

DEFAULT_RULES_FILE = SETTINGS_DIR / "analysis.yaml"


class RulesError(ValueError):
    """The rules file or a data file it names cannot be used; the message says why."""


@dataclass
class Rules:
    path: Path
    raw: dict[str, Any]
    gazetteer: Gazetteer
    departments: DepartmentRules
    risk: RiskRules
    sentiment: SentimentModel
    bigv: BigVRules
    files: tuple[Path, ...] = ()
    loaded_at: float = field(default_factory=time.time)

    @property
    def jurisdiction(self) -> dict[str, Any]:
        return self.raw.get("jurisdiction") or {}


def _data_path(name: str, data_dir: Path) -> Path:
    path = Path(name)
    return path if path.is_absolute() else data_dir / path


def _section(raw: dict[str, Any], name: str) -> dict[str, Any]:
    value = raw.get(name) or {}
    if not isinstance(value, dict):
        raise RulesError(f"`{name}` must be a mapping, not {type(value).__name__}")
    return value


def _files(raw: dict[str, Any], path: Path, data_dir: Path) -> tuple[Path, ...]:
    gaz_dir = _data_path(_section(raw, "jurisdiction").get("gazetteer", "gazetteer"), data_dir)
    lexicons = (_section(raw, "risk").get("lexicons") or {}).values()
    model = _section(raw, "sentiment").get("model", "sentiment/model.json")
    table = _table_path(raw, path)
    return (
        path,
        *((table,) if table else ()),
        *(gaz_dir / name for name in GAZETTEER_FILES),
        *(_data_path(name, data_dir) for name in lexicons),
        _data_path(model, data_dir),
    )


def _table_path(raw: dict[str, Any], path: Path) -> Path | None:
    name = _section(raw, "departments").get("table")
    if not name:
        return None
    # Beside the rules file; a copy of analysis.yaml elsewhere still finds the shipped one.
    beside = _data_path(str(name), path.parent)
    return beside if beside.exists() else _data_path(str(name), SETTINGS_DIR)


def _department_table(raw: dict[str, Any], path: Path) -> dict[str, Any]:
    """The bureaus of settings/departments.yaml (or the rules file's own `rules`)."""
    table = _table_path(raw, path)
    if table is None:
        return {}
    loaded = load_yaml(table) or {}
    if not isinstance(loaded, dict) or not isinstance(loaded.get("departments"), dict):
        raise RulesError(f"{table}: needs a `departments` mapping of bureau: rule")
    return loaded["departments"]


def load_rules(path: Path | str | None = None, data_dir: Path | str | None = None) -> Rules:
    """Read and compile the rules; RulesError names the file and the problem."""
    path = Path(path or DEFAULT_RULES_FILE)
    data_dir = Path(data_dir or PACKAGE_DATA)
    try:
        raw = load_yaml(path) or {}
        if not isinstance(raw, dict):
            raise RulesError("the file must hold a mapping of sections")
        jurisdiction = _section(raw, "jurisdiction")
        gaz_dir = _data_path(jurisdiction.get("gazetteer", "gazetteer"), data_dir)
        sentiment = _section(raw, "sentiment")
        model_path = _data_path(sentiment.get("model", "sentiment/model.json"), data_dir)
        return Rules(
            path=path,
            raw=raw,
            gazetteer=load_gazetteer(gaz_dir, jurisdiction),
            departments=compile_departments(
                _section(raw, "departments"), _department_table(raw, path)
            ),
            risk=compile_risk(_section(raw, "risk"), data_dir),
            sentiment=load_model(model_path, sentiment),
            bigv=compile_bigv(_section(raw, "bigv")),
            files=_files(raw, path, data_dir),
        )
    except (OSError, yaml.YAMLError, ValueError, KeyError, TypeError) as error:
        raise RulesError(f"{path}: {error}") from error


def _signature(files: tuple[Path, ...]) -> tuple[tuple[int, int], ...]:
    marks = []
    for file in files:
        try:
            stat = os.stat(file)
            marks.append((stat.st_mtime_ns, stat.st_size))
        except OSError:
            marks.append((-1, -1))
    return tuple(marks)


class RuleStore:
    """The current rules of one process, reloaded when their files change."""

    def __init__(
        self,
        path: Path | str | None = None,
        interval: float = 10.0,
        data_dir: Path | str | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.path = Path(path or DEFAULT_RULES_FILE)
        self.data_dir = data_dir
        self.interval = interval
        self.clock = clock
        self.reloads = 0
        self.failures = 0
        self._lock = threading.Lock()
        self._rules = load_rules(self.path, data_dir)  # a bad file at start is fatal
        self._signature = _signature(self._rules.files)
        self._failed_signature: tuple[tuple[int, int], ...] | None = None
        self._checked = clock()

    def get(self) -> Rules:
        """The rules in force; looks at the files at most every `interval` seconds."""
        now = self.clock()
        if now - self._checked < self.interval:
            return self._rules
        with self._lock:
            self._checked = now
            signature = _signature(self._rules.files)
            if signature != self._signature and signature != self._failed_signature:
                self._reload(signature)
        return self._rules

    def _reload(self, signature: tuple[tuple[int, int], ...]) -> None:
        try:
            rules = load_rules(self.path, self.data_dir)
        except RulesError as error:
            self.failures += 1
            self._failed_signature = signature
            logger.error("analysis rules not reloaded, the previous ones stay in force: %s", error)
            return
        self._rules = rules
        self._signature = _signature(rules.files)
        self._failed_signature = None
        self.reloads += 1
        logger.info("analysis rules reloaded from %s", self.path)


_stores: dict[tuple[str, float], RuleStore] = {}
_stores_lock = threading.Lock()


def shared_store(path: Path | str | None = None, interval: float = 10.0) -> RuleStore:
    """One RuleStore per rules file and interval in this process, shared by every stage."""
    key = (str(Path(path or DEFAULT_RULES_FILE).resolve()), float(interval))
    with _stores_lock:
        if key not in _stores:
            _stores[key] = RuleStore(key[0], interval)
        return _stores[key]
