"""Fixture layout for the replay site, and ``record()`` which fills it from live sites.

``fixture_path()`` is the one mapping from a URL to a file under the fixtures root;
the replay server and ``record()`` both use it, so a recorded page is always found
again. Layout (see docs/replay.md)::

    ROOT/HOST/PATH                     PATH without the leading '/'
    ROOT/HOST/DIR/index.html           for an empty PATH or one ending in '/'
    ROOT/HOST/PATH@QUERY               query verbatim (not re-sorted), '/' -> '%2F'
    ROOT/HOST/PATH.meta.json           optional sidecar: {"status": .., "headers": {..}}
    ROOT/HOST/PATH#OPERATION           a GraphQL POST naming `operationName`, when
                                       present (else PATH answers every operation)
"""

from __future__ import annotations

import gzip
import http.client
import ipaddress
import json
import logging
import os
import re
import tempfile
import urllib.error
import urllib.request
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

logger = logging.getLogger(__name__)

INDEX_NAME = "index.html"
SIDECAR_SUFFIX = ".meta.json"

# Characters left alone when a path or query is percent-encoded. They are the RFC 3986
# reserved and unreserved characters plus '%', so an already-encoded URL (what Scrapy
# puts on the wire) maps to itself and a URL typed with raw Chinese maps to the same file.
_PATH_SAFE = "/:@!$&'()*+,;=%~"
_QUERY_SAFE = _PATH_SAFE + "?"

# A browser's User-Agent: some sites answer bots with a different page than users get.
BROWSER_USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0.0.0 Safari/537.36"
)
_REQUEST_HEADERS = {
    "User-Agent": BROWSER_USER_AGENT,
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5",
    # Only what the stdlib can undo: the body must be stored as plain bytes.
    "Accept-Encoding": "gzip, deflate",
}

# Allowlist rather than denylist: a site-specific header may carry a session token,
# and Set-Cookie always can. Framing headers (Content-Length, Transfer-Encoding,
# Connection) belong to the replay server's own response, not to the fixture.
REPLAYED_HEADERS = (
    "Content-Type",
    "Location",
    "Refresh",
    "Content-Language",
    "Content-Disposition",
    "Last-Modified",
    "ETag",
)


class RecordError(Exception):
    """Some URLs could not be fetched; the others were recorded."""

    def __init__(self, failed: dict[str, str], written: list[Path]) -> None:
        self.failed = failed
        self.written = written
        urls = ", ".join(f"{url} ({why})" for url, why in failed.items())
        super().__init__(f"could not record {len(failed)} URL(s): {urls}")


@dataclass(frozen=True)
class Fetched:
    """One live response, body already decoded from its Content-Encoding."""

    status: int
    headers: Message
    body: bytes


