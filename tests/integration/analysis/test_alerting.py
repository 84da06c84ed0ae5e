"""Alerts: once per (subject, level), delivered to local receivers, retried, logged."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterator
from urllib.parse import unquote_plus

import pymongo
import pytest

from tests.helpers.receivers import HttpReceiver, SmtpReceiver
from yuqing_spiders.ops.alerting import ALERTS, alert_id, raise_alert
from yuqing_spiders.ops.alerting.channels import dingtalk_signed_url
from yuqing_spiders.ops.alerting.config import parse_alerting

PAYLOAD = {
    "title": "南昌一小区地下车库积水 多辆车被淹",
    "url": "http://jx.people.com.cn/n2/2026/1125/c186330-41401779.html",
    "reasons": ["risk:sudden", "key_media:central_key"],
    "routed_to": ["红谷滩区", "区住建局"],
    "media": "人民网江西频道",
    "heat": 31.5,
    "sites": 3,
}
SECRET = "SEC0123456789abcdef-dingtalk-secret"  # noqa: S105  (a test robot's secret)
NO_WAIT = {"attempts": 3, "backoff_seconds": 0.0, "timeout_seconds": 5}


@pytest.fixture
def http() -> Iterator[HttpReceiver]:
    receiver = HttpReceiver()
    yield receiver
    receiver.close()


@pytest.fixture
def smtp() -> Iterator[SmtpReceiver]:
    receiver = SmtpReceiver()
    yield receiver
    receiver.close()


def config(receivers: list[dict], env: dict[str, str] | None = None):
    return parse_alerting({"retry": NO_WAIT, "receivers": receivers}, env or {})


def test_each_channel_receives_its_payload_shape(
    http: HttpReceiver, smtp: SmtpReceiver, mongo_db: pymongo.database.Database
) -> None:
    env = {
        "HOOK": f"{http.url}/hook",
        "WECOM_KEY": "wk-123456",
        "DT_TOKEN": "dt-abcdef",
        "DT_SECRET": SECRET,
    }
    cfg = config(
        [
            {"name": "hook", "type": "webhook", "url": "${HOOK}"},
            {"name": "wecom", "type": "wecom", "url": f"{http.url}/wecom?key=${{WECOM_KEY}}"},
            {
                "name": "ding",
                "type": "dingtalk",
                "url": f"{http.url}/ding?access_token=${{DT_TOKEN}}",
                "secret": "${DT_SECRET}",
            },
            {
                "name": "mail",
                "type": "email",
                "host": "127.0.0.1",
                "port": smtp.port,
                "sender": "yuqing@nc.example",
                "to": "duty@nc.example,hgt@nc.example",
            },
        ],
        env,
    )
    outcome = raise_alert(mongo_db, "ev:1", "important", PAYLOAD, config=cfg)
    assert (outcome.status, outcome.delivery) == ("raised", "delivered")
    hook, wecom, ding = http.received
    assert hook.path == "/hook"
    assert hook.body["alert"]["payload"]["title"] == PAYLOAD["title"]
    assert hook.body["alert"]["level"] == "important"
    assert wecom.query == {"key": ["wk-123456"]}
    assert wecom.body["msgtype"] == "markdown"
    assert "红谷滩区" in wecom.body["markdown"]["content"]
    assert ding.body["msgtype"] == "markdown"
    assert set(ding.body["markdown"]) == {"title", "text"}
    assert ding.body["markdown"]["title"].startswith("[舆情重要]")
    stamp, sign = ding.query["timestamp"][0], ding.query["sign"][0]
    expected = hmac.new(SECRET.encode(), f"{stamp}\n{SECRET}".encode(), hashlib.sha256).digest()
    assert base64.b64decode(sign) == expected  # parse_qs already unquoted it
    (mail,) = smtp.mailbox.messages
    assert mail["Subject"].startswith("[舆情重要]")
    assert smtp.mailbox.envelopes == [("yuqing@nc.example", ["duty@nc.example", "hgt@nc.example"])]
    assert "属地/部门: 红谷滩区、区住建局" in mail.get_content()
    stored = mongo_db[ALERTS].find_one({"_id": alert_id("ev:1", "important")})
    assert stored["status"] == "delivered"
    assert [(d["channel"], d["ok"]) for d in stored["deliveries"]] == [
        ("hook", True),
        ("wecom", True),
        ("ding", True),
        ("mail", True),
    ]


def test_same_level_is_not_raised_twice_and_a_rise_is(
    http: HttpReceiver, mongo_db: pymongo.database.Database
) -> None:
    cfg = config([{"name": "hook", "type": "webhook", "url": f"{http.url}/hook"}])
    assert raise_alert(mongo_db, "ev:2", "important", PAYLOAD, config=cfg).status == "raised"
    assert raise_alert(mongo_db, "ev:2", "important", PAYLOAD, config=cfg).status == "duplicate"
    assert raise_alert(mongo_db, "ev:2", "general", PAYLOAD, config=cfg).status == "not_higher"
    assert raise_alert(mongo_db, "ev:2", "urgent", PAYLOAD, config=cfg).status == "raised"
    assert [r.body["alert"]["level"] for r in http.received] == ["important", "urgent"]
    assert mongo_db[ALERTS].count_documents({"key": "ev:2"}) == 2


def test_failing_receiver_is_retried_then_logged_failed_without_leaking_secrets(
    http: HttpReceiver, mongo_db: pymongo.database.Database
) -> None:
    http.replies = [(500, {}), (200, {"errcode": 310000, "errmsg": "sign not match"}), (503, {})]
    cfg = config(
        [
            {"name": "ding", "type": "dingtalk", "url": f"{http.url}/ding?access_token=${{TOKEN}}"},
            {"name": "dead", "type": "webhook", "url": "http://127.0.0.1:9/nothing-listens"},
        ],
        {"TOKEN": "tok-very-secret-42"},
    )
    outcome = raise_alert(mongo_db, "ev:3", "important", PAYLOAD, config=cfg)
    assert (outcome.status, outcome.delivery) == ("raised", "failed")
    assert outcome.counts["retries"] == 4
    stored = mongo_db[ALERTS].find_one({"_id": "ev:3@important"})
    assert stored["status"] == "failed"
    attempts = [(d["channel"], d["attempt"], d["ok"], d["status"]) for d in stored["deliveries"]]
    assert attempts[:3] == [
        ("ding", 1, False, 500),
        ("ding", 2, False, 310000),
        ("ding", 3, False, 503),
    ]
    assert [a[:3] for a in attempts[3:]] == [
        ("dead", 1, False),
        ("dead", 2, False),
        ("dead", 3, False),
    ]
    assert "sign not match" in stored["deliveries"][1]["error"]
    assert "tok-very-secret-42" not in str(stored)
    assert len(http.received) == 3


def test_receiver_without_its_environment_is_disabled_and_secrets_are_scrubbed() -> None:
    cfg = config(
        [
            {"name": "wecom", "type": "wecom", "url": "https://qyapi.example/send?key=${NOT_SET}"},
            {
                "name": "hook",
                "type": "webhook",
                "url": "${HOOK}",
                "headers": {"Authorization": "${AUTH:-}"},
            },
        ],
        {"HOOK": "http://127.0.0.1:1/h"},
    )
    assert [r.name for r in cfg.receivers] == ["hook"]
    assert cfg.disabled == ("wecom",)
    assert cfg.receivers[0].headers == {}
    assert (
        cfg.scrub("POST https://x/send?key=abc&x=1 failed")
        == "POST https://x/send?key=***&x=1 failed"
    )


def test_dingtalk_signature_is_the_documented_hmac() -> None:
    url = dingtalk_signed_url(
        "https://oapi.example/robot/send?access_token=t", "s3cret", 1700000000000
    )
    sign = unquote_plus(url.rsplit("sign=", 1)[1])
    digest = hmac.new(b"s3cret", b"1700000000000\ns3cret", hashlib.sha256).digest()
    assert base64.b64decode(sign) == digest
    assert "&timestamp=1700000000000&" in url
