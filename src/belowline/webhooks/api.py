"""Webhook routes (admins): subscribe, list with recent deliveries, unsubscribe."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from belowline.ids import RowId
from belowline.web.deps import BusDep, CurrentUser, DbSession, Now, SettingsDep, commit
from belowline.webhooks import service as webhooks
from belowline.webhooks.schemas import WebhookIn
from belowline.webhooks.views import webhook_view

router = APIRouter(prefix="/api/v1", tags=["webhooks"])


@router.post("/sites/{site_id}/webhooks", status_code=201)
def create_webhook(
    site_id: str,
    body: WebhookIn,
    session: DbSession,
    user: CurrentUser,
    settings: SettingsDep,
    now: Now,
    bus: BusDep,
) -> dict[str, Any]:
    """Subscribe a URL to events; the answer carries the signing secret, this once."""
    hook = webhooks.create(
        session,
        actor=user,
        site_id=site_id,
        request=webhooks.WebhookRequest(url=body.url, events=body.events, secret=body.secret),
        allow_private=settings.webhook_allow_private_urls,
        now=now,
    )
    out = {**webhook_view(hook, []), "secret": hook.secret}
    commit(session, bus)
    return out


@router.get("/sites/{site_id}/webhooks")
def list_webhooks(site_id: str, session: DbSession, user: CurrentUser) -> dict[str, Any]:
    """The site's webhooks and each one's latest delivery attempts."""
    hooks = webhooks.list_visible(session, actor=user, site_id=site_id)
    logs = webhooks.recent_deliveries(session, webhook_ids=[h.id for h in hooks])
    return {"webhooks": [webhook_view(h, logs[h.id]) for h in hooks]}


@router.delete("/sites/{site_id}/webhooks/{webhook_id}", status_code=204)
def delete_webhook(
    site_id: str, webhook_id: RowId, session: DbSession, user: CurrentUser, now: Now, bus: BusDep
) -> Response:
    """Stop sending to a webhook; deliveries still waiting are dropped."""
    webhooks.remove(session, actor=user, site_id=site_id, webhook_id=webhook_id, now=now)
    commit(session, bus)
    return Response(status_code=204)
