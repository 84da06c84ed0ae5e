"""Alerts: raised once per (subject, level), delivered by webhook, WeCom, DingTalk, email.

Public API: `raise_alert` (store + deliver, idempotent), `load_alerting` (receivers
from settings/alerting.yaml with secrets from the environment), `AlertingConfig`.
"""

from yuqing_spiders.ops.alerting.config import AlertingConfig, Receiver, RetryPolicy, load_alerting
from yuqing_spiders.ops.alerting.store import (
    ALERTS,
    AlertOutcome,
    alert_id,
    ensure_alert_indexes,
    raise_alert,
)

__all__ = [
    "ALERTS",
    "AlertOutcome",
    "AlertingConfig",
    "Receiver",
    "RetryPolicy",
    "alert_id",
    "ensure_alert_indexes",
    "load_alerting",
    "raise_alert",
]
