"""Cookie and proxy pools on the real Redis, and the ban rules (pure).

Each test uses its own key prefix, as two workers of one cluster share theirs.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from pathlib import Path

import pytest
import redis
from scrapy import Request
from scrapy.http import HtmlResponse, TextResponse

from yuqing_spiders.fetch.bans import BAN, CAPTCHA, LOGIN, rule_for, rules_from_settings, verdict
from yuqing_spiders.fetch.proxies import ProxyPool, redact_proxy, site_of
from yuqing_spiders.fetch.sessions import (
    VISITOR,
    CookiePool,
    configured_cookies,
    read_cookie_file,
    session_id,
)

COOKIE_A = "SUB=_2A25login-account-a; SUBP=0033account-a; SCF=aa"
COOKIE_B = "SUB=_2A25login-account-b; SUBP=0033account-b; SCF=bb"


@pytest.fixture
def pool(redis_client: redis.Redis, key_prefix: str) -> CookiePool:
    return CookiePool(redis_client, "weibo", prefix=f"{key_prefix}:cookies")


def test_login_sessions_rotate_least_recently_used(pool: CookiePool) -> None:
    ids = pool.load([("weibo/a.txt#1", COOKIE_A), ("weibo/b.txt#1", COOKIE_B)])
    assert ids == [session_id(COOKIE_A), session_id(COOKIE_B)]
    assert pool.load([("again", COOKIE_A)]) == [ids[0]]  # the same cookie: the same session
    picks = [pool.acquire() for _ in range(4)]
    # Least recently used first: the two alternate (which one starts is arbitrary).
    assert {picks[0].id, picks[1].id} == set(ids)
    assert [p.id for p in picks[2:]] == [picks[0].id, picks[1].id]
    assert {p.cookie for p in picks} == {COOKIE_A, COOKIE_B}
    assert all(p.kind == "login" for p in picks)
    assert "SUB=" not in repr(picks[0])  # a session printed by accident shows no secret
    assert pool.count() == 2
    assert pool.count("login") == 2


def test_banned_session_cools_down_for_every_worker(
    pool: CookiePool, redis_client: redis.Redis, key_prefix: str
) -> None:
    first, second = pool.load([("a", COOKIE_A), ("b", COOKIE_B)])
    pool.cool_down(first, "ban", 600)
    other_worker = CookiePool(redis_client, "weibo", prefix=f"{key_prefix}:cookies")
    assert [other_worker.acquire().id for _ in range(3)] == [second] * 3
    ttl = redis_client.ttl(f"{key_prefix}:cookies:weibo:cooldown:{first}")
    assert 0 < ttl <= 600
    meta = redis_client.hgetall(f"{key_prefix}:cookies:weibo:meta:{first}")
    assert (meta[b"bans"], meta[b"last_ban"].split()[1]) == (b"1", b"ban")
    pool.cool_down(second, "captcha", 600)
    assert pool.acquire() is None
    redis_client.delete(f"{key_prefix}:cookies:weibo:cooldown:{first}")  # the TTL ran out
    assert pool.acquire().id == first


def test_expired_login_is_recorded_for_the_health_alert(
    pool: CookiePool, redis_client: redis.Redis, key_prefix: str
) -> None:
    first, second = pool.load(
        [("weibo/a.txt#1", COOKIE_A), ("env:YUQING_COOKIES_WEIBO#1", COOKIE_B)]
    )
    assert pool.expire(first, "login wall") is True
    assert pool.expire(first, "login wall") is False  # recorded once
    record = pool.expired()[first]
    assert (record["reason"], record["kind"], record["origin"]) == (
        "login wall",
        "login",
        "weibo/a.txt#1",
    )
    assert record["since"].endswith("+00:00")
    raw = redis_client.hget(f"{key_prefix}:cookies:weibo:expired", first)
    # The contract the crawl-health check reads: id -> epoch (docs/operations.md).
    assert abs(int(raw) - time.time()) < 600
    assert COOKIE_A.encode() not in raw
    assert redis_client.hget(f"{key_prefix}:cookies:weibo:values", first) is None
    assert [pool.acquire().id for _ in range(2)] == [second, second]
    assert pool.load([("weibo/a.txt#1", COOKIE_A)]) == []  # not revived by a reload
    assert pool.login_ids() == [second]


def test_visitor_sessions_are_new_each_time_and_age_out(pool: CookiePool) -> None:
    first = pool.add("SUB=v; SUBP=v", kind=VISITOR, origin="visitor handshake", ttl=3600)
    again = pool.add("SUB=v; SUBP=v", kind=VISITOR, origin="visitor handshake", ttl=3600)
    assert first != again  # handed out twice: two sessions, one may cool without the other
    pool.cool_down(first, "ban", 600)
    assert pool.acquire(("login", "visitor")).id == again
    assert pool.acquire(("login",)) is None  # login-only hosts never get a visitor
    aged = pool.add("SUB=old; SUBP=old", kind=VISITOR, ttl=3600)
    assert aged
    pool.client.hset(f"{pool.key}:meta:{aged}", "expires_at", 1)  # its lifetime is over
    pool.drop(again)
    assert pool.acquire((VISITOR,)) is None  # the aged one was removed on the way
    assert pool.count(VISITOR) == 1  # only the cooling one is left


def test_acquire_is_atomic_across_threads(pool: CookiePool) -> None:
    pool.load([(f"c{n}", f"SUB=s{n}") for n in range(6)])
    picked: list[str] = []

    def take() -> None:
        session = pool.acquire()
        assert session is not None
        picked.append(session.id)

    threads = [threading.Thread(target=take) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(picked)) == 6  # six concurrent takers, six different sessions


def test_forced_session(pool: CookiePool) -> None:
    first, second = pool.load([("a", COOKIE_A), ("b", COOKIE_B)])
    assert pool.acquire(only=second).id == second
    pool.cool_down(second, "ban", 60)
    assert pool.acquire(only=second) is None


def test_cookies_from_files_and_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "weibo"
    folder.mkdir()
    (folder / "accounts.txt").write_text(f"# two accounts\n{COOKIE_A}\n\n{COOKIE_B}\n")
    export = [
        {"name": "SUB", "value": "_2A25json", "domain": ".weibo.cn"},
        {"name": "SUBP", "value": "0033j"},
    ]
    (folder / "browser.json").write_text(json.dumps(export))
    (folder / "broken.json").write_text("{not json")
    (folder / "notes.md").write_text(COOKIE_A)
    monkeypatch.setenv("YUQING_COOKIES_WEIBO", "SUB=env1\nSUB=env2\n")
    found = configured_cookies("weibo", tmp_path)
    assert found == [
        ("weibo/accounts.txt#1", COOKIE_A),
        ("weibo/accounts.txt#2", COOKIE_B),
        ("weibo/browser.json#1", "SUB=_2A25json; SUBP=0033j"),
        ("env:YUQING_COOKIES_WEIBO#1", "SUB=env1"),
        ("env:YUQING_COOKIES_WEIBO#2", "SUB=env2"),
    ]
    assert read_cookie_file(folder / "broken.json") == []
    assert configured_cookies("tieba", None) == []


# --- proxies ---------------------------------------------------------------------------------


def test_proxy_redaction_and_sites() -> None:
    assert redact_proxy("http://alice:s3cret@10.0.0.5:3128") == "http://***@10.0.0.5:3128"
    assert redact_proxy("http://10.0.0.5:3128") == "http://10.0.0.5:3128"
    assert site_of("m.weibo.cn") == site_of("s.weibo.cn") == "weibo.cn"
    assert site_of("www.nc.gov.cn") == "nc.gov.cn"
    assert site_of("127.0.0.1") == "127.0.0.1"


def test_proxy_ban_is_per_site(redis_client: redis.Redis, key_prefix: str) -> None:
    urls = ["http://u1:p1@127.0.0.1:3001", "http://u2:p2@127.0.0.1:3002"]
    proxies = ProxyPool(redis_client, urls, prefix=f"{key_prefix}:proxies")
    first = proxies.acquire("weibo.cn")
    second = proxies.acquire("weibo.cn")
    assert {first.id, second.id} == set(proxies.proxies)  # rotation
    proxies.ban(first.id, "weibo.cn", "ban", 900)
    assert {proxies.acquire("weibo.cn").id for _ in range(3)} == {second.id}
    assert first.id in {proxies.acquire("baidu.com").id for _ in range(2)}  # other sites: fine
    assert 0 < proxies.ban_ttl(first.id, "weibo.cn") <= 900
    proxies.ban(second.id, "weibo.cn", "ban", 900)
    assert proxies.acquire("weibo.cn") is None
    keys = b" ".join(redis_client.keys(f"{key_prefix}:proxies*"))
    assert b"p1" not in keys
    assert b"u1" not in keys
    assert "p1" not in repr(first)


# --- ban rules -------------------------------------------------------------------------------

RULES = rules_from_settings(
    {
        "weibo": {
            "hosts": ["m.weibo.cn", "s.weibo.com"],
            "statuses": [432, 418],
            "captcha_patterns": [r"passport\.weibo\.com/visitor/visitor", r"geetest"],
            "login_patterns": [r"passport\.weibo\.com/sso/signin", r'^\s*\{\s*"ok"\s*:\s*-100'],
        },
        "sogou": {"hosts": ["weixin.sogou.com"], "captcha_patterns": [r"/antispider/"]},
    }
)


def response(url: str, status: int = 200, body: str = "", **headers: str) -> TextResponse:
    return HtmlResponse(
        url,
        status=status,
        body=body.encode("gbk"),
        headers=headers,
        encoding="gbk",
        request=Request(url),
    )


PC = "https://s.weibo.com/weibo?q=x"
API = "https://m.weibo.cn/api/config"
SIGNIN = "https://passport.weibo.com/sso/signin"
VISITOR_CHECK = "https://passport.weibo.com/visitor/visitor?entry=miniblog"


@pytest.mark.parametrize(
    ("url", "status", "body", "headers", "expected"),
    [
        # Fact: m.weibo.cn's WAF answers HTTP 432 to a refused session.
        ("https://m.weibo.cn/api/container/getIndex?x=1", 432, "", {}, BAN),
        ("https://m.weibo.cn/api/container/getIndex?x=1", 418, "", {}, BAN),
        # A login wall: redirect to passport's sign-in; JSON {"ok":-100,"url":...}.
        (PC, 302, "", {"Location": SIGNIN + "?entry=miniblog"}, LOGIN),
        (API, 200, '{"ok":-100,"url":"' + SIGNIN + '"}', {}, LOGIN),
        # The visitor system's check page (redirect) and a geetest slider: a captcha.
        (PC, 302, "", {"Location": VISITOR_CHECK}, CAPTCHA),
        (PC, 200, '<div class="geetest_holder"></div>', {}, CAPTCHA),
        # Fact: Sogou sends blocked clients to a URL containing "antispider".
        ("https://weixin.sogou.com/weixin?query=x", 302, "",
         {"Location": "http://weixin.sogou.com/antispider/?from=x"}, CAPTCHA),
        # Normal answers, an ordinary redirect, and a post that merely mentions -100.
        (API, 200, '{"ok":1,"data":{"login":true}}', {}, None),
        (PC, 301, "", {"Location": "https://s.weibo.com/weibo?q=y"}, None),
        ("https://m.weibo.cn/detail/1", 200, '<p>余额 {"ok": -100} 哈</p>', {}, None),
    ],
)  # fmt: skip
def test_ban_verdicts(
    url: str, status: int, body: str, headers: dict, expected: str | None
) -> None:
    from urllib.parse import urlsplit

    rule = rule_for(RULES, urlsplit(url).hostname or "")
    assert rule is not None
    assert verdict(rule, response(url, status, body, **headers)) == expected


def test_rules_cover_only_their_hosts(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    assert rule_for(RULES, "weibo.com") is None  # the anonymous hot list is not a session host
    assert rule_for(RULES, "xm.weibo.cn") is None
    assert rule_for(RULES, "www.people.com.cn") is None
    assert rule_for(RULES, "www.people.com.cn", platform="sogou").platform == "sogou"
