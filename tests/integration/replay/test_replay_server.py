"""The replay server over real HTTP on 127.0.0.1: layout, sidecars, misses, faults, control."""

from __future__ import annotations

import http.client
import json
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from yuqing_spiders.replay.server import ReplayServer

HOST = "www.example-news.cn"
GBK_PAGE = '<html><head><meta charset="gbk"></head><body>南昌新闻</body></html>'.encode("gbk")


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def request(
    server: ReplayServer,
    path: str,
    *,
    host: str = HOST,
    method: str = "GET",
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 10,
) -> tuple[int, http.client.HTTPMessage, bytes]:
    """One request on a fresh connection; returns (status, headers, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers={"Host": host, **(headers or {})})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


@pytest.fixture
def web(tmp_path: Path) -> Path:
    root = tmp_path / "web"
    site = root / HOST
    write(site / "a" / "1.html", GBK_PAGE)
    write(site / "GB" / "59476" / "index.html", "<html>column</html>")
    write(site / "index.html", "<html>home</html>")
    write(site / "api" / "data.json", '{"ok": true}')
    write(site / "static" / "app.js", "var x = 1;")
    write(site / "content" / "123", "<html>no extension</html>")
    write(site / "list@page=2&cat=a%2Fb", "<html>page 2</html>")
    write(site / "search" / "index.html@q=%E5%8D%97%E6%98%8C", "<html>search</html>")
    write(site / "gbk.html", GBK_PAGE)
    write(
        site / "gbk.html.meta.json",
        json.dumps({"status": 200, "headers": {"Content-Type": "text/html; charset=GBK"}}),
    )
    write(site / "error.html", "<html>oops</html>")
    write(
        site / "error.html.meta.json",
        json.dumps({"status": 500, "headers": {"X-Custom": "yes", "Content-Length": "999"}}),
    )
    write(
        site / "old.html.meta.json",
        json.dumps({"status": 301, "headers": {"Location": f"http://{HOST}/a/1.html"}}),
    )
    write(site / "gone.html.meta.json", json.dumps({"status": 404}))
    write(site / "broken.html.meta.json", "{not json")
    # Outside the fixtures root: must never be reachable.
    write(tmp_path / "secret.html", "<html>secret</html>")
    return root


@pytest.fixture
def server(web: Path) -> Iterator[ReplayServer]:
    with ReplayServer(web) as srv:
        yield srv


# --- layout ----------------------------------------------------------------------------


def test_body_bytes_equal_file_bytes_including_gbk(server: ReplayServer, web: Path) -> None:
    status, headers, body = request(server, "/a/1.html")
    assert status == 200
    assert body == (web / HOST / "a" / "1.html").read_bytes()
    assert body == GBK_PAGE
    # No sidecar: the page's own <meta charset> must decide, so no charset here.
    assert headers["Content-Type"] == "text/html"
    assert headers["Content-Length"] == str(len(GBK_PAGE))


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/api/data.json", "application/json"),
        ("/static/app.js", "application/javascript"),
        ("/content/123", "text/html"),
    ],
)
def test_content_type_guessed_from_extension(
    server: ReplayServer, path: str, content_type: str
) -> None:
    status, headers, _ = request(server, path)
    assert status == 200
    assert headers["Content-Type"] == content_type


@pytest.mark.parametrize("path", ["/GB/59476/", "/GB/59476/index.html"])
def test_directory_and_index_html_are_the_same_fixture(server: ReplayServer, path: str) -> None:
    status, _, body = request(server, path)
    assert (status, body) == (200, b"<html>column</html>")


def test_root_path_serves_host_index(server: ReplayServer) -> None:
    assert request(server, "/")[2] == b"<html>home</html>"


def test_host_header_port_and_case_are_ignored(server: ReplayServer) -> None:
    status, _, body = request(server, "/a/1.html", host="WWW.Example-News.CN:8443")
    assert (status, body) == (200, GBK_PAGE)


def test_query_maps_to_at_suffix_with_slash_escaped(server: ReplayServer) -> None:
    status, _, body = request(server, "/list?page=2&cat=a/b")
    assert (status, body) == (200, b"<html>page 2</html>")


def test_query_is_verbatim_not_resorted(server: ReplayServer) -> None:
    status, _, _ = request(server, "/list?cat=a/b&page=2")
    assert status == 404


def test_query_on_directory_uses_index_html(server: ReplayServer) -> None:
    status, _, body = request(server, "/search/?q=%E5%8D%97%E6%98%8C")
    assert (status, body) == (200, b"<html>search</html>")


def test_sidecar_status_and_headers_are_sent(server: ReplayServer) -> None:
    status, headers, body = request(server, "/gbk.html")
    assert (status, body) == (200, GBK_PAGE)
    assert headers["Content-Type"] == "text/html; charset=GBK"

    status, headers, body = request(server, "/error.html")
    assert status == 500
    assert headers["X-Custom"] == "yes"
    assert body == b"<html>oops</html>"
    # The server frames the body itself; a sidecar Content-Length would corrupt it.
    assert headers["Content-Length"] == str(len(body))


def test_sidecar_without_body_is_an_empty_response(server: ReplayServer) -> None:
    status, headers, body = request(server, "/old.html")
    assert status == 301
    assert headers["Location"] == f"http://{HOST}/a/1.html"
    assert body == b""

    status, _, body = request(server, "/gone.html")
    assert (status, body) == (404, b"")
    assert server.misses == []  # a recorded 404 is a fixture, not a miss


def test_broken_sidecar_is_a_loud_500(server: ReplayServer) -> None:
    status, _, body = request(server, "/broken.html")
    assert status == 500
    assert b"broken sidecar" in body


# --- misses and safety -----------------------------------------------------------------


def test_missing_fixture_is_404_logged_and_counted(server: ReplayServer) -> None:
    status, headers, body = request(server, "/nope.html?x=1")
    assert status == 404
    assert headers["X-Replay-Miss"] == "1"
    assert b"no fixture" in body
    assert [(m.host, m.path, m.status) for m in server.misses] == [(HOST, "/nope.html?x=1", 404)]
    request(server, "/a/1.html")
    assert len(server.misses) == 1
    assert len(server.requests) == 2


def test_other_host_does_not_see_this_hosts_fixtures(server: ReplayServer) -> None:
    assert request(server, "/a/1.html", host="other.example.cn")[0] == 404


@pytest.mark.parametrize(
    ("host", "path"),
    [
        (HOST, "/../secret.html"),
        (HOST, "/a/../../secret.html"),
        ("..", "/secret.html"),
        (HOST, "/%2e%2e/secret.html"),
    ],
)
def test_paths_cannot_escape_the_fixtures_root(server: ReplayServer, host: str, path: str) -> None:
    status, _, body = request(server, path, host=host)
    assert status in (400, 404)
    assert b"secret" not in body.replace(b"secret.html", b"")


def raw_exchange(server: ReplayServer, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_absolute_form_target_names_the_host(server: ReplayServer) -> None:
    # As a client talking to a proxy sends it: the URL in the request line wins.
    head = f"GET http://{HOST}/a/1.html HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
    reply = raw_exchange(server, head.encode() + b"\r\n")
    assert reply.startswith(b"HTTP/1.1 200 ")
    assert reply.endswith(b"\r\n\r\n" + GBK_PAGE)


def test_target_without_leading_slash_is_rejected(server: ReplayServer) -> None:
    reply = raw_exchange(
        server, f"GET a/1.html HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n".encode()
    )
    assert reply.startswith(b"HTTP/1.1 400 ")


def test_head_sends_length_without_body(server: ReplayServer) -> None:
    status, headers, body = request(server, "/a/1.html", method="HEAD")
    assert status == 200
    assert headers["Content-Length"] == str(len(GBK_PAGE))
    assert body == b""


def test_post_is_served_and_its_body_logged(server: ReplayServer) -> None:
    status, _, body = request(
        server,
        "/api/data.json",
        method="POST",
        body=b"keyword=nanchang",
        headers={"Content-Type": "application/x-www-form-urlencoded", "X-Replay-Scheme": "https"},
    )
    assert (status, body) == (200, b'{"ok": true}')
    [entry] = server.requests
    assert (entry.method, entry.host, entry.path, entry.status) == (
        "POST",
        HOST,
        "/api/data.json",
        200,
    )
    assert entry.body == "keyword=nanchang"
    assert entry.scheme == "https"


def test_a_graphql_post_is_answered_by_its_operations_fixture(
    server: ReplayServer, web: Path
) -> None:
    # Public fact modelled: www.kuaishou.com/graphql answers every operation on one
    # path, {operationName, variables, query} in the POST body choosing the answer.
    site = web / HOST
    write(site / "graphql", '{"data": {"visionProfile": {"result": 1}}}')
    write(site / "graphql#visionVideoDetail", '{"data": {"visionVideoDetail": {"status": 1}}}')
    write(site / "graphql#visionVideoDetail.meta.json", '{"status": 200, "headers": {}}')

    def post(body: bytes) -> bytes:
        status, _, answer = request(server, "/graphql", method="POST", body=body)
        assert status == 200
        return answer

    detail = b'{"operationName":"visionVideoDetail","variables":{"photoId":"3x1"},"query":"q"}'
    assert b"visionVideoDetail" in post(detail)
    # Any other operation, a body that is no JSON object, a name that is no GraphQL
    # name (never a path): the path's own fixture.
    assert b"visionProfile" in post(b'{"operationName":"visionProfile","query":"q"}')
    assert b"visionProfile" in post(b"operationName=visionVideoDetail")
    assert b"visionProfile" in post(b'["visionVideoDetail"]')
    assert b"visionProfile" in post(b'{"operationName":"../graphql#visionVideoDetail"}')
    # GET never picks an operation's fixture by a body.
    status, _, answer = request(server, "/graphql", body=detail)
    assert (status, b"visionProfile" in answer) == (200, True)


def test_keep_alive_connection_serves_several_requests(server: ReplayServer) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        for path in ("/a/1.html", "/nope", "/GB/59476/"):
            conn.request("GET", path, headers={"Host": HOST})
            conn.getresponse().read()
    finally:
        conn.close()
    assert [e.status for e in server.requests] == [200, 404, 200]


def test_binds_only_loopback(web: Path) -> None:
    with pytest.raises(ValueError, match="loopback"):
        ReplayServer(web, host="0.0.0.0")


def test_url_is_the_bound_port(server: ReplayServer) -> None:
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", server.url)
    assert server.url.endswith(f":{server.port}")


# --- faults ----------------------------------------------------------------------------


def test_status_fault_keeps_body(server: ReplayServer) -> None:
    server.add_fault(r"^/a/1\.html$", status=503)
    status, _, body = request(server, "/a/1.html")
    assert (status, body) == (503, GBK_PAGE)
    assert server.requests[-1].fault


def test_status_fault_without_fixture_has_empty_body_and_is_no_miss(
    server: ReplayServer,
) -> None:
    server.add_fault(r"/ghost", status=502)
    status, headers, body = request(server, "/ghost")
    assert (status, body) == (502, b"")
    assert "X-Replay-Miss" not in headers
    assert server.misses == []


def test_delay_fault_makes_a_client_time_out(server: ReplayServer) -> None:
    server.add_fault(r"1\.html", delay=2.0)
    with pytest.raises(TimeoutError):
        request(server, "/a/1.html", timeout=0.3)
    started = time.monotonic()
    status, _, body = request(server, "/a/1.html")
    assert time.monotonic() - started >= 1.9
    assert (status, body) == (200, GBK_PAGE)


def test_truncate_fault_cuts_body_after_declaring_full_length(server: ReplayServer) -> None:
    server.add_fault(r"1\.html", truncate=10)
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        conn.request("GET", "/a/1.html", headers={"Host": HOST})
        response = conn.getresponse()
        assert response.headers["Content-Length"] == str(len(GBK_PAGE))
        with pytest.raises(http.client.IncompleteRead) as info:
            response.read()
    finally:
        conn.close()
    assert info.value.partial == GBK_PAGE[:10]


def test_charset_fault_relabels_without_touching_bytes(server: ReplayServer) -> None:
    server.add_fault(r"gbk\.html", charset="utf-8")
    server.add_fault(r"1\.html", charset="gb2312")
    _, headers, body = request(server, "/gbk.html")
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert body == GBK_PAGE
    _, headers, body = request(server, "/a/1.html")
    assert headers["Content-Type"] == "text/html; charset=gb2312"
    assert body == GBK_PAGE


def test_times_limits_fault_then_normal_service(server: ReplayServer) -> None:
    server.add_fault(r"1\.html", status=503, times=2)
    statuses = [request(server, "/a/1.html")[0] for _ in range(4)]
    assert statuses == [503, 503, 200, 200]
    assert [e.fault for e in server.requests] == [True, True, False, False]


def test_first_live_fault_wins_in_order_added(server: ReplayServer) -> None:
    server.add_fault(r"1\.html", status=503, times=1)
    server.add_fault(r"1\.html", status=429)
    assert [request(server, "/a/1.html")[0] for _ in range(3)] == [503, 429, 429]


def test_fault_host_and_query_matching(server: ReplayServer) -> None:
    server.add_fault(r"page=2", status=500, host="www.example-news.cn")
    assert request(server, "/list?page=2&cat=a/b")[0] == 500
    assert request(server, "/list?page=2&cat=a/b", host="other.cn")[0] == 404
    assert request(server, "/a/1.html")[0] == 200


def test_clear_faults(server: ReplayServer) -> None:
    server.add_fault(r".", status=500)
    assert request(server, "/a/1.html")[0] == 500
    assert server.clear_faults() == 1
    assert request(server, "/a/1.html")[0] == 200


@pytest.mark.parametrize(
    "kwargs",
    [{}, {"status": 99}, {"delay": -1}, {"truncate": -5}, {"times": 0}, {"charset": "a b"}],
)
def test_bad_faults_are_refused(server: ReplayServer, kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="fault"):
        server.add_fault(r".", **kwargs)  # type: ignore[arg-type]


def test_bad_fault_regex_is_refused(server: ReplayServer) -> None:
    with pytest.raises(ValueError, match="pattern"):
        server.add_fault(r"(", status=500)


def test_stop_does_not_wait_for_a_delayed_request(web: Path) -> None:
    srv = ReplayServer(web).start()
    srv.add_fault(r".", delay=30)
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=10)
    conn.request("GET", "/a/1.html", headers={"Host": HOST})
    time.sleep(0.2)
    started = time.monotonic()
    srv.stop()
    assert time.monotonic() - started < 5
    with pytest.raises((http.client.HTTPException, OSError)):
        conn.getresponse().read()
    conn.close()


# --- control endpoints over HTTP -------------------------------------------------------


def control(
    server: ReplayServer, method: str, path: str, payload: object = None
) -> tuple[int, dict[str, object]]:
    body = None if payload is None else json.dumps(payload).encode()
    status, _, raw = request(server, path, host="127.0.0.1", method=method, body=body)
    return status, json.loads(raw)


def test_control_endpoints_add_list_clear_faults(server: ReplayServer) -> None:
    status, reply = control(
        server, "POST", "/__replay__/faults", {"pattern": r"1\.html", "status": 503, "times": 1}
    )
    assert status == 201
    assert reply["fault"]["status"] == 503  # type: ignore[index]
    assert control(server, "GET", "/__replay__/faults")[1]["faults"][0]["pattern"] == r"1\.html"  # type: ignore[index]

    assert [request(server, "/a/1.html")[0] for _ in range(2)] == [503, 200]

    control(server, "POST", "/__replay__/faults", {"pattern": ".", "charset": "big5"})
    assert control(server, "DELETE", "/__replay__/faults") == (200, {"cleared": 2})
    assert server.faults == []
    assert request(server, "/gbk.html")[1]["Content-Type"] == "text/html; charset=GBK"


def test_control_fault_over_http_truncates(server: ReplayServer) -> None:
    control(server, "POST", "/__replay__/faults", {"pattern": "gbk", "truncate": 5})
    with pytest.raises(http.client.IncompleteRead):
        request(server, "/gbk.html")


@pytest.mark.parametrize(
    "payload",
    [{"status": 500}, {"pattern": ".", "status": "x"}, {"pattern": ".", "bogus": 1}, [1]],
)
def test_control_rejects_bad_fault_json(server: ReplayServer, payload: object) -> None:
    status, reply = control(server, "POST", "/__replay__/faults", payload)
    assert status == 400
    assert "error" in reply
    assert server.faults == []


def test_control_request_log_over_http(server: ReplayServer) -> None:
    request(server, "/a/1.html")
    request(server, "/missing.html", method="POST", body=b"q=1")
    status, reply = control(server, "GET", "/__replay__/requests")
    assert status == 200
    entries = reply["requests"]
    assert [(e["method"], e["host"], e["path"], e["status"]) for e in entries] == [  # type: ignore[index,union-attr]
        ("GET", HOST, "/a/1.html", 200),
        ("POST", HOST, "/missing.html", 404),
    ]
    assert reply["misses"] == 1
    assert control(server, "DELETE", "/__replay__/requests")[0] == 200
    assert server.requests == []


def test_real_hosts_never_reach_control_endpoints(server: ReplayServer) -> None:
    status, headers, _ = request(server, "/__replay__/requests")
    assert status == 404
    assert headers["X-Replay-Miss"] == "1"
    status, _, _ = request(
        server, "/__replay__/faults", method="POST", body=b'{"pattern": ".", "status": 500}'
    )
    assert status == 404
    assert server.faults == []
    assert request(server, "/a/1.html")[0] == 200


def test_unknown_control_endpoint_is_404(server: ReplayServer) -> None:
    assert control(server, "GET", "/__replay__/nothing")[0] == 404


# --- command line ----------------------------------------------------------------------


def test_cli_prints_url_serves_and_stops_on_sigterm(web: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "yuqing_spiders.replay.server", "--fixtures", str(web)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        match = re.fullmatch(r"replay listening on (http://127\.0\.0\.1:(\d+))\n", line)
        assert match, line
        conn = http.client.HTTPConnection("127.0.0.1", int(match.group(2)), timeout=5)
        conn.request("GET", "/a/1.html", headers={"Host": HOST})
        response = conn.getresponse()
        assert (response.status, response.read()) == (200, GBK_PAGE)
        conn.close()
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0
    assert out == ""  # the URL line is the only stdout output
