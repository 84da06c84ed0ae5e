"""Delivery channels: generic JSON webhook, WeCom and DingTalk robots, email (SMTP).

Each `send_*` makes one attempt and returns the receiver's status (HTTP code or SMTP
reply); a failure raises `DeliveryError`. Retries, backoff and the delivery log are
the caller's (yuqing_spiders.ops.alerting.store). Blocking: call from a thread.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import smtplib
import time
import urllib.error
import urllib.request
from email.message import EmailMessage
from typing import TYPE_CHECKING, Any
from urllib.parse import quote_plus

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from yuqing_spiders.ops.alerting.config import Receiver


class DeliveryError(Exception):
    """One attempt failed; `status` is what the receiver answered, if anything."""

    def __init__(self, message: str, status: int | str | None = None) -> None:
        super().__init__(message)
        self.status = status


# --- rendering ------------------------------------------------------------------------


def title(alert: Mapping[str, Any]) -> str:
    payload = alert.get("payload") or {}
    head = payload.get("title") or alert.get("key")
    return f"[舆情{_level_name(alert.get('level'))}] {head}"


def _level_name(level: Any) -> str:
    return {"general": "一般", "important": "重要", "urgent": "紧急"}.get(str(level), str(level))


def lines(alert: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Labelled facts of an alert, in reading order; empty ones left out."""
    payload = alert.get("payload") or {}
    facts = [
        ("级别", _level_name(alert.get("level"))),
        ("原因", "、".join(payload.get("reasons") or [])),
        ("属地/部门", "、".join(payload.get("routed_to") or [])),
        ("来源", payload.get("media") or payload.get("source") or ""),
        ("首发", payload.get("first_publisher") or ""),
        ("发布时间", str(payload.get("published_at") or "")),
        ("热度", "" if payload.get("heat") is None else f"{payload['heat']}"),
        ("趋势", payload.get("trend") or ""),
        ("转载", "" if not payload.get("sites") else f"{payload['sites']} 个站点"),
        ("链接", payload.get("url") or ""),
        ("说明", payload.get("message") or ""),
    ]
    return [(label, str(value)) for label, value in facts if value]


def markdown(alert: Mapping[str, Any]) -> str:
    body = [f"### {title(alert)}"]
    for label, value in lines(alert):
        shown = f"[{value}]({value})" if label == "链接" else value
        body.append(f"> **{label}**: {shown}")
    return "\n".join(body)


def plain_text(alert: Mapping[str, Any]) -> str:
    return "\n".join([title(alert), ""] + [f"{label}: {value}" for label, value in lines(alert)])


# --- HTTP robots ------------------------------------------------------------------------


def _post_json(
    url: str, body: Mapping[str, Any], headers: Mapping[str, str], timeout: float
) -> tuple[int, bytes]:
    data = json.dumps(body, ensure_ascii=False, default=str).encode("utf-8")
    request = urllib.request.Request(
        url,
        data=data,
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", **headers},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read(65536)
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"HTTP {exc.code}", exc.code) from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DeliveryError(f"{type(exc).__name__}: {reason}") from None


def _robot_answer(status: int, raw: bytes) -> int:
    """WeCom and DingTalk answer 200 with {"errcode": N, "errmsg": ...}; 0 is success."""
    try:
        answer = json.loads(raw or b"{}")
    except ValueError:
        raise DeliveryError("robot answered with non-JSON", status) from None
    code = answer.get("errcode", 0) if isinstance(answer, dict) else 0
    if code != 0:
        raise DeliveryError(f"robot errcode {code}: {answer.get('errmsg', '')}", code)
    return status


def send_webhook(receiver: Receiver, alert: Mapping[str, Any], timeout: float) -> int:
    body = {"title": title(alert), "text": plain_text(alert), "alert": dict(alert)}
    status, _ = _post_json(receiver.url, body, receiver.headers, timeout)
    return status


def send_wecom(receiver: Receiver, alert: Mapping[str, Any], timeout: float) -> int:
    body = {"msgtype": "markdown", "markdown": {"content": markdown(alert)}}
    return _robot_answer(*_post_json(receiver.url, body, receiver.headers, timeout))


def dingtalk_signed_url(url: str, secret: str, now_ms: int | None = None) -> str:
    """DingTalk's 加签: timestamp and HMAC-SHA256 of "timestamp\\nsecret", base64, quoted."""
    stamp = str(now_ms if now_ms is not None else int(time.time() * 1000))
    digest = hmac.new(secret.encode("utf-8"), f"{stamp}\n{secret}".encode(), hashlib.sha256)
    sign = quote_plus(base64.b64encode(digest.digest()))
    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}timestamp={stamp}&sign={sign}"


def send_dingtalk(receiver: Receiver, alert: Mapping[str, Any], timeout: float) -> int:
    url = dingtalk_signed_url(receiver.url, receiver.secret) if receiver.secret else receiver.url
    body = {"msgtype": "markdown", "markdown": {"title": title(alert), "text": markdown(alert)}}
    return _robot_answer(*_post_json(url, body, receiver.headers, timeout))


# --- email ------------------------------------------------------------------------------


def send_email(receiver: Receiver, alert: Mapping[str, Any], timeout: float) -> int:
    message = EmailMessage()
    message["Subject"] = title(alert)
    message["From"] = receiver.sender
    message["To"] = ", ".join(receiver.to)
    message.set_content(plain_text(alert))
    smtp_class = smtplib.SMTP_SSL if receiver.ssl else smtplib.SMTP
    try:
        with smtp_class(receiver.host, receiver.port, timeout=timeout) as smtp:
            if receiver.starttls and not receiver.ssl:
                smtp.starttls()
            if receiver.username:
                smtp.login(receiver.username, receiver.password)
            refused = smtp.send_message(message)
            code, _ = smtp.noop()
    except smtplib.SMTPResponseException as exc:
        raise DeliveryError(f"SMTP {exc.smtp_code}", exc.smtp_code) from None
    except (smtplib.SMTPException, OSError) as exc:
        raise DeliveryError(f"{type(exc).__name__}: {exc}") from None
    if refused:
        raise DeliveryError(f"SMTP refused {len(refused)} of {len(receiver.to)} recipients")
    return code


SENDERS: dict[str, Callable[[Receiver, Mapping[str, Any], float], int]] = {
    "webhook": send_webhook,
    "wecom": send_wecom,
    "dingtalk": send_dingtalk,
    "email": send_email,
}
