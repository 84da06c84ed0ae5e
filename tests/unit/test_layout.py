"""The floor plan holds: imports only run downwards (docs/architecture.md, "Layout").

Read from the code's own import statements (ast), so a new module that imports
upwards fails here, not in review. The layers, top to bottom:

    yuqing_spiders/cli            the `yuqing` command
    spiders/ pipelines/ middlewares/   sources and Scrapy's thin shells
    yuqing_spiders/* (the core)   ops, report, analysis, store, queue, fetch, extract,
                                  replay, model
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers.paths import REPO

PRODUCTION = ("yuqing_spiders", "spiders", "pipelines", "middlewares", "settings")


def modules(*roots: str) -> Iterator[tuple[str, Path]]:
    for root in roots:
        for path in sorted((REPO / root).rglob("*.py")):
            dotted = ".".join(path.relative_to(REPO).with_suffix("").parts)
            yield dotted.removesuffix(".__init__"), path


def imported(path: Path) -> set[str]:
    """Every module name an import statement of `path` names (at any depth, also
    under `if TYPE_CHECKING:` and inside functions: an import is a dependency)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def offending(roots: tuple[str, ...], forbidden: tuple[str, ...], allow: tuple[str, ...] = ()):
    found = []
    for name, path in modules(*roots):
        if name.startswith(allow):
            continue
        for target in sorted(imported(path)):
            # Components read settings from the crawler, never by importing them.
            from_settings = target == "settings" and not name.startswith("settings")
            if from_settings or any(target == f or target.startswith(f + ".") for f in forbidden):
                found.append((name, target))
    return found


def test_nothing_below_the_shells_imports_pipelines_or_middlewares() -> None:
    assert offending(("yuqing_spiders", "spiders"), ("pipelines", "middlewares")) == []


def test_the_core_never_imports_the_cli_or_the_sources() -> None:
    core = ("yuqing_spiders",)
    found = offending(core, ("yuqing_spiders.cli", "spiders"), allow=("yuqing_spiders.cli",))
    assert found == []


def test_shells_do_not_import_each_other_or_sources() -> None:
    """A pipeline or middleware is a thin shell over core code; what two of them share
    lives in the core, never in one of them."""
    assert offending(("pipelines",), ("middlewares", "spiders")) == []
    assert offending(("middlewares",), ("pipelines", "spiders")) == []
    siblings = [
        (name, target)
        for name, path in modules("middlewares", "pipelines")
        for target in imported(path)
        if target.split(".")[0] == name.split(".")[0] and target != name
    ]
    assert siblings == []


def test_sources_import_only_their_own_folder_and_shared_code() -> None:
    """spiders/<source>/ may use spiders/_base and the core; another source's folder
    only for its pure parse or API module (the front page reads portals' lists)."""
    found = []
    for name, path in modules("spiders"):
        parts = name.split(".")
        if len(parts) < 3 or parts[1].startswith("_"):
            continue
        for target in imported(path):
            tparts = target.split(".")
            if tparts[0] != "spiders" or len(tparts) < 3 or tparts[1].startswith("_"):
                continue  # the core, shared code, or a source's (empty) package itself
            if tparts[1] != parts[1] and (len(tparts) < 3 or tparts[2] not in ("parse", "api")):
                found.append((name, target))
    assert found == []


@pytest.mark.parametrize("root", PRODUCTION)
def test_no_loose_module_beside_the_packages(root: str) -> None:
    """yuqing_spiders/ holds packages only (model, extract, fetch, queue, store,
    analysis, ops, report, replay, cli, data); spiders/ holds source folders."""
    if root not in ("yuqing_spiders", "spiders"):
        return
    loose = [p.name for p in (REPO / root).glob("*.py") if p.name != "__init__.py"]
    assert loose == []
