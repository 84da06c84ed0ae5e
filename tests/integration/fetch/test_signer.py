"""The signing pages in Debian's chromium: lazy start, warm reuse, restart, idle close.

The replay site serves Douyin's home page and the stand-in signing script
(tests/fixtures/web/README.md, Douyin: NOT the real algorithm — a deterministic token
with the call shape public crawlers used). What is checked is the machinery of
yuqing_spiders/fetch/signer.py, against a real chromium and the real replay server.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

import settings as project
from spiders.douyin import settings as douyin_settings
from tests.helpers.paths import FIXTURES_WEB
from yuqing_spiders.fetch.signer import PageSigner, SignerError, SigningPage
from yuqing_spiders.replay.server import ReplayServer

pytestmark = pytest.mark.slow

DOUYIN = SigningPage(
    "douyin",
    douyin_settings.DOUYIN_SIGN_PAGE,
    douyin_settings.DOUYIN_SIGN_READY,
    douyin_settings.DOUYIN_SIGN_CALL,
)
ARG = {"params": "keyword=%E5%8D%97%E6%98%8C&offset=0", "body": "", "ua": "UA/1.0"}


class Stats:
    def __init__(self) -> None:
        self.values: dict[str, int] = {}

    def inc_value(self, key: str, count: int = 1) -> None:
        self.values[key] = self.values.get(key, 0) + count


def signer(site: ReplayServer, stats: Stats, idle: float = 60.0) -> PageSigner:
    return PageSigner(
        launch_options=project.PLAYWRIGHT_LAUNCH_OPTIONS,
        replay_url=site.url,
        idle_close=idle,
        timeout=15,
        stats=lambda: stats,  # type: ignore[arg-type,return-value]
    )


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def test_starts_on_demand_and_reuses_one_warm_page() -> None:
    stats = Stats()

    async def scenario(site: ReplayServer) -> tuple[bool, list[Any]]:
        made = signer(site, stats)
        before = made.running
        tokens = [await made.sign(DOUYIN, ARG), await made.sign(DOUYIN, {**ARG, "ua": "UA/2"})]
        await made.close()
        return before, tokens

    with ReplayServer(FIXTURES_WEB) as site:
        before, tokens = run(scenario(site))
        pages = [r.path for r in site.requests if r.host == "www.douyin.com"]
    assert before is False  # nothing launched by building it
    assert all(str(t).startswith("STANDIN") for t in tokens)
    assert tokens[0] != tokens[1]  # the User-Agent is part of what is signed
    assert pages == ["/"]  # one page load for both signatures
    assert stats.values["signer/douyin/signed"] == 2
    assert stats.values["signer/douyin/pages_opened"] == 1
    assert stats.values["signer/browser_launched"] == 1


def test_a_dead_page_is_reopened_once() -> None:
    stats = Stats()

    async def scenario(site: ReplayServer) -> Any:
        made = signer(site, stats)
        first = await made.sign(DOUYIN, ARG)
        # The site's script broke inside the warm page (it re-ran, it was swapped).
        await made._pages["douyin"].evaluate("() => { delete window.bdms; }")
        again = await made.sign(DOUYIN, ARG)
        await made.close()
        return first, again

    with ReplayServer(FIXTURES_WEB) as site:
        first, again = run(scenario(site))
    assert first == again
    assert stats.values["signer/douyin/failed"] == 1
    assert stats.values["signer/douyin/restarted"] == 1
    assert stats.values["signer/douyin/pages_opened"] == 2


def test_a_closed_page_is_simply_opened_again() -> None:
    stats = Stats()

    async def scenario(site: ReplayServer) -> None:
        made = signer(site, stats)
        await made.sign(DOUYIN, ARG)
        await made._pages["douyin"].close()
        await made.sign(DOUYIN, ARG)
        await made.close()

    with ReplayServer(FIXTURES_WEB) as site:
        run(scenario(site))
    assert "signer/douyin/failed" not in stats.values
    assert stats.values["signer/douyin/pages_opened"] == 2


def test_a_missing_signing_script_fails_loudly_never_unsigned() -> None:
    stats = Stats()
    broken = SigningPage("douyin", DOUYIN.url, DOUYIN.ready, "(a) => window.nope.sign(a)")

    async def scenario(site: ReplayServer) -> None:
        made = signer(site, stats)
        try:
            await made.sign(broken, ARG)
        finally:
            await made.close()

    with ReplayServer(FIXTURES_WEB) as site, pytest.raises(SignerError):
        run(scenario(site))
    assert stats.values["signer/douyin/failed"] == 2
    assert "signer/douyin/signed" not in stats.values


def test_the_browser_closes_when_idle_and_starts_again() -> None:
    stats = Stats()

    async def scenario(site: ReplayServer) -> tuple[bool, bool, bool]:
        made = signer(site, stats, idle=0.5)
        await made.sign(DOUYIN, ARG)
        running = made.running
        await asyncio.sleep(1.5)
        after_idle = made.running
        await made.sign(DOUYIN, ARG)
        again = made.running
        await made.close()
        return running, after_idle, again

    with ReplayServer(FIXTURES_WEB) as site:
        running, after_idle, again = run(scenario(site))
    assert (running, after_idle, again) == (True, False, True)
    assert stats.values["signer/idle_closed"] == 1
    assert stats.values["signer/browser_launched"] == 2
