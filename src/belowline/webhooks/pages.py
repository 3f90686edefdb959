"""The dashboard's Webhooks page (admins): subscriptions and their delivery log."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from belowline.dashboard.desk import (
    CurrentDesk,
    DashboardRoute,
    Desk,
    WritingDesk,
    base_context,
    page,
    require_admin,
)
from belowline.errors import BelowlineError
from belowline.ids import RowId
from belowline.web.deps import BusDep, DbSession, Now, SettingsDep, commit
from belowline.webhooks import service as webhooks
from belowline.webhooks.service import EVENTS

router = APIRouter(prefix="/moderate", route_class=DashboardRoute, include_in_schema=False)


def _page(
    request: Request,
    session: Session,
    desk: Desk,
    *,
    now: datetime,
    error: str | None = None,
    created_secret: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    hooks = webhooks.list_visible(session, actor=desk.user, site_id=desk.site_id)
    ctx = base_context(session, desk, now=now, active="webhooks")
    ctx.update(
        hooks=hooks,
        logs=webhooks.recent_deliveries(session, webhook_ids=[h.id for h in hooks]),
        events=EVENTS,
        error=error,
        created_secret=created_secret,
    )
    return page(request, "dashboard/webhooks.html", ctx, status_code=status_code)


@router.get("/webhooks")
def webhooks_page(
    request: Request, session: DbSession, desk: CurrentDesk, now: Now
) -> HTMLResponse:
    """Who hears about this site's events, and what their servers answered lately."""
    require_admin(desk)
    return _page(request, session, desk, now=now)


@router.post("/webhooks")
def add_webhook(
    request: Request,
    session: DbSession,
    desk: WritingDesk,
    now: Now,
    bus: BusDep,
    settings: SettingsDep,
    url: Annotated[str, Form(max_length=2000)],
    events: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """Subscribe a URL; the generated signing secret is shown once."""
    require_admin(desk)
    try:
        hook = webhooks.create(
            session,
            actor=desk.user,
            site_id=desk.site_id,
            request=webhooks.WebhookRequest(url=url, events=events or []),
            allow_private=settings.webhook_allow_private_urls,
            now=now,
        )
    except BelowlineError as exc:
        session.rollback()
        return _page(request, session, desk, now=now, error=exc.message, status_code=422)
    secret = hook.secret
    commit(session, bus)
    return _page(request, session, desk, now=now, created_secret=secret, status_code=201)


@router.post("/webhooks/{webhook_id}/delete")
def delete_webhook(
    session: DbSession, desk: WritingDesk, now: Now, bus: BusDep, webhook_id: RowId
) -> Response:
    require_admin(desk)
    webhooks.remove(session, actor=desk.user, site_id=desk.site_id, webhook_id=webhook_id, now=now)
    commit(session, bus)
    return RedirectResponse("/moderate/webhooks", status_code=303)
