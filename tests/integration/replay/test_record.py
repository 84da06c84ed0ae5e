"""record(): fetch from a live (local) site, then replay what was recorded and compare.

The "live" site is a stdlib http.server on 127.0.0.1 that behaves like the real ones:
gzip and deflate bodies, a GBK page with a charset header, a 404, a redirect, cookies.
"""

from __future__ import annotations

import gzip
import http.client
import json
import socket
import threading
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from w3lib.url import safe_url_string

from yuqing_spiders.replay.record import RecordError, fixture_path, record, sidecar_path
from yuqing_spiders.replay.server import ReplayServer

GBK_PAGE = '<html><head><meta charset="gbk"></head><body>南昌市政务公开</body></html>'.encode("gbk")
NEWS_PATH = "/%E6%96%B0%E9%97%BB/a.html"  # /新闻/a.html as it goes on the wire


@dataclass
class Page:
    status: int
    headers: dict[str, str]
    body: bytes
    encoding: str | None = None  # Content-Encoding to apply when the client accepts it


@dataclass
class LiveSite:
    port: int
    pages: dict[str, Page]
    seen: list[dict[str, str]] = field(default_factory=list)

    def url(self, target: str) -> str:
        return f"http://127.0.0.1:{self.port}{target}"


def build_pages(port: int) -> dict[str, Page]:
    html = "text/html; charset=utf-8"
    return {
        "/gbk.html": Page(
            200,
            {
                "Content-Type": "text/html; charset=GBK",
                "Set-Cookie": "session=secret-token; Path=/",
                "Server-Timing": "db;dur=53",
                "Last-Modified": "Tue, 01 Apr 2025 08:00:00 GMT",
            },
            GBK_PAGE,
            encoding="gzip",
        ),
        "/missing.html": Page(404, {"Content-Type": html}, b"<html>not here</html>"),
        "/old": Page(
            302, {"Location": f"http://127.0.0.1:{port}/gbk.html", "Content-Type": html}, b"moved"
        ),
        "/list?page=2&cat=a/b": Page(200, {"Content-Type": html}, b"<html>page 2</html>"),
        "/data.json": Page(
            200, {"Content-Type": "application/json"}, b'{"n": 1}', encoding="deflate"
        ),
        NEWS_PATH: Page(200, {"Content-Type": html}, "<html>新闻</html>".encode()),
        "/flip.html": Page(200, {"Content-Type": html}, b"<html>first</html>"),
    }


class _LiveHandler(BaseHTTPRequestHandler):
    server: Any

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:
        site: LiveSite = self.server.site
        site.seen.append({"path": self.path, **dict(self.headers.items())})
        page = site.pages.get(self.path)
        if page is None:
            self.send_error(500, "test site has no such page")
            return
        body = page.body
        accepted = self.headers.get("Accept-Encoding", "")
        if page.encoding == "gzip" and "gzip" in accepted:
            body = gzip.compress(body)
        elif page.encoding == "deflate" and "deflate" in accepted:
            body = zlib.compress(body)
        self.send_response(page.status)
        for name, value in page.headers.items():
            self.send_header(name, value)
        if body is not page.body:
            self.send_header("Content-Encoding", page.encoding or "")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def live() -> Iterator[LiveSite]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _LiveHandler)
    httpd.daemon_threads = True
    port = httpd.server_address[1]
    httpd.site = LiveSite(port, build_pages(port))  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield httpd.site  # type: ignore[attr-defined]
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def replay(
    server: ReplayServer, live: LiveSite, target: str
) -> tuple[int, http.client.HTTPMessage, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        conn.request("GET", target, headers={"Host": f"127.0.0.1:{live.port}"})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def read_meta(body_path: Path) -> dict[str, Any]:
    return json.loads(sidecar_path(body_path).read_text(encoding="utf-8"))


# --- layout mapping --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "relative"),
    [
        ("http://www.people.com.cn/GB/59476/", "www.people.com.cn/GB/59476/index.html"),
        ("http://www.people.com.cn/GB/59476/index.html", "www.people.com.cn/GB/59476/index.html"),
        ("https://WWW.People.com.cn:8443", "www.people.com.cn/index.html"),
        ("http://x.cn/a/b.shtml?id=3&p=1", "x.cn/a/b.shtml@id=3&p=1"),
        ("http://x.cn/list/?cat=a/b", "x.cn/list/index.html@cat=a%2Fb"),
        ("http://x.cn/api/search?", "x.cn/api/search"),
        ("http://x.cn/a.html#frag", "x.cn/a.html"),
    ],
)
def test_fixture_path_layout(tmp_path: Path, url: str, relative: str) -> None:
    assert fixture_path(tmp_path, url) == tmp_path / relative


def test_fixture_path_matches_what_scrapy_puts_on_the_wire(tmp_path: Path) -> None:
    typed = "http://www.nc.gov.cn/新闻/列表 1.html?kw=南昌"
    assert fixture_path(tmp_path, typed) == fixture_path(tmp_path, safe_url_string(typed))
    assert fixture_path(tmp_path, typed).name == "%E5%88%97%E8%A1%A8%201.html@kw=%E5%8D%97%E6%98%8C"


