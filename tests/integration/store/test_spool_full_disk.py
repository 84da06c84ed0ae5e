"""The spool on a full disk: a write cut short leaves nothing behind, and only whole
files are ever taken as batches (issue 12: ENOSPC left empty `.tmp` files)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.helpers.paths import REPO
from yuqing_spiders.store.spool import Spool

# Runs inside its own user and mount namespace, with the spool on a 16 KiB tmpfs: a
# real ENOSPC from the kernel, no root needed.
FILL = """
import json, os, sys
from yuqing_spiders.store.spool import Spool
spool = Spool(sys.argv[1])
written, error = 0, None
for n in range(100):
    try:
        spool.append([{"_id": f"people:{n}-{i}", "content": "南" * 300} for i in range(4)])
        written += 1
    except OSError as exc:
        error = exc.errno
        break
names = sorted(os.listdir(sys.argv[1]))
whole = []
for path in spool.pending():
    with spool.claim(path) as docs:
        whole.append(len(docs or []))
print(json.dumps({"written": written, "errno": error, "names": names, "whole": whole}))
"""


def _namespaces_work() -> bool:
    if shutil.which("unshare") is None:
        return False
    return subprocess.run(["unshare", "-rm", "true"], capture_output=True).returncode == 0


@pytest.mark.skipif(not _namespaces_work(), reason="needs unshare -rm (user namespaces)")
def test_enospc_leaves_no_temp_file_and_no_partial_batch(tmp_path):
    spool_dir = tmp_path / "spool"
    spool_dir.mkdir()
    script = f'mount -t tmpfs -o size=16k full {spool_dir} && exec "$@"'
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    done = subprocess.run(
        ["unshare", "-rm", "sh", "-c", script, "sh", sys.executable, "-c", FILL, str(spool_dir)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
    )
    result = json.loads(done.stdout)
    assert result["errno"] == 28  # ENOSPC, from the kernel
    assert result["written"] > 0
    assert not [n for n in result["names"] if n.endswith(".tmp")], result["names"]
    assert result["whole"] == [4] * result["written"]  # every file a whole batch


def test_temp_files_of_dead_writers_are_swept(tmp_path):
    spool = Spool(tmp_path)
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead = tmp_path / f".{0:020d}-{int(gone.stdout)}-000000.jsonl.tmp"
    mine = tmp_path / f".{0:020d}-{os.getpid()}-000001.jsonl.tmp"
    dead.write_text('{"_id": "half')
    mine.write_text("")
    assert spool.pending() == []
    assert not dead.exists()
    assert mine.exists()  # a live writer's file is its own business
    assert json.dumps(spool.size()) == "[0, 0]"
