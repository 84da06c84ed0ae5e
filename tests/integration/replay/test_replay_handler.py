"""ReplayDownloadHandler in a real Scrapy crawl against a real replay server.

The crawl runs in a subprocess (a Twisted reactor cannot be restarted inside pytest);
the replay server runs in this process so the test can read its request log.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from yuqing_spiders.replay.handler import ReplayDownloadHandler, parse_replay_url
from yuqing_spiders.replay.server import ReplayServer

REPO = Path(__file__).resolve().parents[3]
HOST = "www.example-news.cn"
GBK_PAGE = '<html><head><meta charset="gbk"></head><body>南昌新闻一则</body></html>'.encode("gbk")
PAGE_2 = b"<html><body>page two</body></html>"
SEARCH_JSON = b'{"results": [{"title": "nanchang"}]}'
CUT_PAGE = b"<html>" + b"x" * 5000 + b"</html>"

# A tiny spider: one request per case, every response or failure written as JSON.
CRAWL_SCRIPT = r"""
import json
import sys

import scrapy
from scrapy.crawler import CrawlerProcess

replay_url, out_path = sys.argv[1], sys.argv[2]
HOST = "www.example-news.cn"
HANDLER = "yuqing_spiders.replay.handler.ReplayDownloadHandler"


class ProbeSpider(scrapy.Spider):
    name = "probe"

    async def start(self):
        self.results = []
        cases = [
            ("plain", scrapy.Request(f"http://{HOST}/a/1.html")),
            ("https", scrapy.Request(f"https://{HOST}/a/1.html#comments")),
            ("redirect", scrapy.Request(f"http://{HOST}/old.html")),
            ("post", scrapy.FormRequest(
                "http://search.example-news.cn/api/search?type=news",
                formdata={"keyword": "南昌"},
            )),
            ("missing", scrapy.Request(
                f"http://{HOST}/missing.html", meta={"handle_httpstatus_all": True}
            )),
            ("truncated", scrapy.Request(f"http://{HOST}/cut.html")),
        ]
        for case, request in cases:
            request.meta["case"] = case
            yield request.replace(callback=self.parse, errback=self.failed)

    def parse(self, response):
        self.results.append({
            "case": response.meta["case"],
            "url": response.url,
            "request_url": response.request.url,
            "status": response.status,
            "body": response.body.hex(),
            "text": response.text if hasattr(response, "text") else None,
            "redirect_urls": response.meta.get("redirect_urls"),
            "content_type": response.headers.get("Content-Type", b"").decode(),
        })

    def failed(self, failure):
        self.results.append({
            "case": failure.request.meta["case"],
            "url": failure.request.url,
            "error": failure.type.__name__,
            "message": str(failure.value),
        })

    def closed(self, reason):
        stats = self.crawler.stats
        with open(out_path, "w", encoding="utf-8") as out:
            json.dump({
                "results": self.results,
                "replay_requests": stats.get_value("replay/requests"),
                "replay_misses": stats.get_value("replay/misses"),
            }, out)


settings = {
    "DOWNLOAD_HANDLERS": {"http": HANDLER, "https": HANDLER},
    "RETRY_ENABLED": False,
    "ROBOTSTXT_OBEY": False,
    "TELNETCONSOLE_ENABLED": False,
    "DOWNLOAD_TIMEOUT": 10,
    "LOG_LEVEL": "INFO",
}
if replay_url:
    settings["YUQING_REPLAY_URL"] = replay_url
