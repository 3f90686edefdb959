"""The dashboard's Settings page (admins): site, sign-in and triage settings, with a preview."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request, Response
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
from belowline.sites import forms, service
from belowline.sites import preview as previews
from belowline.sites.validation import LEVELS, SIGNALS
from belowline.web.deps import BusDep, DbSession, Now, commit

router = APIRouter(prefix="/moderate", route_class=DashboardRoute, include_in_schema=False)

LEVEL_LABELS = {"full": "Full-time", "part": "Part-time", "none": "Nobody on duty"}
SIGNAL_LABELS = {"abuse": "Abuse", "spam": "Spam", "off_topic": "Off-topic"}


def _settings_page(
    request: Request,
    session: Session,
    desk: Desk,
    *,
    now: datetime,
    draft: dict[str, Any] | None = None,
    error: BelowlineError | None = None,
) -> HTMLResponse:
    site = service.administered_site(session, actor=desk.user, site_id=desk.site_id)
    view = service.settings_view(site, now=now)
    ctx = base_context(session, desk, now=now, active="settings")
    ctx.update(
        s=view,
        draft=draft,
        jwks_text=json.dumps(view["sso"]["jwks"], indent=2) if view["sso"]["jwks"] else "",
        algorithms=forms.ALGORITHMS,
        levels=LEVELS,
        signals=SIGNALS,
        level_labels=LEVEL_LABELS,
        signal_labels=SIGNAL_LABELS,
        saved=request.query_params.get("saved"),
        error=error.message if error else None,
        error_field=error.data.get("field") if error else None,
    )
    return page(
        request, "dashboard/settings.html", ctx, status_code=error.status_code if error else 200
    )


def _draft(form: Any) -> dict[str, Any]:
    """What was typed, to show again beside the error (never the secret)."""
    return {
        k: form.getlist(k) if k == "sso.algorithms" else form.get(k)
        for k in form
        if k != "sso.secret"
    }


@router.get("/settings")
def settings_page(
    request: Request, session: DbSession, desk: CurrentDesk, now: Now
) -> HTMLResponse:
    """The site's settings (admins)."""
    require_admin(desk)
    return _settings_page(request, session, desk, now=now)


@router.post("/settings")
async def save_settings(
    request: Request, session: DbSession, desk: WritingDesk, now: Now, bus: BusDep
) -> Response:
    """Save the whole form; one invalid field and nothing is saved."""
    require_admin(desk)
    form = await request.form()
    site = service.administered_site(session, actor=desk.user, site_id=desk.site_id)
    try:
        changes = forms.site_changes(form, service.settings_view(site, now=now))
        changed = service.update_site(session, site=site, actor=desk.user, changes=changes, now=now)
    except BelowlineError as exc:
        session.rollback()
        return _settings_page(request, session, desk, now=now, draft=_draft(form), error=exc)
    commit(session, bus)
    return RedirectResponse(
        f"/moderate/settings?saved={','.join(changed) or 'nothing'}", status_code=303
    )


@router.post("/settings/preview")
async def preview_fragment(
    request: Request, session: DbSession, desk: WritingDesk, now: Now
) -> HTMLResponse:
    """The triage preview for the thresholds and word lists on the form (nothing is saved)."""
    require_admin(desk)
    form = await request.form()
    site = service.administered_site(session, actor=desk.user, site_id=desk.site_id)
    ctx: dict[str, Any] = {"level_labels": LEVEL_LABELS, "levels": LEVELS}
    try:
        proposed = service.proposed_triage(
            site, forms.triage_changes(form, service.triage_view(site))
        )
        ctx["p"] = previews.preview(
            session, site=site, current=service.triage_view(site), proposed=proposed, now=now
        )
    except BelowlineError as exc:
        return page(
            request, "dashboard/_preview.html", {**ctx, "error": exc.message}, status_code=422
        )
    return page(request, "dashboard/_preview.html", ctx)
