"""Alert receivers and delivery policy from settings/alerting.yaml.

Secrets (robot keys, tokens, SMTP passwords) never sit in the file: a value may name
environment variables as `${NAME}` or `${NAME:-default}`. Every value that came from
the environment is remembered as a secret, so error messages are scrubbed of it
before they reach a log line or the `alerts` collection. A receiver whose URL or host
is unset is disabled (said once, at load), not an error: the file lists the office's
channels, each node enables those it has credentials for.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from yuqing_spiders.model.resources import SETTINGS_DIR, load_yaml

logger = logging.getLogger(__name__)

DEFAULT_ALERTING_FILE = SETTINGS_DIR / "alerting.yaml"
CHANNEL_TYPES = ("webhook", "wecom", "dingtalk", "email")
ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")
# Query parameters that carry robot credentials in WeCom / DingTalk URLs.
SECRET_QUERY = re.compile(r"(?i)\b(key|access_token|token|sign|secret)=[^&\s'\"]+")


@dataclass(frozen=True)
class Receiver:
    name: str
    type: str
    url: str = ""
    secret: str = ""  # DingTalk signing secret
    headers: Mapping[str, str] = field(default_factory=dict)
    host: str = ""
    port: int = 25
    starttls: bool = False
    ssl: bool = False
    username: str = ""
    password: str = ""
    sender: str = ""
    to: tuple[str, ...] = ()
    min_level: str | None = None  # only alerts at this level or above
    routes: tuple[str, ...] = ()  # only alerts routed to one of these units (empty = all)


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 3
    backoff_seconds: float = 2.0
    max_backoff_seconds: float = 30.0
    timeout_seconds: float = 10.0

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number `attempt` (1-based)."""
        return min(self.max_backoff_seconds, self.backoff_seconds * 2 ** (attempt - 1))


@dataclass(frozen=True)
class AlertingConfig:
    min_level: str = "important"
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    receivers: tuple[Receiver, ...] = ()
    secrets: tuple[str, ...] = ()
    disabled: tuple[str, ...] = ()  # receivers left out for want of a URL / host

    def scrub(self, text: str) -> str:
        """`text` without any secret value or credential query parameter."""
        for secret in sorted(self.secrets, key=len, reverse=True):
            text = text.replace(secret, "***")
        return SECRET_QUERY.sub(lambda m: f"{m.group(1)}=***", text)


# Fields without which a receiver cannot deliver; an unset variable in one disables it.
REQUIRED_FIELDS = ("url", "host", "sender", "to")


def _expand(value: Any, env: Mapping[str, str], secrets: set[str], missing: set[str]) -> Any:
    if isinstance(value, Mapping):
        return {k: _expand(v, env, secrets, missing) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand(v, env, secrets, missing) for v in value]
    if not isinstance(value, str):
        return value

    def substitute(match: re.Match[str]) -> str:
        found = env.get(match.group(1))
        if found:
            secrets.add(found)
            return found
        if match.group(2) is None:
            missing.add(match.group(1))
        return match.group(2) or ""

    return ENV_REF.sub(substitute, value)


def _receiver(raw: Mapping[str, Any], index: int) -> Receiver:
    kind = raw.get("type")
    if kind not in CHANNEL_TYPES:
        raise ValueError(f"receiver {index}: type must be one of {CHANNEL_TYPES}, not {kind!r}")
    to = raw.get("to") or ()
    if isinstance(to, str):
        to = to.split(",")  # one environment variable may list several addresses
    return Receiver(
        name=str(raw.get("name") or f"{kind}-{index}"),
        type=kind,
        url=str(raw.get("url") or ""),
        secret=str(raw.get("secret") or ""),
        headers={k: str(v) for k, v in (raw.get("headers") or {}).items() if v},
        host=str(raw.get("host") or ""),
        port=int(raw.get("port") or (465 if raw.get("ssl") else 25)),
        starttls=bool(raw.get("starttls", False)),
        ssl=bool(raw.get("ssl", False)),
        username=str(raw.get("username") or ""),
        password=str(raw.get("password") or ""),
        sender=str(raw.get("sender") or ""),
        to=tuple(str(t).strip() for t in to if str(t).strip()),
        min_level=raw.get("min_level"),
        routes=tuple(raw.get("routes") or ()),
    )


def _usable(receiver: Receiver) -> bool:
    if receiver.type == "email":
        return bool(receiver.host and receiver.to and receiver.sender)
    return receiver.url.startswith(("http://", "https://"))


def _receivers(
    entries: list[Any], env: Mapping[str, str], secrets: set[str]
) -> tuple[list[Receiver], list[Receiver]]:
    usable: list[Receiver] = []
    disabled: list[Receiver] = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, Mapping):
            raise ValueError(f"receiver {index}: expected a mapping")
        missing: set[str] = set()
        required = {k: _expand(entry.get(k), env, secrets, missing) for k in REQUIRED_FIELDS}
        optional = {k: _expand(v, env, secrets, set()) for k, v in entry.items()}
        receiver = _receiver({**optional, **required}, index)
        ok = not missing and _usable(receiver)
        (usable if ok else disabled).append(receiver)
    return usable, disabled


def parse_alerting(raw: Mapping[str, Any], env: Mapping[str, str] | None = None) -> AlertingConfig:
    secrets: set[str] = set()
    env = os.environ if env is None else env
    data = _expand({k: v for k, v in raw.items() if k != "receivers"}, env, secrets, set())
    retry_raw = data.get("retry") or {}
    retry = RetryPolicy(
        attempts=max(1, int(retry_raw.get("attempts", 3))),
        backoff_seconds=float(retry_raw.get("backoff_seconds", 2.0)),
        max_backoff_seconds=float(retry_raw.get("max_backoff_seconds", 30.0)),
        timeout_seconds=float(retry_raw.get("timeout_seconds", 10.0)),
    )
    receivers, disabled = _receivers(list(raw.get("receivers") or []), env, secrets)
    return AlertingConfig(
        min_level=str(data.get("min_level") or "important"),
        retry=retry,
        receivers=tuple(receivers),
        secrets=tuple(s for s in secrets if len(s) >= 4),
        disabled=tuple(r.name for r in disabled),
    )


def load_alerting(
    path: str | Path = DEFAULT_ALERTING_FILE, env: Mapping[str, str] | None = None
) -> AlertingConfig:
    raw = load_yaml(path) or {}
    if not isinstance(raw, Mapping):
        raise ValueError(f"{path}: expected a mapping at the top level")
    config = parse_alerting(raw, env)
    for name in config.disabled:
        logger.info("alert receiver %s disabled: its URL or host is not configured", name)
    return config
