"""Where the repository and its test data are, for tests at any depth of tests/."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TESTS = REPO / "tests"
FIXTURES = TESTS / "fixtures"
FIXTURES_WEB = FIXTURES / "web"
FIXTURES_GENERIC = FIXTURES / "generic"
DATA = TESTS / "data"
