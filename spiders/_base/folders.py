"""The source folders of the `spiders` package, found by being there.

The parser registry reads each folder's `parse.py`, the settings fold each folder's
`settings.py`; both ask here. Nothing heavy is imported: the settings module calls
this at start-up, before Scrapy has built anything.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil

SOURCES_PACKAGE = "spiders"


def source_folders(package: str = SOURCES_PACKAGE) -> list[str]:
    """The source folders (sub-packages) of `package`, sorted; `_base` and other
    folders starting with `_` hold shared code and are not sources."""
    root = importlib.import_module(package)
    return sorted(
        info.name
        for info in pkgutil.iter_modules(root.__path__)
        if info.ispkg and not info.name.startswith("_")
    )


def source_modules(module: str, package: str = SOURCES_PACKAGE) -> list[str]:
    """Dotted names of `<package>.<folder>.<module>` for every folder that has one,
    in folder order (not imported)."""
    names = (f"{package}.{folder}.{module}" for folder in source_folders(package))
    return [name for name in names if importlib.util.find_spec(name) is not None]
