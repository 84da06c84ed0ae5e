"""Read the project's data files wherever the code runs from: a checkout or an egg.

scrapyd runs a deployed project from its zipped egg, so ``Path(__file__).parent /
"sources.yaml"`` names a member of a zip archive that ``open()`` cannot read. These
helpers read such a path from the archive and plain paths as usual; use them for every
data file that ships inside the packages (YAML, CSV, word lists).
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Any

# Where shipped files live, whichever module asks: the package's data files (gazetteer,
# lexicons, media tiers, models) and the project's YAML configuration beside the code.
PACKAGE_DIR = Path(__file__).resolve().parents[1]
DATA_DIR = PACKAGE_DIR / "data"
SETTINGS_DIR = PACKAGE_DIR.parent / "settings"


def _split_archive(path: Path) -> tuple[Path, str] | None:
    """(archive, member) when `path` lies inside a zip file, else None."""
    for parent in path.parents:
        if parent.is_file():
            if not zipfile.is_zipfile(parent):
                return None
            return parent, PurePosixPath(*path.relative_to(parent).parts).as_posix()
    return None


def read_bytes(path: str | Path) -> bytes:
    path = Path(path)
    if path.exists():
        return path.read_bytes()
    inside = _split_archive(path)
    if inside is None:
        return path.read_bytes()  # raises the usual FileNotFoundError
    archive, member = inside
    with zipfile.ZipFile(archive) as zipped:
        try:
            return zipped.read(member)
        except KeyError:
            raise FileNotFoundError(f"{member} is not in {archive}") from None


def read_text(path: str | Path, encoding: str = "utf-8") -> str:
    return read_bytes(path).decode(encoding)


# --- caches of data built from shipped files -------------------------------------------
#
# Some data take a noticeable part of a second to build from the shipped files (the
# country-wide gazetteer automaton). A one-shot command such as `yuqing tag` pays that on
# every start, so the built object is pickled once into a per-user cache directory,
# named by a digest of everything it was built from: a changed data file, rule or
# builder gives a new name, and the stale file is replaced. The cache holds only what
# this code wrote for this user (the same trust as the code itself); any problem reading
# it means "build again", never an error.

CACHE_ENV = "YUQING_CACHE_DIR"  # a directory, or empty to switch the cache off


def cache_dir() -> Path | None:
    """$YUQING_CACHE_DIR, else $XDG_CACHE_HOME/yuqing, else ~/.cache/yuqing; None when
    YUQING_CACHE_DIR is set empty (no cache)."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen is not None:
        return Path(chosen) if chosen.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "yuqing"


def digest(*parts: bytes | str) -> str:
    """A short hex digest of `parts` (file contents, rules as JSON, versions)."""
    hashed = hashlib.blake2b(digest_size=12)
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        hashed.update(len(data).to_bytes(8, "little"))
        hashed.update(data)
    return hashed.hexdigest()


def _cache_file(kind: str, key: str) -> Path | None:
    root = cache_dir()
    return None if root is None else root / f"{kind}-{key}.pickle"


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off for a bulk load, on again after if it was on.

    Unpickling or parsing a large file creates hundreds of thousands of objects that
    cannot form cycles; the collector would walk all of them several times over on
    the way (three times the cost of loading)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def load_cached(kind: str, key: str) -> Any | None:
    """The object cached under `kind` and `key`, or None (none yet, unreadable, off)."""
    path = _cache_file(kind, key)
    if path is None:
        return None
    try:
        data = path.read_bytes()
    except OSError:
        return None
    with collector_paused():
        try:
            return pickle.loads(data)  # noqa: S301  (written by store_cached, for this user)
        except Exception:  # noqa: BLE001  (a truncated or foreign file: build again)
            return None


def store_cached(kind: str, key: str, value: Any) -> Path | None:
    """Pickle `value` under `kind` and `key` (atomically, so a reader sees a whole file
    or none) and remove the older files of the same kind; None when not written."""
    path = _cache_file(kind, key)
    if path is None:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    except OSError:
        return None  # a read-only home: every start builds, as without a cache
    try:
        with os.fdopen(fd, "wb") as out:
            pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
        for stale in path.parent.glob(f"{kind}-*.pickle"):
            if stale != path:
                stale.unlink(missing_ok=True)
    except Exception:  # noqa: BLE001  (a full disk, an unpicklable value: no cache)
        return None
    finally:
        Path(temporary).unlink(missing_ok=True)
    return path


def load_yaml(path: str | Path) -> Any:
    """The YAML file at `path` as data, parsed by libyaml when PyYAML has it (several
    times faster than the pure-Python parser, the same safe subset), else by PyYAML."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(read_text(path), Loader=loader)  # noqa: S506  (a safe loader)
