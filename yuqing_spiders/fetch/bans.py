"""What a ban looks like, per platform: pure rules that judge one response.

A rule (one entry of the `BAN_DETECTION_RULES` setting) names the hosts it covers and
the signs of trouble:

    statuses            HTTP statuses that mean "this session/IP is blocked" (Weibo 432, 418)
    captcha_patterns    body regexes of a captcha or verification page (百度安全验证 ...)
    login_patterns      regexes of a login wall, tried on a redirect's Location, on the
                        final URL and on the body (Weibo JSON {"ok": -100, ...})

A verdict is `ban` (cool the session and proxy down, retry with others), `captcha`
(the same), or `login` (the session is not, or no longer, logged in: a login cookie
has expired, a visitor cookie is void). Anything else is left to the usual handling.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scrapy.http import Response

BAN = "ban"
CAPTCHA = "captcha"
LOGIN = "login"
# Bodies beyond this are real pages, not walls; only their head is searched.
_BODY_HEAD = 64 * 1024


@dataclass(frozen=True)
class BanRule:
    platform: str
    hosts: tuple[str, ...]
    statuses: frozenset[int] = frozenset()
    captcha_patterns: tuple[re.Pattern[str], ...] = ()
    login_patterns: tuple[re.Pattern[str], ...] = ()
    cooldown: float | None = None  # seconds; None: the pool's default

    @classmethod
    def from_setting(cls, platform: str, raw: dict[str, Any]) -> BanRule:
        return cls(
            platform=platform,
            hosts=tuple(h.lower() for h in raw.get("hosts", ())),
            statuses=frozenset(int(s) for s in raw.get("statuses", ())),
            captcha_patterns=tuple(re.compile(p) for p in raw.get("captcha_patterns", ())),
            login_patterns=tuple(re.compile(p) for p in raw.get("login_patterns", ())),
            cooldown=raw.get("cooldown"),
        )

    def covers(self, host: str) -> bool:
        return host_matches(host, self.hosts)


def host_matches(host: str, suffixes: tuple[str, ...] | list[str]) -> bool:
    """`m.weibo.cn` matches `weibo.cn`; `notweibo.cn` does not."""
    host = host.lower()
    return any(host == s or host.endswith("." + s) for s in suffixes)


def rules_from_settings(raw: dict[str, dict[str, Any]]) -> list[BanRule]:
    return [BanRule.from_setting(platform, spec) for platform, spec in (raw or {}).items()]


def rule_for(rules: list[BanRule], host: str, platform: str | None = None) -> BanRule | None:
    for rule in rules:
        if rule.platform == platform or (platform is None and rule.covers(host)):
            return rule
    return None


def verdict(rule: BanRule, response: Response) -> str | None:
    """`ban`, `captcha`, `login` or None (not a ban) for one response."""
    if response.status in rule.statuses:
        return BAN
    if 300 <= response.status < 400:
        location = (response.headers.get(b"Location") or b"").decode("latin-1")
        if _search(rule.login_patterns, location):
            return LOGIN
        return CAPTCHA if _search(rule.captcha_patterns, location) else None
    if _search(rule.login_patterns, response.url):
        return LOGIN
    head = _head(response)
    if _search(rule.captcha_patterns, head) or _search(rule.captcha_patterns, response.url):
        return CAPTCHA
    if _search(rule.login_patterns, head):
        return LOGIN
    return None


def _head(response: Response) -> str:
    """The start of the body as text: in the page's own charset when it has one (a GBK
    verification page must still match its Chinese words)."""
    text = getattr(response, "text", None)
    if isinstance(text, str):
        return text[:_BODY_HEAD]
    return response.body[:_BODY_HEAD].decode("utf-8", "replace")


def _search(patterns: tuple[re.Pattern[str], ...], text: str) -> bool:
    return bool(text) and any(p.search(text) for p in patterns)
