"""The `yuqing` command. Each module registers its commands on the one Typer app.

A new area adds a module here and one import below.
"""

from yuqing_spiders.cli import analysis, crawl, ops, report, tools  # noqa: F401  (registers the commands)
from yuqing_spiders.cli.app import app

__all__ = ["app"]
