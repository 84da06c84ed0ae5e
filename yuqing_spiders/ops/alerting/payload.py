"""What an alert says about an item and its event: the payload every receiver gets.

Titles, links, level and reasons, heat and spread; no secrets and no full text (an
alert leaves the office's network through webhooks and mail).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from yuqing_spiders.analysis.events import EventSummary
    from yuqing_spiders.model.items import OpinionItem


def alert_payload(item: OpinionItem, summary: EventSummary | None, level: str) -> dict[str, Any]:
    """What an alert says about an item and its event (no secrets, no full text)."""
    reasons = (
        summary.level_reasons if summary and summary.level == level else None
    ) or item.level_reasons
    payload: dict[str, Any] = {
        "title": item.title,
        "url": item.url,
        "opinion_id": item.id,
        "event_id": item.event_id,
        "source": item.source,
        "platform": item.platform,
        "media": item.media.name,
        "published_at": item.published_at.isoformat() if item.published_at else None,
        "level": level,
        "reasons": list(reasons),
        "routed_to": list(item.routed_to),
        "heat": item.heat,
        "trend": item.trend.label if item.trend else None,
    }
    if summary is not None:
        payload.update(
            heat=max(h for h in (item.heat or 0.0, summary.heat or 0.0)),
            sites=len(summary.sites),
            members=summary.members,
            central_first=summary.central_first,
            first_publisher=summary.first_site or summary.first_id,
        )
    return payload
