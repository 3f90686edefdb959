"""The dashboard's Appeals tab: open appeals with the decision, and the form to resolve them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from belowline.appeals import service as appeals
from belowline.appeals import views as appeal_views
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
from belowline.web.deps import BusDep, DbSession, Now, commit

router = APIRouter(prefix="/moderate", route_class=DashboardRoute, include_in_schema=False)
STATUSES = ("open", "upheld", "overturned")


def _appeals_page(
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
    rows = appeals.list_appeals(session, actor=desk.user, site_id=desk.site_id, status=status)
    ctx = base_context(session, desk, now=now, active="appeals")
    ctx.update(
        appeals=[appeal_views.staff_view(session, a) for a in rows],
        status=status,
        statuses=STATUSES,
        error=error,
        done=done,
        filter_query="",
    )
    return page(request, "dashboard/appeals.html", ctx, status_code=status_code)


@router.get("/appeals")
def appeals_page(
    request: Request,
    session: DbSession,
    desk: CurrentDesk,
    now: Now,
    status: str = Query(default="open", max_length=16),
    done: str | None = Query(default=None, max_length=32),
) -> HTMLResponse:
    """Appeals waiting for a moderator who did not take the decision (or resolved ones)."""
    return _appeals_page(request, session, desk, now=now, status=status, done=done)


@router.post("/appeals/{appeal_id}/resolve")
def resolve(
    appeal_id: RowId,
    request: Request,
    session: DbSession,
    desk: WritingDesk,
    now: Now,
    bus: BusDep,
    outcome: Annotated[str, Form(max_length=16)] = "",
    note: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    """Uphold or overturn an appeal from the dashboard."""
    try:
        appeal = appeals.resolve(
            session, actor=desk.user, appeal_id=appeal_id, outcome=outcome, note=note, now=now
        )
        commit(session, bus)
    except BelowlineError as exc:
        session.rollback()
        if exc.status_code in (401, 404):
            raise
        return _appeals_page(
            request,
            session,
            desk,
            now=now,
            status="open",
            error=(appeal_id, exc.message),
            status_code=exc.status_code,
        )
    return RedirectResponse(f"/moderate/appeals?done={appeal.id}-{appeal.status}", status_code=303)
