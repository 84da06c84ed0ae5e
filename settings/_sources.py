"""Fold each source folder's `settings.py` into the project settings.

A source that needs settings of its own (Weibo's page cap, Tieba's signing secret, a
platform's cookie-pool and ban rules) keeps them, with their defaults and comments,
in `spiders/<source>/settings.py`; nothing about it is written here. At start-up the
base settings call `fold_source_settings(globals())`: every UPPERCASE name of every
such module becomes a setting. A dict that the base settings declare as a shared
table (`COOKIE_POOL_PLATFORMS`, `BAN_DETECTION_RULES`) gains the source's entries;
any other name must be new. A clash is a start-up error naming both places, so two
sources can never silently fight over one setting.
"""

from __future__ import annotations

import importlib
from typing import Any

from spiders._base.folders import source_modules


class SourceSettingsError(ValueError):
    """A source's settings.py redefines a setting or a table entry."""


def source_settings_modules(package: str = "spiders") -> list[str]:
    """Dotted names of the `settings` modules of the source folders, sorted."""
    return source_modules("settings", package)


def fold_source_settings(namespace: dict[str, Any], package: str = "spiders") -> list[str]:
    """Add every source's settings to `namespace` (a settings module's globals());
    returns the modules folded in."""
    owners: dict[str, str] = {}
    modules = source_settings_modules(package)
    for name in modules:
        module = importlib.import_module(name)
        for key in (k for k in vars(module) if k.isupper()):
            _fold(namespace, owners, name, key, getattr(module, key))
    return modules


def _fold(
    namespace: dict[str, Any], owners: dict[str, str], module: str, key: str, value: Any
) -> None:
    base = namespace.get(key)
    if isinstance(base, dict) and isinstance(value, dict) and key not in owners:
        # A shared table: each source adds its own entries, never someone else's.
        clash = sorted(set(base) & set(value))
        if clash:
            raise SourceSettingsError(f"{module}: {key}[{clash[0]!r}] is already set elsewhere")
        namespace[key] = {**base, **value}
        return
    if key in namespace:
        where = owners.get(key, "settings/__init__.py")
        raise SourceSettingsError(f"{module}: setting {key} is already defined in {where}")
    namespace[key] = value
    owners[key] = module
