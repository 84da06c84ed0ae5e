"""The writer's disk spool: batches MongoDB could not take wait here, one file each.

Files are written atomically (temp file, fsync, rename, directory fsync) and replayed
oldest first; a file being replayed is locked so two writers sharing a spool never
replay it twice. Documents MongoDB refused for good go to `rejected/`, readable.
A write cut short (ENOSPC, a read-only disk) raises OSError and leaves no temp file;
temp files of a killed writer are swept when the spool is first read. The alert
spool (yuqing_spiders.ops.alerting.spool) uses the same files in its own directory.
"""

from __future__ import annotations

import contextlib
import fcntl
import itertools
import logging
import os
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from bson import json_util
from bson.json_util import JSONMode, JSONOptions

from yuqing_spiders.store.documents import OPINIONS

if TYPE_CHECKING:
    from collections.abc import Iterator

logger = logging.getLogger(__name__)

# Canonical Extended JSON keeps every BSON type (int vs long, dates in UTC ms), so a
# replayed document is byte-for-byte the document that was spooled.
SPOOL_JSON = JSONOptions(json_mode=JSONMode.CANONICAL, tz_aware=True, tzinfo=UTC)
# Refused documents are read by people: relaxed JSON (plain numbers, ISO dates), which
# json_util still loads back should one be fixed and re-sent.
REJECTED_JSON = JSONOptions(json_mode=JSONMode.RELAXED, tz_aware=True, tzinfo=UTC)


def _write_atomically(directory: Path, name: str, text: str) -> Path:
    """Write, fsync, rename: a reader sees the whole file or none of it, even after a
    crash or power loss in the middle."""
    directory.mkdir(parents=True, exist_ok=True)
    final = directory / name
    temp = directory / f".{name}.tmp"
    try:
        with temp.open("w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, final)
    except BaseException:
        # A full disk (ENOSPC, EDQUOT, EFBIG) fails the write half-way: leave no empty
        # or partial temp file behind. Only complete files are ever renamed into place.
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    dir_fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dir_fd)  # the rename itself must survive a crash too
    finally:
        os.close(dir_fd)
    return final


def _writer_alive(temp_name: str) -> bool:
    """Whether the process named in a temp file (`.<ns>-<pid>-<seq>...tmp`) still runs."""
    try:
        pid = int(temp_name.lstrip(".").split("-")[1])
    except (IndexError, ValueError):
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _same_file(handle: IO[bytes], path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(handle.fileno()), path.stat())
    except FileNotFoundError:
        return False


class Spool:
    """One JSON-lines file per batch under `directory`, replayed in name (= time) order;
    documents MongoDB refused for good go to `rejected/`, one file each.

    A batch's collection is in its file name: `<stamp>.jsonl` holds opinions (the
    layout of every earlier release), `<stamp>.<collection>.jsonl` any other one."""

    def __init__(self, directory: Path | str) -> None:
        self.directory = Path(directory)
        self.rejected_dir = self.directory / "rejected"
        self._seq = itertools.count()
        self._swept = False

    def sweep(self) -> int:
        """Remove temp files a killed writer left (its pid is gone); they never held a
        complete batch, since only complete files are renamed. The number removed."""
        removed = 0
        for folder in (self.directory, self.rejected_dir):
            if not folder.is_dir():
                continue
            for temp in folder.glob(".*.tmp"):
                if _writer_alive(temp.name):
                    continue
                with contextlib.suppress(FileNotFoundError):
                    temp.unlink()
                    removed += 1
        if removed:
            logger.warning("removed %d unfinished spool temp files of dead writers", removed)
        return removed

    def _name(self, suffix: str) -> str:
        # Nanosecond time first: names sort oldest first across processes too.
        return f"{time.time_ns():020d}-{os.getpid()}-{next(self._seq):06d}{suffix}"

    def append(self, docs: list[dict[str, Any]], collection: str = OPINIONS) -> Path:
        text = "".join(json_util.dumps(doc, json_options=SPOOL_JSON) + "\n" for doc in docs)
        suffix = ".jsonl" if collection == OPINIONS else f".{collection}.jsonl"
        return _write_atomically(self.directory, self._name(suffix), text)

    @staticmethod
    def collection_of(path: Path) -> str:
        """The collection a spooled batch belongs to (see the class docstring)."""
        parts = path.name.split(".")
        return parts[-2] if len(parts) > 2 else OPINIONS

    def pending(self) -> list[Path]:
        if not self.directory.is_dir():
            return []
        if not self._swept:
            self._swept = True
            self.sweep()
        return sorted(self.directory.glob("*.jsonl"))

    def size(self) -> tuple[int, int]:
        """(files, documents) waiting in the spool."""
        files = self.pending()
        items = 0
        for path in files:
            with contextlib.suppress(FileNotFoundError), path.open("rb") as handle:
                items += sum(1 for line in handle if line.strip())
        return len(files), items

    @contextlib.contextmanager
    def claim(self, path: Path) -> Iterator[list[dict[str, Any]] | None]:
        """The batch in `path`, locked so that two writers sharing a spool never replay
        the same file at once; None when another one holds it or already removed it."""
        try:
            handle = path.open("rb")
        except FileNotFoundError:
            yield None
            return
        with handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield None
                return
            yield self._load(handle, path) if _same_file(handle, path) else None

    def _load(self, handle: IO[bytes], path: Path) -> list[dict[str, Any]] | None:
        try:
            return [
                json_util.loads(line, json_options=SPOOL_JSON) for line in handle if line.strip()
            ]
        except ValueError:
            # Not written by us (we rename only complete files): keep it aside, unreplayed.
            self.rejected_dir.mkdir(parents=True, exist_ok=True)
            os.replace(path, self.rejected_dir / f"{path.name}.unreadable")
            logger.error("spool file %s is unreadable; moved to %s", path, self.rejected_dir)
            return None

    def reject(self, doc: dict[str, Any], code: int | str, message: str) -> Path:
        record: dict[str, Any] = {
            "_id": doc.get("_id"),
            "error": {"code": code, "message": message},
            "rejected_at": datetime.now(UTC),
            "document": doc,
        }
        try:
            text = json_util.dumps(record, json_options=REJECTED_JSON, ensure_ascii=False)
        except (TypeError, ValueError, OverflowError):
            # Not even JSON-able (that is why BSON refused it): keep a readable form.
            record["document"] = repr(doc)
            text = json_util.dumps(record, json_options=REJECTED_JSON, ensure_ascii=False)
        return _write_atomically(self.rejected_dir, self._name(".json"), text)
