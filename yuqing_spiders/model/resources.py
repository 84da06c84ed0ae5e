"""Read the project's data files wherever the code runs from: a checkout or an egg.

scrapyd runs a deployed project from its zipped egg, so ``Path(__file__).parent /
"sources.yaml"`` names a member of a zip archive that ``open()`` cannot read. These
helpers read such a path from the archive and plain paths as usual; use them for every
data file that ships inside the packages (YAML, CSV, word lists).
"""

from __future__ import annotations

import zipfile
from pathlib import Path, PurePosixPath

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
