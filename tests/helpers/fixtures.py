"""Build Scrapy responses from the recorded-page fixtures (tests/fixtures/web layout).

The layout is the replay site's (yuqing_spiders/replay/record.py), so a page used
by a parser test is the same file the replay server serves to a crawl.
"""

from __future__ import annotations

from pathlib import Path

from scrapy.http import HtmlResponse

from tests.helpers.paths import FIXTURES_GENERIC, FIXTURES_WEB
from yuqing_spiders.extract.kit.payload import load_json
from yuqing_spiders.replay.record import fixture_path, load_sidecar, operation_path

WEB_ROOT = FIXTURES_WEB
GENERIC_ROOT = FIXTURES_GENERIC


def response_from_fixture(
    url: str, root: Path = WEB_ROOT, *, operation: str | None = None
) -> HtmlResponse:
    """The fixture for `url` as Scrapy would receive it: body bytes plus sidecar
    status/headers (with `operation`, that GraphQL operation's, as the replay site
    answers a POST naming it)."""
    body_path = fixture_path(root, url)
    if operation is not None:
        body_path = operation_path(body_path, operation)
    sidecar = load_sidecar(body_path) or {}
    status = sidecar.get("status", 200)
    headers = sidecar.get("headers", {})
    assert isinstance(status, int)
    assert isinstance(headers, dict)
    return HtmlResponse(url=url, body=body_path.read_bytes(), status=status, headers=headers)


def fixture_urls(root: Path, pattern: str = "**/*.html", *, queries: bool = False) -> list[str]:
    """The http URL of every fixture body under `root` matching `pattern`; pages
    recorded with a query (`PATH@QUERY`) only when `queries` is set."""
    urls = []
    for path in sorted(root.glob(pattern)):
        if path.is_dir() or path.name.endswith(".meta.json") or path.name == "README.md":
            continue
        if "@" in path.name and not queries:
            continue
        host, *rest = path.relative_to(root).parts
        urls.append(f"http://{host}/{'/'.join(rest).replace('@', '?', 1)}")
    return urls


def json_from_fixture(url: str) -> dict:
    """The JSON answer recorded for `url`, read as the parsers read API answers."""
    return load_json(response_from_fixture(url).text)
