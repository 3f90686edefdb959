"""The dashboard's user page: a person's record, reports against them, notes and sanctions."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from belowline import permissions
from belowline.comments.models import Comment
from belowline.comments.staff_views import names
from belowline.comments.views import iso
from belowline.dashboard.desk import (
    CurrentDesk,
    DashboardRoute,
    Desk,
    WritingDesk,
    base_context,
    page,
)
from belowline.errors import BelowlineError, ErrorCode, InvalidInput
from belowline.ids import RowId
from belowline.people import history
from belowline.reports.models import Report
from belowline.sanctions import service as sanctions
from belowline.sanctions.models import SanctionKind
from belowline.web.deps import BusDep, DbSession, Now, commit

router = APIRouter(prefix="/moderate", route_class=DashboardRoute, include_in_schema=False)

SANCTION_LABELS = {
    SanctionKind.WARN: "Warn (must acknowledge before posting)",
    SanctionKind.SUSPEND: "Suspend until…",
    SanctionKind.BAN: "Ban",
    SanctionKind.PREMODERATE: "Pre-moderate (hold new comments)",
}
DONE = {
    "note": "Note added.",
    "sanction": "Sanction imposed; the user has been told why.",
    "lift": "Sanction lifted.",
}


def reports_against(session: Session, *, user_id: int, limit: int = 50) -> list[dict[str, Any]]:
    """Reports on this person's comments, newest first, with who reported and why."""
    rows = session.execute(
        select(Report, Comment.body_md)
        .join(Comment, Comment.id == Report.comment_id)
        .where(Comment.author_id == user_id)
        .order_by(Report.created_at.desc(), Report.id.desc())
        .limit(limit)
    ).all()
    who = names(session, {r.reporter_id for r, _ in rows})
    return [
        {
            "reason": r.reason,
            "detail": r.detail,
            "status": r.status,
            "comment_id": r.comment_id,
            "excerpt": body,
            "reporter": who.get(r.reporter_id),  # None: the page says "Reader" in its language
            "created_at": iso(r.created_at),
        }
        for r, body in rows
    ]


def _user_page(
    request: Request,
    session: Session,
    desk: Desk,
    *,
    user_id: int,
    now: datetime,
    error: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    record = history.user_history(session, actor=desk.user, user_id=user_id, now=now)
    ctx = base_context(session, desk, now=now, active="user")
    active_ids = {s.id for s in sanctions.active_sanctions(session, user_id=user_id, now=now)}
    for item in record["sanctions"]:
        item["active"] = item["id"] in active_ids
    ctx.update(
        record=record,
        reports_against=reports_against(session, user_id=user_id),
        sanction_labels=SANCTION_LABELS,
        can_lift=permissions.can_lift_sanction(desk.user, desk.site_id),
        done=DONE.get(request.query_params.get("done", "")),
        error=error,
    )
    return page(request, "dashboard/user.html", ctx, status_code=status_code)


@router.get("/users/{user_id}")
def user_page(
    user_id: RowId, request: Request, session: DbSession, desk: CurrentDesk, now: Now
) -> HTMLResponse:
    """Everything about one person a moderator needs before deciding."""
    return _user_page(request, session, desk, user_id=user_id, now=now)


def _after(
    request: Request,
    session: Session,
    desk: Desk,
    bus: BusDep,
    *,
    user_id: int,
    now: datetime,
    done: str,
    error: BelowlineError | None,
) -> Response:
    if error is None:
        commit(session, bus)
        return RedirectResponse(f"/moderate/users/{user_id}?done={done}", status_code=303)
    session.rollback()
    if error.status_code in (401, 403, 404):
        raise error
    return _user_page(
        request,
        session,
        desk,
        user_id=user_id,
        now=now,
        error=error.message,
        status_code=error.status_code,
    )


@router.post("/users/{user_id}/notes")
def add_note(
    user_id: RowId,
    request: Request,
    session: DbSession,
    desk: WritingDesk,
    now: Now,
    bus: BusDep,
    note: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    """Add an internal note about this person."""
    error: BelowlineError | None = None
    try:
        history.add_note(session, actor=desk.user, user_id=user_id, body=note, now=now)
    except BelowlineError as exc:
        error = exc
    return _after(request, session, desk, bus, user_id=user_id, now=now, done="note", error=error)


def parse_until(value: str | None) -> datetime | None:
    """A `datetime-local` field, read as UTC (the form says so)."""
    if not value or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput(
            "Give the end time as a date and time.",
            code=ErrorCode.VALIDATION_ERROR,
            fields=[{"field": "until", "message": "not a date and time"}],
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@router.post("/users/{user_id}/sanctions")
def impose(
    user_id: RowId,
    request: Request,
    session: DbSession,
    desk: WritingDesk,
    now: Now,
    bus: BusDep,
    kind: Annotated[str, Form(max_length=16)] = "",
    rule_id: Annotated[str, Form(max_length=64)] = "",
    until: Annotated[str, Form(max_length=40)] = "",
    note: Annotated[str | None, Form(max_length=5000)] = None,
    message: Annotated[str | None, Form(max_length=5000)] = None,
) -> Response:
    """Warn, suspend, ban or pre-moderate this person under a rule."""
    error: BelowlineError | None = None
    try:
        sanctions.impose(
            session,
            actor=desk.user,
            user_id=user_id,
            request=sanctions.SanctionRequest(
                kind=kind,
                rule_id=rule_id or None,
                until=parse_until(until) if kind != SanctionKind.BAN or until else None,
                note=note,
                message=message,
            ),
            now=now,
        )
    except BelowlineError as exc:
        error = exc
    return _after(
        request, session, desk, bus, user_id=user_id, now=now, done="sanction", error=error
    )


@router.post("/users/{user_id}/sanctions/{sanction_id}/lift")
def lift(
    user_id: RowId,
    sanction_id: RowId,
    request: Request,
    session: DbSession,
    desk: WritingDesk,
    now: Now,
    bus: BusDep,
    note: Annotated[str | None, Form(max_length=5000)] = None,
) -> Response:
    """Lift a sanction early (admins)."""
    error: BelowlineError | None = None
    try:
        sanctions.lift(
            session,
            actor=desk.user,
            user_id=user_id,
            sanction_id=sanction_id,
            note=note,
            now=now,
        )
    except BelowlineError as exc:
        error = exc
    return _after(request, session, desk, bus, user_id=user_id, now=now, done="lift", error=error)