def normalise_url(url: str) -> str:
    """Return *url* as it goes on the wire: IDNA host, percent-encoded path and query.

    Raises ValueError for a URL that is not absolute http(s).
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an absolute http(s) URL: {url!r}")
    netloc = _host_key(parts.hostname)
    if parts.port is not None:
        netloc = f"{netloc}:{parts.port}"
    path = quote(parts.path, safe=_PATH_SAFE)
    query = quote(parts.query, safe=_QUERY_SAFE)
    return urlunsplit((parts.scheme, netloc, path, query, ""))


def fixture_path(root: Path, url: str) -> Path:
    """Return the fixture file for *url* under *root* (the layout is in the module doc).

    The port and the scheme do not take part: http and https share one fixture.
    Raises ValueError for a URL that would map outside ``root/HOST``.
    """
    parts = urlsplit(url)
    if not parts.hostname:
        raise ValueError(f"URL has no host: {url!r}")
    relative = _relative_path(parts.path, parts.query)
    return Path(root) / _host_key(parts.hostname) / relative


# A GraphQL operation name (the spec's Name): never a path trick.
_OPERATION = re.compile(r"[_A-Za-z][_0-9A-Za-z]{0,99}")


def graphql_operation(body: bytes) -> str | None:
    """The `operationName` a GraphQL POST body names, or None (not JSON, no name).

    GraphQL APIs (www.kuaishou.com/graphql) answer every operation on one path; the
    operation picks the answer, as the path does elsewhere."""
    if not body.lstrip().startswith(b"{"):
        return None
    try:
        name = json.loads(body).get("operationName")
    except (ValueError, AttributeError):
        return None
    return name if isinstance(name, str) and _OPERATION.fullmatch(name) else None


def operation_path(body_path: Path, operation: str) -> Path:
    """The fixture of one GraphQL operation on the path of `body_path` ('#' is never
    in a file name `fixture_path` makes: it is percent-encoded in a URL's path)."""
    return body_path.with_name(f"{body_path.name}#{operation}")


def sidecar_path(body_path: Path) -> Path:
    """Return the ``.meta.json`` sidecar that belongs to a fixture body file."""
    return body_path.with_name(body_path.name + SIDECAR_SUFFIX)


def _host_key(hostname: str) -> str:
    """Return the directory name for a host: lower-case ASCII, never a path trick."""
    try:
        host = hostname.lower().encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise ValueError(f"bad host name: {hostname!r}") from exc
    if not host or host.startswith(".") or any(c in host for c in "/\\\0"):
        raise ValueError(f"bad host name: {hostname!r}")
    return host


def _relative_path(path: str, query: str) -> str:
    """Map PATH and QUERY to the file path relative to the host directory."""
    relative = quote(path, safe=_PATH_SAFE).lstrip("/")
    if not relative or relative.endswith("/"):
        relative += INDEX_NAME
    segments = relative.split("/")
    # '..' would climb out of the host directory; '\0' is not a legal file name.
    if any(seg in (".", "..") for seg in segments) or "\0" in relative:
        raise ValueError(f"path not allowed in a fixture: {path!r}")
    if query:
        relative += "@" + quote(query, safe=_QUERY_SAFE).replace("/", "%2F")
    return relative


def record(urls: list[str], fixtures_dir: Path, *, timeout: float = 20) -> list[Path]:
    """Fetch each URL live and store it as a replay fixture under *fixtures_dir*.

    Redirects are not followed: a 3xx is stored as a sidecar-only fixture with its
    Location, so the replayed crawl redirects exactly as the live one did. Error
    statuses are stored like any other response. Returns the written files (bodies
    and sidecars). If some URLs could not be fetched at all (DNS, refused, timeout),
    the rest are still recorded and RecordError is raised at the end.
    """
    written: list[Path] = []
    failed: dict[str, str] = {}
    for url in urls:
        try:
            written.extend(_record_one(url, Path(fixtures_dir), timeout))
        except (OSError, ValueError, http.client.HTTPException, zlib.error) as exc:
            # Said once, by the caller that gets RecordError (the CLI prints each).
            logger.debug("record %s failed: %s", url, exc)
            failed[url] = str(exc)
    if failed:
        raise RecordError(failed, written)
    return written


def _record_one(url: str, root: Path, timeout: float) -> list[Path]:
    wire_url = normalise_url(url)
    fetched = fetch(wire_url, timeout=timeout)
    body_path = fixture_path(root, wire_url)
    paths = write_fixture(body_path, fetched)
    logger.info("recorded %s -> %s (status %d)", url, body_path, fetched.status)
    return paths


def fetch(url: str, *, timeout: float = 20) -> Fetched:
    """GET *url* without following redirects; HTTP error statuses are returned, not raised."""
    request = urllib.request.Request(url, headers=_REQUEST_HEADERS)
    opener = _opener_for(url)
    try:
        with opener.open(request, timeout=timeout) as response:
            return _fetched(response.status, response.headers, response.read())
    except urllib.error.HTTPError as error:
        # urllib raises for every status >= 300 once redirects are refused; those
        # statuses are exactly what a fixture must keep.
        with error:
            return _fetched(error.code, error.headers, error.read())


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Hand 3xx back to the caller instead of following it."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _opener_for(url: str) -> urllib.request.OpenerDirector:
    handlers: list[urllib.request.BaseHandler] = [_NoRedirect()]
    if _is_loopback(urlsplit(url).hostname or ""):
        # An environment proxy cannot reach this machine's loopback, so skip it.
        handlers.append(urllib.request.ProxyHandler({}))
    return urllib.request.build_opener(*handlers)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _fetched(status: int, headers: Message, raw: bytes) -> Fetched:
    encoding = (headers.get("Content-Encoding") or "").strip().lower()
    body = _decode_body(raw, encoding)
    return Fetched(status=status, headers=headers, body=body)


def _decode_body(raw: bytes, encoding: str) -> bytes:
    if encoding in ("gzip", "x-gzip"):
        return gzip.decompress(raw)
    if encoding == "deflate":
        try:
            return zlib.decompress(raw)
        except zlib.error:
            # Some servers send a raw deflate stream without the zlib wrapper.
            return zlib.decompress(raw, -zlib.MAX_WBITS)
    return raw


def replay_headers(headers: Message) -> dict[str, str | list[str]]:
    """Pick the headers worth replaying; a header sent more than once becomes a list."""
    kept: dict[str, str | list[str]] = {}
    for name in REPLAYED_HEADERS:
        values = headers.get_all(name) or []
        if len(values) == 1:
            kept[name] = values[0]
        elif values:
            kept[name] = list(values)
    encoding = (headers.get("Content-Encoding") or "").strip().lower()
    if encoding and encoding not in ("identity", "gzip", "x-gzip", "deflate"):
        # A coding we could not undo (br, zstd): the bytes stay encoded, so the
        # header must stay too or the replayed body is garbage.
        kept["Content-Encoding"] = encoding
    return kept


def write_fixture(body_path: Path, fetched: Fetched) -> list[Path]:
    """Write body (unless a redirect or empty) and sidecar; return the files written."""
    meta = {"status": fetched.status, "headers": replay_headers(fetched.headers)}
    meta_path = sidecar_path(body_path)
    body_path.parent.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    if fetched.body and not 300 <= fetched.status < 400:
        _write_atomic(body_path, fetched.body)
        written.append(body_path)
    else:
        # A body left from an earlier recording would be served with the new status.
        body_path.unlink(missing_ok=True)
    text = json.dumps(meta, ensure_ascii=False, indent=2) + "\n"
    _write_atomic(meta_path, text.encode("utf-8"))
    written.append(meta_path)
    return written


def _write_atomic(path: Path, data: bytes) -> None:
    # A crash mid-write must not leave a half page that later replays as a real one.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".rec-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_sidecar(body_path: Path) -> Mapping[str, object] | None:
    """Return the parsed sidecar of *body_path*, or None if it has none.

    Raises ValueError if the sidecar is not a JSON object with an int status.
    """
    meta_path = sidecar_path(body_path)
    try:
        text = meta_path.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return None
    meta = json.loads(text)
    if not isinstance(meta, dict):
        raise ValueError(f"{meta_path}: sidecar must be a JSON object")
    status = meta.get("status", 200)
    headers = meta.get("headers", {})
    if not isinstance(status, int) or not 100 <= status <= 599:
        raise ValueError(f"{meta_path}: bad status {status!r}")
    if not isinstance(headers, dict):
        raise ValueError(f"{meta_path}: headers must be an object")
    return {"status": status, "headers": headers}
