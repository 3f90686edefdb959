"""The dashboard's community rules editor (admins)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from belowline.audit import service as audit
from belowline.dashboard.desk import (
    CurrentDesk,
    DashboardRoute,
    Desk,
    WritingDesk,
    base_context,
    page,
    require_admin,
)
from belowline.errors import BelowlineError, InvalidInput
from belowline.rules import service as rules_service
from belowline.web.deps import BusDep, DbSession, Now, commit

router = APIRouter(prefix="/moderate", route_class=DashboardRoute, include_in_schema=False)


def _rules_page(
    request: Request,
    session: Session,
    desk: Desk,
    *,
    now: datetime,
    draft: list[rules_service.RuleText] | None = None,
    intro: str | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    current = rules_service.current_rules(session, site_id=desk.site_id)
    ctx = base_context(session, desk, now=now, active="rules")
    ctx.update(
        current=current,
        draft=draft if draft is not None else (current.rules if current else []),
        intro=intro if intro is not None else (current.intro_md if current else ""),
        published=request.query_params.get("published"),
        error=error,
    )
    return page(request, "dashboard/rules.html", ctx, status_code=status_code)


@router.get("/rules")
def rules_editor(request: Request, session: DbSession, desk: CurrentDesk, now: Now) -> HTMLResponse:
    """Edit the community rules and publish a new version (admins)."""
    require_admin(desk)
    return _rules_page(request, session, desk, now=now)


@router.post("/rules")
def publish(
    request: Request,
    session: DbSession,
    desk: WritingDesk,
    now: Now,
    bus: BusDep,
    key: Annotated[list[str], Form()],
    title: Annotated[list[str], Form()],
    text: Annotated[list[str], Form()],
    intro: Annotated[str, Form(max_length=20000)] = "",
) -> Response:
    """Publish the edited rules as a new version; commenters accept them again."""
    require_admin(desk)
    draft = [
        rules_service.RuleText(k.strip().lower(), t.strip(), x.strip())
        for k, t, x in zip(key, title, text, strict=False)
        if k.strip() or t.strip() or x.strip()
    ]
    try:
        if len(key) != len(title) or len(key) != len(text):
            raise InvalidInput("Every rule needs an id, a title and text.")
        published = rules_service.publish_rules(
            session,
            site_id=desk.site_id,
            intro_md=intro.strip(),
            rules=draft,
            now=now,
            actor=desk.user,
        )
        audit.write(
            session,
            site_id=desk.site_id,
            actor=desk.user,
            action="rules.publish",
            target_type="rules",
            target_id=published.version,
            note=f"{len(draft)} rules",
            now=now,
        )
    except BelowlineError as exc:
        session.rollback()
        return _rules_page(
            request,
            session,
            desk,
            now=now,
            draft=draft,
            intro=intro,
            error=exc.message,
            status_code=exc.status_code,
        )
    commit(session, bus)
    return RedirectResponse(f"/moderate/rules?published={published.version}", status_code=303)
