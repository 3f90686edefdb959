"""How webhooks and their deliveries look in answers (the secret never leaves)."""

from __future__ import annotations

from typing import Any

from belowline.comments.views import iso
from belowline.webhooks.models import Webhook, WebhookDelivery


def delivery_view(d: WebhookDelivery) -> dict[str, Any]:
    return {
        "id": d.id,
        "event": d.event,
        "event_id": d.event_id,
        "attempt": d.attempt,
        "ok": d.ok,
        "status_code": d.status_code,
        "error": d.error,
        "response": d.response_excerpt,
        "duration_ms": d.duration_ms,
        "at": iso(d.attempted_at),
    }


def webhook_view(hook: Webhook, deliveries: list[WebhookDelivery]) -> dict[str, Any]:
    return {
        "id": hook.id,
        "url": hook.url,
        "events": list(hook.events or []),
        "created_at": iso(hook.created_at),
        "recent_deliveries": [delivery_view(d) for d in deliveries],
    }
