"""The dashboard's Notices tab: notices from anyone, their clocks, and the forms to decide."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from belowline.dashboard.desk import (
    CurrentDesk,
    DashboardRoute,
    Desk,
    WritingDesk,
    base_context,
    page,
)
from belowline.errors import BelowlineError
from belowline.ids import RowId
from belowline.notices import defamation
from belowline.notices import service as notices
from belowline.notices.schemas import NoticeDecisionIn
from belowline.notices.views import notice_view
from belowline.web.deps import BusDep, DbSession, Now, commit

router = APIRouter(prefix="/moderate", route_class=DashboardRoute, include_in_schema=False)
STATUSES = ("open", "decided")
Text = Annotated[str, Form(max_length=5000)]


def _notices_page(
    request: Request,
    session: DbSession,
    desk: Desk,
    *,
    now: Now,
    status: str,
    error: tuple[int, str] | None = None,
    done: str | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    status = status if status in STATUSES else "open"
    rows = notices.list_notices(session, actor=desk.user, site_id=desk.site_id, status=status)
    items = [notice_view(session, n, now=now) for n in rows]
    ctx = base_context(session, desk, now=now, active="notices")
    ctx.update(
        notices=items,
        status=status,
        statuses=STATUSES,
        error=error,
        done=done,
        escalated=[
            n
            for n in items
            if (n["uk_complaint"] or {}).get("clock", {})
            and n["uk_complaint"]["clock"]["escalated"]
        ],
        filter_query="",
    )
    return page(request, "dashboard/notices.html", ctx, status_code=status_code)


@router.get("/notices")
def notices_page(
    request: Request,
    session: DbSession,
    desk: CurrentDesk,
    now: Now,
    status: str = Query(default="open", max_length=16),
    done: str | None = Query(default=None, max_length=64),
) -> HTMLResponse:
    """Notices from anyone (signed in or not), oldest first, each with its SLA clock."""
    return _notices_page(request, session, desk, now=now, status=status, done=done)


def _after(
    request: Request, session: DbSession, desk: Desk, now: Now, notice_id: int, exc: BelowlineError
) -> HTMLResponse:
    session.rollback()
    if exc.status_code in (401, 404):
        raise exc
    return _notices_page(
        request,
        session,
        desk,
        now=now,
        status="open",
        error=(notice_id, exc.message),
        status_code=exc.status_code,
    )


@router.post("/notices/{notice_id}/decide")
def decide(
    notice_id: RowId,
    request: Request,
    session: DbSession,
    desk: WritingDesk,
    now: Now,
    bus: BusDep,
    outcome: Annotated[str, Form(max_length=16)] = "",
    action: Annotated[str, Form(max_length=16)] = "remove",
    rule_id: Annotated[str, Form(max_length=64)] = "",
    reason: Text = "",
    message: Text = "",
) -> Response:
    """Decide a notice: act on the comment under a rule, or take no action with a reason."""
    data = NoticeDecisionIn(
        outcome=outcome,
        action=action,
        rule_id=rule_id or None,
        reason=reason or None,
        message=message or None,
    )
    try:
        notices.decide_notice(session, actor=desk.user, notice_id=notice_id, data=data, now=now)
        commit(session, bus)
    except BelowlineError as exc:
        return _after(request, session, desk, now, notice_id, exc)
    return RedirectResponse(f"/moderate/notices?done={notice_id}-decided", status_code=303)


@router.post("/notices/{notice_id}/route")
def route(
    notice_id: RowId,
    request: Request,
    session: DbSession,
    desk: WritingDesk,
    now: Now,
    bus: BusDep,
    route: Annotated[str, Form(max_length=24)] = "",
    rule_id: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """A UK notice of complaint: contact the poster, or remove on notice."""
    try:
        defamation.choose_route(
            session,
            actor=desk.user,
            notice_id=notice_id,
            route=route,
            now=now,
            rule_id=rule_id or None,
        )
        commit(session, bus)
    except BelowlineError as exc:
        return _after(request, session, desk, now, notice_id, exc)
    return RedirectResponse(f"/moderate/notices?done={notice_id}-{route}", status_code=303)


@router.post("/notices/{notice_id}/disclose")
def disclose(
    notice_id: RowId, request: Request, session: DbSession, desk: WritingDesk, now: Now, bus: BusDep
) -> Response:
    """Send the complainant the poster's details (only with the poster's consent)."""
    try:
        defamation.disclose(session, actor=desk.user, notice_id=notice_id, now=now)
        commit(session, bus)
    except BelowlineError as exc:
        return _after(request, session, desk, now, notice_id, exc)
    return RedirectResponse(
        f"/moderate/notices?done={notice_id}-disclosed&status=decided", status_code=303
    )
