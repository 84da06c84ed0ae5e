"""Run a deployed egg from an unpacked copy (scrapyd imports projects from zipped eggs).

Inside a zip, ``Path(__file__).parent / "sources.yaml"`` cannot be opened, and every
part of the project reads data files that way (YAML rules, gazetteer CSVs, word
lists). So when `settings` finds itself imported from an archive it unpacks the egg
once (a directory per egg content, reused by later jobs), puts it first on
``sys.path``, forgets the modules already taken from the zip and imports `settings`
again from the copy. Python returns whatever ``sys.modules`` holds at the end of an
import, so the caller gets the unpacked module, and every project import after it
comes from the unpacked tree. Outside an archive nothing happens.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import os
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path

CACHE_ENV = "YUQING_EGG_CACHE"


def archive_of(path: str | Path) -> Path | None:
    """The zip file that `path` lies inside, or None for a plain file."""
    for parent in Path(path).parents:
        if parent.is_file():
            return parent if zipfile.is_zipfile(parent) else None
    return None


def unpack(archive: Path) -> Path:
    """The egg unpacked under the cache directory; unpacked once per content."""
    digest = hashlib.sha256(archive.read_bytes()).hexdigest()[:16]
    root = Path(os.environ.get(CACHE_ENV) or Path(tempfile.gettempdir()) / "yuqing-eggs")
    target = root / f"{archive.stem}-{digest}"
    if target.is_dir():
        return target
    root.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".unpacking-", dir=root))
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(staging)
    try:
        os.replace(staging, target)  # atomic: a job never sees a half-unpacked tree
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)  # another job unpacked it first
    return target


def import_unpacked(name: str, module_file: str) -> bool:
    """Called by `settings` at its top: True if it was re-imported from an unpacked egg."""
    archive = archive_of(module_file)
    if archive is None:
        return False
    target = unpack(archive)
    sys.path.insert(0, str(target))
    inside = str(archive) + os.sep
    for module_name, module in list(sys.modules.items()):
        if (getattr(module, "__file__", None) or "").startswith(inside):
            with contextlib.suppress(KeyError):
                del sys.modules[module_name]
    sys.modules[name] = importlib.import_module(name)
    return True
