"""The proxy pool through real local forward proxies to a local origin (plain HTTP).

Three proxies on 127.0.0.1, each wanting its own credentials: one is down (its port
closed), one is banned by the site (the origin answers 432 to whatever comes through
it, as a WAF does to a banned IP), one works. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import base64
import json
import socket
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import redis
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from middlewares.proxy_pool import ProxyPoolMiddleware
from tests.helpers.cli import yuqing_env
from tests.helpers.paths import REPO

PAGE = (
    "<html><body><h1>南昌地铁运营信息</h1><p>" + "今日各线路运营正常。" * 10 + "</p></body></html>"
)


class Origin(BaseHTTPRequestHandler):
    """The site: bans whatever arrives through proxy "A"."""

    log: list[tuple[str, str, int]]

    def do_GET(self) -> None:
        via = self.headers.get("X-Via-Proxy", "")
        status = 432 if via == "A" else 200
        self.log.append((self.path, via, status))
        body = PAGE.encode() if status == 200 else b""
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *_: Any) -> None:
        pass


def make_proxy(name: str, user: str, password: str, log: list) -> type[BaseHTTPRequestHandler]:
    expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()

    class Proxy(BaseHTTPRequestHandler):
        """A forward proxy: absolute-URI GETs, Basic credentials, marks what it relays."""

        def do_GET(self) -> None:
            authorised = self.headers.get("Proxy-Authorization") == expected
            log.append((name, self.path, authorised))
            if not authorised:
                self.send_response(407)
                self.send_header("Proxy-Authenticate", 'Basic realm="proxy"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            request = urllib.request.Request(self.path, headers={"X-Via-Proxy": name})
            opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
            try:
                with opener.open(request, timeout=5) as answer:
                    status, body = answer.status, answer.read()
            except urllib.error.HTTPError as error:
                status, body = error.code, error.read()
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: Any) -> None:
            pass

    return Proxy


def serve(handler: type[BaseHTTPRequestHandler]) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def network() -> Iterator[dict[str, Any]]:
    origin_log: list = []
    proxy_log: list = []
    Origin.log = origin_log
    servers = [
        serve(Origin),
        serve(make_proxy("A", "alice", "pw-A-s3cret", proxy_log)),
        serve(make_proxy("B", "bob", "pw-B-s3cret", proxy_log)),
    ]
    with socket.socket() as probe:  # a port nothing listens on: the proxy that is down
        probe.bind(("127.0.0.1", 0))
        dead_port = probe.getsockname()[1]
    origin, proxy_a, proxy_b = (s.server_address[1] for s in servers)
    yield {
        "origin": f"http://127.0.0.1:{origin}",
        "proxies": [
            f"http://carol:pw-C-s3cret@127.0.0.1:{dead_port}",
            f"http://alice:pw-A-s3cret@127.0.0.1:{proxy_a}",
            f"http://bob:pw-B-s3cret@127.0.0.1:{proxy_b}",
        ],
        "origin_log": origin_log,
        "proxy_log": proxy_log,
    }
    for server in servers:
        server.shutdown()
        server.server_close()


def test_no_proxies_no_middleware() -> None:
    crawler = get_crawler(settings_dict={"PROXY_POOL_URLS": [], "REDIS_URL": "redis://x"})
    with pytest.raises(NotConfigured):
        ProxyPoolMiddleware.from_crawler(crawler)
    crawler = get_crawler(settings_dict={"PROXY_POOL_URLS": " , "})
    with pytest.raises(NotConfigured):
        ProxyPoolMiddleware.from_crawler(crawler)


@pytest.mark.slow
def test_pool_rotates_skips_a_dead_proxy_and_one_the_site_banned(
    network: dict[str, Any], redis_url: str, key_prefix: str, tmp_path: Path
) -> None:
    out, log = tmp_path / "out.json", tmp_path / "crawl.log"
    settings = {
        "REDIS_URL": redis_url,
        "YUQING_OPS_PREFIX": key_prefix,
        "PROXY_POOL_URLS": network["proxies"],
        "BAN_DETECTION_RULES": {"localsite": {"hosts": ["127.0.0.1"], "statuses": [432]}},
        "BAN_DETECTION_RETRY_DELAY": 0,
        "BAN_DETECTION_MAX_RETRIES": 4,
        "RETRY_TIMES": 3,
        "YUQING_RETRY_BACKOFF_BASE": 0,
        "LOG_FILE": str(log),
        "LOG_LEVEL": "DEBUG",
    }
    count = 6
    done = subprocess.run(
        [
            sys.executable,
            "tests/scripts/proxy_crawl.py",
            network["origin"],
            str(count),
            str(out),
            json.dumps(settings),
        ],
        cwd=REPO,
        env=yuqing_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(out.read_text())
    stats, text = result["stats"], log.read_text()
    # Every page arrived, each through proxy B, the one neither down nor banned.
    assert sorted(result["pages"]) == sorted(
        f"{network['origin']}/item/{n}" for n in range(1, count + 1)
    )
    served = [entry for entry in network["origin_log"] if entry[2] == 200]
    assert len(served) == count
    assert {via for _path, via, _status in served} == {"B"}
    # A was tried, refused by the site (432) and banned for it; then never used again.
    refused = [entry for entry in network["origin_log"] if entry[2] == 432]
    assert refused
    assert {via for _path, via, _status in refused} == {"A"}
    assert stats["ban/localsite/ban"] == len(refused)
    assert stats["proxy_pool/banned"] == len(refused)
    # The dead proxy (connection refused) was kept away after its error.
    assert any(key.startswith("proxy_pool/errors/") for key in stats)
    client = redis.Redis.from_url(redis_url)
    banned = [k.decode() for k in client.scan_iter(f"{key_prefix}:proxies:banned:127.0.0.1:*")]
    assert len(banned) == 2  # A (432) and C (down), for this site only
    assert all(client.ttl(k) > 0 for k in banned)
    # Each proxy got its own credentials as a Proxy-Authorization header.
    assert network["proxy_log"]
    assert all(authorised for _name, _path, authorised in network["proxy_log"])
    # Credentials appear nowhere: not in the log (debug level), not in the stats, not in Redis.
    for secret in ("pw-A-s3cret", "pw-B-s3cret", "pw-C-s3cret", "alice:", "bob:", "carol:"):
        assert secret not in text
        assert secret not in json.dumps(stats)
    keys = b" ".join(client.scan_iter(f"{key_prefix}:*"))
    assert b"s3cret" not in keys
    assert "http://***@127.0.0.1" in text  # the pool names its proxies without credentials
