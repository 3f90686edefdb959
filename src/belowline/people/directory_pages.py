"""The dashboard's People page: find anyone on the site; admins invite, change roles, deactivate."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from belowline.accounts.models import Role
from belowline.dashboard.desk import (
    CurrentDesk,
    DashboardRoute,
    Desk,
    WritingDesk,
    base_context,
    page,
    require_admin,
)
from belowline.errors import BelowlineError, ErrorCode, InvalidInput
from belowline.ids import RowId
from belowline.people import directory, invitations, staff
from belowline.web.deps import BusDep, DbSession, Now, SettingsDep, commit

router = APIRouter(prefix="/moderate", route_class=DashboardRoute, include_in_schema=False)

PAGE_SIZE = 25
DONE = {
    "role": "Role changed.",
    "deactivated": "Account deactivated: it can no longer sign in, and its sessions have ended.",
    "reactivated": "Account reactivated.",
}


def _people_page(
    request: Request,
    session: Session,
    desk: Desk,
    *,
    now: datetime,
    invited: dict[str, Any] | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    q = request.query_params.get("q", "")[:200]
    role = request.query_params.get("role") or None
    try:
        offset = max(int(request.query_params.get("offset", "0")), 0)
    except ValueError:
        offset = 0
    results = directory.search(
        session,
        actor=desk.user,
        site_id=desk.site_id,
        q=q,
        role=role,
        limit=PAGE_SIZE,
        offset=offset,
    )
    ctx = base_context(session, desk, now=now, active="people")
    ctx.update(
        q=q,
        role=role or "",
        offset=offset,
        results=results,
        roles=[r.value for r in Role],
        invited=invited,
        done=DONE.get(request.query_params.get("done", "")),
        error=error,
    )
    return page(request, "dashboard/people.html", ctx, status_code=status_code)


def _role(value: str | None) -> Role | None:
    if not value:
        return None
    try:
        return Role(value)
    except ValueError as exc:
        raise InvalidInput(
            "A role is commenter, moderator or admin.",
            code=ErrorCode.VALIDATION_ERROR,
            field="role",
        ) from exc


@router.get("/people")
def people_page(request: Request, session: DbSession, desk: CurrentDesk, now: Now) -> HTMLResponse:
    """Search readers and staff by name, email or id."""
    return _people_page(request, session, desk, now=now)


@router.post("/people/invite")
def invite(
    request: Request,
    session: DbSession,
    desk: WritingDesk,
    settings: SettingsDep,
    now: Now,
    bus: BusDep,
    email: Annotated[str, Form(max_length=320)],
    role: Annotated[str, Form(max_length=16)] = "moderator",
) -> Response:
    """Invite a moderator or admin; the link is emailed and shown here once."""
    require_admin(desk)
    try:
        invitation, link = invitations.invite(
            session,
            actor=desk.user,
            site_id=desk.site_id,
            email=email,
            role=_role(role) or Role.COMMENTER,
            base_url=settings.public_url,
            now=now,
        )
    except BelowlineError as exc:
        session.rollback()
        return _people_page(
            request, session, desk, now=now, error=exc.message, status_code=exc.status_code
        )
    shown = {
        "email": invitation.email,
        "role": invitation.role,
        "link": link,
        "expires_at": invitation.expires_at,
    }
    commit(session, bus)
    return _people_page(request, session, desk, now=now, invited=shown, status_code=201)


@router.post("/people/{user_id}")
def change(
    user_id: RowId,
    request: Request,
    session: DbSession,
    desk: WritingDesk,
    now: Now,
    bus: BusDep,
    role: Annotated[str | None, Form(max_length=16)] = None,
    active: Annotated[str | None, Form(max_length=5)] = None,
    back: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    """Change a role, or deactivate/reactivate a staff account (admins)."""
    require_admin(desk)
    wants = None if active is None else active == "true"
    try:
        staff.change(
            session,
            actor=desk.user,
            site_id=desk.site_id,
            user_id=user_id,
            role=_role(role),
            active=wants,
            now=now,
        )
    except BelowlineError as exc:
        session.rollback()
        return _people_page(
            request, session, desk, now=now, error=exc.message, status_code=exc.status_code
        )
    commit(session, bus)
    done = "role" if wants is None else ("reactivated" if wants else "deactivated")
    query = back if back.startswith("q=") or back.startswith("role=") else ""
    return RedirectResponse(f"/moderate/people?done={done}&{query}", status_code=303)