@pytest.mark.parametrize("url", ["http://x.cn/../etc/passwd", "http://x.cn/a/./b", "/no/host"])
def test_fixture_path_refuses_escapes(tmp_path: Path, url: str) -> None:
    with pytest.raises(ValueError, match=r"path|host"):
        fixture_path(tmp_path, url)


# --- record and replay -----------------------------------------------------------------


def test_recorded_gbk_page_replays_identically(live: LiveSite, tmp_path: Path) -> None:
    written = record([live.url("/gbk.html")], tmp_path)
    body_path = tmp_path / "127.0.0.1" / "gbk.html"
    assert written == [body_path, sidecar_path(body_path)]
    # Stored decoded: the live server really sent gzip, the file holds the page bytes.
    assert "gzip" in live.seen[0]["Accept-Encoding"]
    assert body_path.read_bytes() == GBK_PAGE
    assert live.seen[0]["User-Agent"].startswith("Mozilla/5.0")

    meta = read_meta(body_path)
    assert meta == {
        "status": 200,
        "headers": {
            "Content-Type": "text/html; charset=GBK",
            "Last-Modified": "Tue, 01 Apr 2025 08:00:00 GMT",
        },
    }

    with ReplayServer(tmp_path) as server:
        status, headers, body = replay(server, live, "/gbk.html")
    assert (status, body) == (200, GBK_PAGE)
    assert headers["Content-Type"] == "text/html; charset=GBK"
    assert "Set-Cookie" not in headers
    assert "Content-Encoding" not in headers


def test_recorded_404_and_redirect_replay_with_status(live: LiveSite, tmp_path: Path) -> None:
    record([live.url("/missing.html"), live.url("/old")], tmp_path)
    missing = tmp_path / "127.0.0.1" / "missing.html"
    old = tmp_path / "127.0.0.1" / "old"
    assert read_meta(missing)["status"] == 404
    # The redirect is a sidecar-only fixture, not followed.
    assert not old.exists()
    assert read_meta(old) == {
        "status": 302,
        "headers": {
            "Location": live.url("/gbk.html"),
            "Content-Type": "text/html; charset=utf-8",
        },
    }
    assert [seen["path"] for seen in live.seen] == ["/missing.html", "/old"]

    with ReplayServer(tmp_path) as server:
        assert replay(server, live, "/missing.html")[::2] == (404, b"<html>not here</html>")
        status, headers, body = replay(server, live, "/old")
        assert (status, body) == (302, b"")
        assert headers["Location"] == live.url("/gbk.html")
        assert server.misses == []


def test_query_deflate_and_unicode_urls(live: LiveSite, tmp_path: Path) -> None:
    urls = [live.url("/list?page=2&cat=a/b"), live.url("/data.json"), live.url("/新闻/a.html")]
    record(urls, tmp_path)
    site = tmp_path / "127.0.0.1"
    assert (site / "list@page=2&cat=a%2Fb").read_bytes() == b"<html>page 2</html>"
    assert (site / "data.json").read_bytes() == b'{"n": 1}'
    assert (site / "%E6%96%B0%E9%97%BB" / "a.html").read_bytes() == "<html>新闻</html>".encode()
    assert live.seen[2]["path"] == NEWS_PATH

    with ReplayServer(tmp_path) as server:
        assert replay(server, live, "/list?page=2&cat=a/b")[2] == b"<html>page 2</html>"
        status, headers, body = replay(server, live, "/data.json")
        assert (status, headers["Content-Type"], body) == (200, "application/json", b'{"n": 1}')
        assert replay(server, live, NEWS_PATH)[2] == "<html>新闻</html>".encode()


def test_rerecording_a_redirect_removes_the_old_body(live: LiveSite, tmp_path: Path) -> None:
    record([live.url("/flip.html")], tmp_path)
    body_path = tmp_path / "127.0.0.1" / "flip.html"
    assert body_path.read_bytes() == b"<html>first</html>"
    live.pages["/flip.html"] = Page(301, {"Location": "/gbk.html"}, b"moved")
    assert record([live.url("/flip.html")], tmp_path) == [sidecar_path(body_path)]
    assert not body_path.exists()
    with ReplayServer(tmp_path) as server:
        status, headers, body = replay(server, live, "/flip.html")
    assert (status, headers["Location"], body) == (301, "/gbk.html", b"")


def test_unreachable_url_is_reported_and_others_still_recorded(
    live: LiveSite, tmp_path: Path
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead_port = sock.getsockname()[1]
    dead = f"http://127.0.0.1:{dead_port}/x.html"
    with pytest.raises(RecordError) as info:
        record([dead, live.url("/gbk.html"), "ftp://x.cn/file"], tmp_path, timeout=5)
    assert set(info.value.failed) == {dead, "ftp://x.cn/file"}
    assert info.value.written == [
        tmp_path / "127.0.0.1" / "gbk.html",
        sidecar_path(tmp_path / "127.0.0.1" / "gbk.html"),
    ]
