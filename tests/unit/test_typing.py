"""The production packages type-check: mypy, with the project's [tool.mypy] config
(pyproject.toml), reports no error. CI runs the test suite, so this is how mypy runs
in CI.

mypy keeps its cache in the repository's .mypy_cache (which it git-ignores itself): a
cold run takes about 10 s on the CI machine, a warm one under a second.
"""

from __future__ import annotations

import subprocess
import sys

from tests.helpers.paths import REPO

# The production packages are named in pyproject.toml's [tool.mypy] `files`, so that
# a bare `mypy` from the repository root checks the same thing as this test.
CONFIG = REPO / "pyproject.toml"


def test_production_packages_type_check() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(CONFIG)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=280,  # under pytest-timeout's 300 s, so mypy's output is still shown
        check=False,
    )
    assert run.returncode == 0, f"mypy found errors:\n{run.stdout}{run.stderr}"
