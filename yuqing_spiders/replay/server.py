"""The replay site: one local HTTP server that answers for every real host from fixtures.

Requests keep their real Host header (the download handler sets it), so one server on
127.0.0.1 stands in for www.people.com.cn, www.jiangxi.gov.cn and the rest. Files are
looked up with ``fixture_path()`` (layout in record.py and docs/replay.md).

Faults (wrong status, slow answer, body cut short, wrong charset label) can be switched
on per path, in-process with ``add_fault()`` or over HTTP under ``/__replay__/`` on host
127.0.0.1, so the crawler's failure handling is tested against real sockets.

Run standalone: ``python -m yuqing_spiders.replay.server --fixtures DIR [--port N]``.
"""

from __future__ import annotations

import argparse
import contextlib
import ipaddress
import json
import logging
import re
import signal
import socket
import sys
import threading
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any, Self
from urllib.parse import urlsplit

from yuqing_spiders.replay.protocol import MISS_HEADER, SCHEME_HEADER
from yuqing_spiders.replay.record import (
    fixture_path,
    graphql_operation,
    load_sidecar,
    operation_path,
    sidecar_path,
)

logger = logging.getLogger(__name__)

CONTROL_PREFIX = "/__replay__/"
# Control endpoints answer only when the client asked for the replay server itself;
# a request carrying a real site's Host can never reach them.
CONTROL_HOSTS = frozenset({"127.0.0.1", "localhost"})

# Without a sidecar the type comes from the extension. HTML carries no charset on
# purpose: the page's own <meta charset> must decide, as it does for most of our sites.
CONTENT_TYPES = {
    ".html": "text/html",
    ".shtml": "text/html",
    ".htm": "text/html",
    ".json": "application/json",
    ".js": "application/javascript",
    ".xml": "application/xml",
    ".rss": "application/xml",
    ".txt": "text/plain",
    ".css": "text/css",
}
DEFAULT_CONTENT_TYPE = "text/html"
# The server frames each response itself; these from a sidecar would contradict it.
_FRAMING_HEADERS = frozenset({"content-length", "transfer-encoding", "connection", "keep-alive"})
_FAULT_KEYS = frozenset({"pattern", "status", "delay", "truncate", "charset", "host", "times"})


@dataclass
class Fault:
    """A misbehaviour applied to requests whose ``PATH?QUERY`` matches ``pattern``."""

    pattern: str
    status: int | None = None
    delay: float | None = None
    truncate: int | None = None
    charset: str | None = None
    host: str | None = None
    times: int | None = None
    applied: int = 0
    _regex: re.Pattern[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        try:
            self._regex = re.compile(self.pattern)
        except re.error as exc:
            raise ValueError(f"bad fault pattern {self.pattern!r}: {exc}") from exc
        _validate_fault(self)
        if self.host is not None:
            self.host = self.host.lower()

    def matches(self, host: str, target: str) -> bool:
        if self.host is not None and self.host != host:
            return False
        return self._regex.search(target) is not None

    @property
    def exhausted(self) -> bool:
        return self.times is not None and self.applied >= self.times

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if not k.startswith("_")}


def _validate_fault(fault: Fault) -> None:
    effects = (fault.status, fault.delay, fault.truncate, fault.charset)
    if all(effect is None for effect in effects):
        raise ValueError("a fault needs at least one of status, delay, truncate, charset")
    if fault.status is not None and not (
        isinstance(fault.status, int) and 100 <= fault.status <= 599
    ):
        raise ValueError(f"bad fault status {fault.status!r}")
    if fault.delay is not None and not (isinstance(fault.delay, int | float) and fault.delay >= 0):
        raise ValueError(f"bad fault delay {fault.delay!r}")
    if fault.truncate is not None and not (isinstance(fault.truncate, int) and fault.truncate >= 0):
        raise ValueError(f"bad fault truncate {fault.truncate!r}")
    if fault.times is not None and not (isinstance(fault.times, int) and fault.times >= 1):
        raise ValueError(f"bad fault times {fault.times!r}")
    if fault.charset is not None and not re.fullmatch(r"[A-Za-z0-9._:-]+", fault.charset):
        raise ValueError(f"bad fault charset {fault.charset!r}")


