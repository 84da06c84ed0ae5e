"""Real HTTP downloads: empty 200 pages are retried and never parsed; redirects and
meta refreshes off the site, or to link-local addresses, are refused.

Issue 12 items 7 and 8. The crawl uses Scrapy's own HTTP/1.1 download handler (not
the replay handler, which sets `response.request` early and hid item 7) against a
small HTTP server on 127.0.0.1 in this process, with the project's safe-fetch and
bad-response middlewares and its DNS resolver. The pages model what sites do: a CMS
that renders nothing (0 bytes, or only whitespace), a 302 and a meta refresh to
another host, a 302 to the cloud metadata address.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[3]
ARTICLE = ("<html><body><h1>南昌</h1><p>" + "正文" * 100 + "</p></body></html>").encode()
PAGES: dict[str, tuple[int, dict[str, str], bytes]] = {
    "/ok": (200, {"Content-Type": "text/html; charset=utf-8"}, ARTICLE),
    "/empty": (200, {"Content-Type": "text/html"}, b""),
    "/blank": (200, {"Content-Type": "text/html"}, b"  \n\t \n"),
    "/away": (302, {"Location": "http://evil.example.net/steal"}, b""),
    "/metadata": (302, {"Location": "http://169.254.169.254/latest/meta-data/"}, b""),
    "/refresh": (
        200,
        {"Content-Type": "text/html"},
        b'<html><head><meta http-equiv="refresh" content="0;url=http://evil.example.net/r">'
        b"</head><body>" + b"x" * 100 + b"</body></html>",
    ),
    "/moved": (301, {"Location": "/ok?moved=1"}, b""),
}

CRAWL_SCRIPT = r"""
import json, sys
import scrapy
from scrapy.crawler import CrawlerProcess

base, out_path = sys.argv[1], sys.argv[2]
CASES = ["ok", "empty", "blank", "away", "metadata", "refresh", "moved"]

class Probe(scrapy.Spider):
    name = "probe"
    async def start(self):
        for case in CASES:
            yield scrapy.Request(f"{base}/{case}", callback=self.parse, meta={"case": case})
    def parse(self, response):
        self.crawler.stats.inc_value("parsed/" + response.meta["case"])
    def closed(self, reason):
        with open(out_path, "w") as out:
            json.dump(self.crawler.stats.get_stats(), out, default=str)

process = CrawlerProcess({
    "DOWNLOADER_MIDDLEWARES": {
        "middlewares.safe_fetch.SafeFetchMiddleware": 40,
        "middlewares.bad_response.BadResponseMiddleware": 560,
    },
    "DNS_RESOLVER": "yuqing_spiders.fetch.addresses.SafeResolver",
    "YUQING_FETCH_ALLOW_LOOPBACK": True,
    "BAD_RESPONSE_MIN_BYTES": 64,
    "RETRY_TIMES": 1,
    "TELNETCONSOLE_ENABLED": False,
    "ROBOTSTXT_OBEY": False,
    "DOWNLOAD_TIMEOUT": 10,
    "LOG_LEVEL": "INFO",
})
process.crawl(Probe)
process.start()
"""


class Handler(BaseHTTPRequestHandler):
    seen: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        path = self.path.split("?", 1)[0]
        Handler.seen.append(f"{self.headers.get('Host')}{self.path}")
        status, headers, body = PAGES.get(path, (404, {}, b"not found"))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def stats(server: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("crawl")
    script, out = tmp / "crawl.py", tmp / "stats.json"
    script.write_text(CRAWL_SCRIPT, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(REPO), "no_proxy": "*"}
    for name in (
        "http_proxy",
        "https_proxy",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "SCRAPY_SETTINGS_MODULE",
    ):
        env.pop(name, None)
    proc = subprocess.run(
        [sys.executable, str(script), server, str(out)],
        cwd=tmp,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(out.read_text())


def test_empty_and_blank_pages_are_retried_then_given_up_never_parsed(stats):
    assert stats.get("parsed/ok") == 1
    assert "parsed/empty" not in stats
    assert "parsed/blank" not in stats
    assert stats["bad_response/empty"] == 4  # two pages, each fetched twice (RETRY_TIMES 1)
    assert stats["bad_response/gave_up/empty"] == 2


def test_off_site_redirects_and_meta_refresh_are_refused(stats):
    assert stats["safe_fetch/refused/offsite_redirect"] == 2  # the 302 and the refresh
    assert stats["safe_fetch/refused/link_local"] == 1
    assert not any("evil.example.net" in s or "169.254" in s for s in Handler.seen)
    assert "parsed/away" not in stats
    assert "parsed/metadata" not in stats


def test_a_redirect_on_the_same_site_is_followed(stats):
    assert stats.get("parsed/moved") == 1