process = CrawlerProcess(settings)
process.crawl(ProbeSpider)
process.start()
"""


def write(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReplayServer]:
    root = tmp_path_factory.mktemp("replay") / "web"
    site = root / HOST
    write(site / "a" / "1.html", GBK_PAGE)
    write(site / "a" / "2.html", PAGE_2)
    write(
        site / "old.html.meta.json",
        json.dumps({"status": 301, "headers": {"Location": f"http://{HOST}/a/2.html"}}),
    )
    write(site / "cut.html", CUT_PAGE)
    write(root / "search.example-news.cn" / "api" / "search@type=news", SEARCH_JSON)
    write(
        root / "search.example-news.cn" / "api" / "search@type=news.meta.json",
        json.dumps({"status": 200, "headers": {"Content-Type": "application/json"}}),
    )
    with ReplayServer(root) as srv:
        srv.add_fault(r"^/cut\.html$", truncate=100)
        yield srv


def run_crawl(tmp_path: Path, replay_url: str) -> dict[str, Any]:
    script = tmp_path / "crawl.py"
    script.write_text(CRAWL_SCRIPT, encoding="utf-8")
    out = tmp_path / "out.json"
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        # A proxy from the environment would send the crawl to a dead port on this
        # machine; the handler must route to the replay server regardless.
        "http_proxy": "http://127.0.0.1:9",
        "https_proxy": "http://127.0.0.1:9",
        "no_proxy": "",
    }
    env.pop("SCRAPY_SETTINGS_MODULE", None)
    proc = subprocess.run(
        [sys.executable, str(script), replay_url, str(out)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    data = json.loads(out.read_text(encoding="utf-8"))
    data["log"] = proc.stderr
    return data


def by_case(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {result["case"]: result for result in data["results"]}


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory, server: ReplayServer) -> dict[str, Any]:
    # One crawl for the module: the tests below read different parts of its result.
    return run_crawl(tmp_path_factory.mktemp("crawl"), server.url)


def test_spider_sees_real_url_and_fixture_body(crawl: dict[str, Any]) -> None:
    plain = by_case(crawl)["plain"]
    assert plain["url"] == f"http://{HOST}/a/1.html"
    assert plain["request_url"] == f"http://{HOST}/a/1.html"
    assert plain["status"] == 200
    assert bytes.fromhex(plain["body"]) == GBK_PAGE
    # text/html without charset: Scrapy decodes by the page's <meta charset>.
    assert "南昌新闻一则" in plain["text"]


def test_https_uses_the_same_fixture_and_reports_its_scheme(
    crawl: dict[str, Any], server: ReplayServer
) -> None:
    https = by_case(crawl)["https"]
    assert https["url"] == f"https://{HOST}/a/1.html"
    assert bytes.fromhex(https["body"]) == GBK_PAGE
    served = [(e.scheme, e.host, e.path) for e in server.requests if e.path == "/a/1.html"]
    assert sorted(served) == [("http", HOST, "/a/1.html"), ("https", HOST, "/a/1.html")]


def test_fixture_redirect_goes_through_redirect_middleware(crawl: dict[str, Any]) -> None:
    redirect = by_case(crawl)["redirect"]
    assert redirect["url"] == f"http://{HOST}/a/2.html"
    assert redirect["redirect_urls"] == [f"http://{HOST}/old.html"]
    assert bytes.fromhex(redirect["body"]) == PAGE_2


def test_post_keeps_method_body_path_and_query(crawl: dict[str, Any], server: ReplayServer) -> None:
    post = by_case(crawl)["post"]
    assert post["url"] == "http://search.example-news.cn/api/search?type=news"
    assert bytes.fromhex(post["body"]) == SEARCH_JSON
    [entry] = [e for e in server.requests if e.method == "POST"]
    assert (entry.host, entry.path, entry.status) == (
        "search.example-news.cn",
        "/api/search?type=news",
        200,
    )
    assert entry.body == "keyword=%E5%8D%97%E6%98%8C"


def test_missing_fixture_is_a_404_with_real_url_and_counted(crawl: dict[str, Any]) -> None:
    missing = by_case(crawl)["missing"]
    assert (missing["url"], missing["status"]) == (f"http://{HOST}/missing.html", 404)
    assert crawl["replay_misses"] == 1


def test_truncated_body_fails_with_data_loss_on_the_real_request(
    crawl: dict[str, Any],
) -> None:
    truncated = by_case(crawl)["truncated"]
    assert truncated["url"] == f"http://{HOST}/cut.html"
    assert truncated["error"] == "ResponseDataLossError"


def test_every_download_went_to_the_replay_server(
    crawl: dict[str, Any], server: ReplayServer
) -> None:
    # plain, https, redirect (2 downloads), post, missing, truncated
    assert crawl["replay_requests"] == 7
    assert len(server.requests) == 7
    assert {e.host for e in server.requests} == {HOST, "search.example-news.cn"}


def test_crawl_without_replay_url_refuses_to_download(tmp_path: Path) -> None:
    data = run_crawl(tmp_path, "")
    results = by_case(data)
    assert set(results) == {"plain", "https", "redirect", "post", "missing", "truncated"}
    for result in results.values():
        assert result["error"] == "NotSupported"
        assert "YUQING_REPLAY_URL" in result["message"]
    assert "YUQING_REPLAY_URL" in data["log"]
    assert data["replay_requests"] is None


def test_handler_raises_not_configured_without_setting() -> None:
    crawler = get_crawler(settings_dict={"YUQING_REPLAY_URL": None})
    with pytest.raises(NotConfigured, match="YUQING_REPLAY_URL"):
        ReplayDownloadHandler(crawler)


@pytest.mark.parametrize(
    "value",
    ["127.0.0.1:8123", "https://127.0.0.1:8123", "http://127.0.0.1", "http://127.0.0.1:1/x"],
)
def test_bad_replay_url_is_refused(value: str) -> None:
    with pytest.raises(NotConfigured, match="YUQING_REPLAY_URL"):
        parse_replay_url(value)


def test_replay_url_is_normalised() -> None:
    assert parse_replay_url(" http://127.0.0.1:8123/ ") == "http://127.0.0.1:8123"