@dataclass(frozen=True)
class ServedRequest:
    """One entry of the served-request log. ``path`` includes ``?QUERY``."""

    method: str
    host: str
    path: str
    status: int
    scheme: str = "http"
    miss: bool = False
    fault: bool = False
    body: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Reply:
    """What to send back, decided before anything is written."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes
    delay: float | None = None
    truncate: int | None = None


class ReplayServer:
    """Serve fixtures for any host on 127.0.0.1, with optional injected faults."""

    def __init__(self, fixtures_dir: Path, host: str = "127.0.0.1", port: int = 0) -> None:
        self.fixtures_dir = Path(fixtures_dir)
        if not self.fixtures_dir.is_dir():
            raise FileNotFoundError(f"fixtures directory not found: {self.fixtures_dir}")
        if not _is_ipv4_loopback(host):
            raise ValueError(f"the replay server binds only to loopback, not {host!r}")
        self.host = host
        self._requested_port = port
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._log: list[ServedRequest] = []
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- lifecycle -----------------------------------------------------------------

    def start(self) -> Self:
        if self._httpd is not None:
            raise RuntimeError("replay server already started")
        self._stopping.clear()
        self._httpd = _HTTPServer((self.host, self._requested_port), _Handler, self)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            # A short poll keeps stop() quick: shutdown is only noticed once per poll.
            kwargs={"poll_interval": 0.05},
            name=f"replay-{self.port}",
            daemon=True,
        )
        self._thread.start()
        logger.info("replay server on %s serving %s", self.url, self.fixtures_dir)
        return self

    def stop(self) -> None:
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        # Wake handlers sleeping on a delay fault, then cut kept-alive connections so
        # no handler thread outlives the server.
        self._stopping.set()
        httpd.shutdown()
        httpd.server_close()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=5)
        logger.info("replay server stopped")

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("replay server not started")
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    # --- served-request log ----------------------------------------------------------

    @property
    def requests(self) -> list[ServedRequest]:
        with self._lock:
            return list(self._log)

    @property
    def misses(self) -> list[ServedRequest]:
        return [entry for entry in self.requests if entry.miss]

    def clear_requests(self) -> None:
        with self._lock:
            self._log.clear()

    def _remember(self, entry: ServedRequest) -> None:
        with self._lock:
            self._log.append(entry)

    # --- faults ----------------------------------------------------------------------

    def add_fault(
        self,
        pattern: str,
        *,
        status: int | None = None,
        delay: float | None = None,
        truncate: int | None = None,
        charset: str | None = None,
        host: str | None = None,
        times: int | None = None,
    ) -> Fault:
        """Apply a fault to requests whose ``PATH?QUERY`` matches regex *pattern*.

        Faults are tried in the order added and the first live match wins, so
        ``add_fault(p, status=503, times=2)`` then ``add_fault(p, delay=9)`` gives two
        503s and then slow answers. Raises ValueError for a bad fault.
        """
        fault = Fault(pattern, status, delay, truncate, charset, host, times)
        with self._lock:
            self._faults.append(fault)
        logger.info("replay fault added: %s", fault.to_dict())
        return fault

    def clear_faults(self) -> int:
        with self._lock:
            count = len(self._faults)
            self._faults.clear()
        return count

    @property
    def faults(self) -> list[Fault]:
        with self._lock:
            return list(self._faults)

    def _take_fault(self, host: str, target: str) -> Fault | None:
        """Return the fault for this request and count it against ``times``."""
        with self._lock:
            for fault in self._faults:
                if fault.matches(host, target) and not fault.exhausted:
                    fault.applied += 1
                    return fault
        return None

    # --- answering -------------------------------------------------------------------

    def resolve(self, method: str, host: str, target: str, scheme: str, body: bytes) -> Reply:
        """Decide the reply for one site request and log it (before it is sent)."""
        if body:
            logger.info("replay %s %s%s body: %r", method, host, target, body[:200])
        fault = self._take_fault(host, target)
        operation = graphql_operation(body) if method == "POST" else None
        reply, miss = self._reply_from_fixture(host, target, operation)
        if fault is not None:
            _apply_fault(reply, fault, miss)
            miss = miss and fault.status is None
        if miss:
            logger.warning("replay miss: %s %s%s (no fixture)", method, host, target)
        entry = ServedRequest(
            method=method,
            host=host,
            path=target,
            status=reply.status,
            scheme=scheme,
            miss=miss,
            fault=fault is not None,
            body=body.decode("utf-8", "replace"),
        )
        self._remember(entry)
        return reply

    def _reply_from_fixture(
        self, host: str, target: str, operation: str | None = None
    ) -> tuple[Reply, bool]:
        """Return (reply, is_miss) for the fixture behind ``host`` + ``target`` (the
        GraphQL `operation`'s own fixture first, when it has one)."""
        try:
            body_path = fixture_path(self.fixtures_dir, _lookup_url(host, target))
        except ValueError as exc:
            return _text_reply(400, f"replay: bad request: {exc}\n"), False
        if operation is not None:
            variant = operation_path(body_path, operation)
            if variant.exists() or sidecar_path(variant).exists():
                body_path = variant
        try:
            meta = load_sidecar(body_path)
        except ValueError as exc:
            # A broken fixture must be loud: it is a test bug, not a site behaviour.
            logger.error("replay: broken sidecar for %s: %s", body_path, exc)
            return _text_reply(500, f"replay: broken sidecar: {exc}\n"), False
        body = _read_body(body_path)
        if meta is None and body is None:
            reply = _text_reply(404, f"replay: no fixture for {host}{target}\n")
            reply.headers.append((MISS_HEADER, "1"))
            return reply, True
        return _fixture_reply(body_path, meta, body or b""), False


def _lookup_url(host: str, target: str) -> str:
    """Rebuild a URL for ``fixture_path`` (the scheme plays no part in the layout)."""
    if not target.startswith("/"):
        # "GET foo" would otherwise glue onto the host name and pick another directory.
        raise ValueError(f"request target must start with '/': {target!r}")
    netloc = f"[{host}]" if ":" in host else host
    return f"http://{netloc}{target}"


def _read_body(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return None


def _fixture_reply(path: Path, meta: Mapping[str, Any] | None, body: bytes) -> Reply:
    status = 200 if meta is None else int(meta["status"])
    headers = [] if meta is None else _sidecar_headers(meta["headers"])
    if not any(name.lower() == "content-type" for name, _ in headers):
        headers.append(("Content-Type", guess_content_type(path)))
    return Reply(status=status, headers=headers, body=body)


def _sidecar_headers(raw: Mapping[str, Any]) -> list[tuple[str, str]]:
    headers: list[tuple[str, str]] = []
    for name, value in raw.items():
        if name.lower() in _FRAMING_HEADERS:
            continue
        values = value if isinstance(value, list) else [value]
        headers.extend((name, str(v)) for v in values)
    return headers


def guess_content_type(path: Path) -> str:
    """Content-Type for a fixture without a sidecar, from the extension before any '@'."""
    name = path.name.split("@", 1)[0]
    suffix = Path(name).suffix.lower()
    return CONTENT_TYPES.get(suffix, DEFAULT_CONTENT_TYPE)


def _text_reply(status: int, text: str) -> Reply:
    return Reply(
        status=status,
        headers=[("Content-Type", "text/plain; charset=utf-8")],
        body=text.encode("utf-8"),
    )


def _apply_fault(reply: Reply, fault: Fault, miss: bool) -> None:
    if fault.status is not None:
        reply.status = fault.status
        if miss:
            # The test asked for this status on a path it has no page for: send
            # the status alone, not the "no fixture" text.
            reply.body = b""
            reply.headers = [(n, v) for n, v in reply.headers if n != MISS_HEADER]
    if fault.charset is not None:
        reply.headers = [
            (n, set_charset(v, fault.charset) if n.lower() == "content-type" else v)
            for n, v in reply.headers
        ]
    reply.delay = fault.delay
    reply.truncate = fault.truncate


def set_charset(content_type: str, charset: str) -> str:
    """Return *content_type* with its charset parameter replaced by (or set to) *charset*."""
    parts = [p.strip() for p in content_type.split(";")]
    params = [p for p in parts[1:] if p and not p.lower().startswith("charset=")]
    return "; ".join([parts[0], *params, f"charset={charset}"])


def _is_ipv4_loopback(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.version == 4 and address.is_loopback


class _HTTPServer(ThreadingHTTPServer):
    # Handler threads must not keep the process (or stop()) waiting on a slow client.
    daemon_threads = True
    block_on_close = False

    def __init__(self, address: tuple[str, int], handler: type[_Handler], replay: ReplayServer):
        self.replay = replay
        super().__init__(address, handler)

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, ConnectionError | TimeoutError):
            # Clients that time out on a delay fault hang up; that is the point.
            logger.debug("replay: client %s went away: %s", client_address, exc)
            return
        logger.error("replay: error serving %s", client_address, exc_info=exc)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as Scrapy's connection pool expects
    server_version = "yuqing-replay"
    timeout = 60  # an idle kept-alive connection frees its thread after this
    server: _HTTPServer

    @property
    def replay(self) -> ReplayServer:
        return self.server.replay

    def setup(self) -> None:
        super().setup()
        with self.replay._lock:
            self.replay._connections.add(self.connection)

    def finish(self) -> None:
        with self.replay._lock:
            self.replay._connections.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib name
        # The stdlib writes every access line to stderr; ours go to logging at debug.
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug("replay %s %s", self.address_string(), format % args)

    def do_GET(self) -> None:
        self._serve()

    def do_HEAD(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def _serve(self) -> None:
        body = self._read_request_body()
        # An absolute-form target (proxy style) names the host authoritatively.
        target_host, target = _split_target(self.path)
        host = _host_only(target_host or self.headers.get("Host") or "")
        if not host:
            self._send(_text_reply(400, "replay: request without a Host header\n"))
            return
        if host in CONTROL_HOSTS and target.startswith(CONTROL_PREFIX):
            self._send(_control(self.replay, self.command, target, body))
            return
        if self.command == "DELETE":
            # DELETE exists for the control endpoints; sites are read, not changed.
            self._send(_text_reply(405, "replay: method not allowed\n"))
            return
        scheme = (self.headers.get(SCHEME_HEADER) or "http").lower()
        self._send(self.replay.resolve(self.command, host, target, scheme, body))

    def _read_request_body(self) -> bytes:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            return b"".join(_read_chunks(self.rfile))
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _send(self, reply: Reply) -> None:
        if reply.delay and self.replay._stopping.wait(reply.delay):
            self.close_connection = True  # server stopping: hang up without answering
            return
        self.send_response_only(reply.status)
        for name, value in reply.headers:
            self.send_header(name, value)
        if not any(name.lower() == "date" for name, _ in reply.headers):
            self.send_header("Date", self.date_time_string())
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if self.command == "HEAD":
            return
        if reply.truncate is not None and reply.truncate < len(reply.body):
            # Declared length stays the full one; the peer sees the socket close early,
            # exactly like a server that died mid-response.
            self.wfile.write(reply.body[: reply.truncate])
            self.close_connection = True
            return
        self.wfile.write(reply.body)


def _read_chunks(rfile: Any) -> Iterator[bytes]:
    while True:
        size = int(rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
        if size == 0:
            # Trailer section ends with an empty line.
            while rfile.readline() not in (b"\r\n", b"\n", b""):
                pass
            return
        yield rfile.read(size)
        rfile.readline()


def _split_target(raw: str) -> tuple[str | None, str]:
    """Return (host from an absolute-form target or None, ``PATH?QUERY``)."""
    if raw.startswith(("http://", "https://")):
        # Absolute form, as a client sends it to a proxy.
        parts = urlsplit(raw)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        return parts.netloc, target
    return None, raw.split("#", 1)[0]


def _host_only(host_header: str) -> str:
    try:
        return (urlsplit("//" + host_header.strip()).hostname or "").lower()
    except ValueError:
        return ""


# --- control endpoints ---------------------------------------------------------------


def _control(replay: ReplayServer, method: str, target: str, body: bytes) -> Reply:
    path = target.split("?", 1)[0].rstrip("/")
    route = (method, path.removeprefix(CONTROL_PREFIX.rstrip("/")))
    if route == ("GET", "/requests"):
        entries = [entry.to_dict() for entry in replay.requests]
        misses = sum(1 for entry in entries if entry["miss"])
        return _json_reply(200, {"requests": entries, "misses": misses})
    if route == ("DELETE", "/requests"):
        replay.clear_requests()
        return _json_reply(200, {"cleared": True})
    if route == ("GET", "/faults"):
        return _json_reply(200, {"faults": [f.to_dict() for f in replay.faults]})
    if route == ("POST", "/faults"):
        return _add_fault_over_http(replay, body)
    if route == ("DELETE", "/faults"):
        return _json_reply(200, {"cleared": replay.clear_faults()})
    return _json_reply(404, {"error": f"no control endpoint {method} {path}"})


def _add_fault_over_http(replay: ReplayServer, body: bytes) -> Reply:
    try:
        spec = json.loads(body or b"null")
        if not isinstance(spec, dict) or not isinstance(spec.get("pattern"), str):
            raise ValueError('body must be a JSON object with a string "pattern"')
        unknown = set(spec) - _FAULT_KEYS
        if unknown:
            raise ValueError(f"unknown fault keys: {sorted(unknown)}")
        pattern = spec.pop("pattern")
        fault = replay.add_fault(pattern, **spec)
    except ValueError as exc:  # json.JSONDecodeError is a ValueError
        return _json_reply(400, {"error": str(exc)})
    return _json_reply(201, {"fault": fault.to_dict()})


def _json_reply(status: int, payload: Mapping[str, Any]) -> Reply:
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return Reply(status, [("Content-Type", "application/json; charset=utf-8")], body)


# --- command line ----------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve replay fixtures on 127.0.0.1.")
    parser.add_argument("--fixtures", type=Path, required=True, help="fixtures root")
    parser.add_argument("--port", type=int, default=0, help="port (default: any free)")
    parser.add_argument("--log-level", default="INFO", help="log level (logs go to stderr)")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(),
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    with ReplayServer(args.fixtures, port=args.port) as server:
        # Exactly one stdout line: whoever started us parses the URL from it.
        print(f"replay listening on {server.url}", flush=True)
        while not stop.wait(0.5):
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
