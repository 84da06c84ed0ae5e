"""Alerts: raised once per (subject, level), delivered by webhook, WeCom, DingTalk, email.

Public API: `raise_alert` / `raise_alerts` (store + deliver, idempotent, batched; a
batch MongoDB cannot take goes to an `AlertSpool` and is raised once on its replay),
`load_alerting` (receivers from settings/alerting.yaml with secrets from the
environment), `AlertingConfig`.
"""

from yuqing_spiders.ops.alerting.config import AlertingConfig, Receiver, RetryPolicy, load_alerting
from yuqing_spiders.ops.alerting.spool import Alert, AlertSpool
from yuqing_spiders.ops.alerting.store import (
    ALERTS,
    AlertOutcome,
    alert_id,
    deliver_unrecorded,
    ensure_alert_indexes,
    raise_alert,
    raise_alerts,
)

__all__ = [
    "ALERTS",
    "Alert",
    "AlertSpool",
    "AlertOutcome",
    "AlertingConfig",
    "Receiver",
    "RetryPolicy",
    "alert_id",
    "deliver_unrecorded",
    "ensure_alert_indexes",
    "load_alerting",
    "raise_alert",
    "raise_alerts",
]
