"""The newsroom's picture in the dashboard: the Overview (staff), the schedule editor (admins)."""

from __future__ import annotations

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
from belowline.errors import BelowlineError, InvalidInput
from belowline.staffing import outcomes, overview
from belowline.staffing import schedule as staffing
from belowline.stories import service as stories_service
from belowline.web.deps import BusDep, DbSession, Now, commit
from belowline.web.templating import templates

router = APIRouter(prefix="/moderate", route_class=DashboardRoute, include_in_schema=False)

DAY_NAMES = dict(zip(staffing.DAYS, ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"), strict=True))
COMMON_ZONES = (
    "Europe/London",
    "Europe/Dublin",
    "Europe/Paris",
    "Europe/Berlin",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Australia/Adelaide",
    "Pacific/Auckland",
    "UTC",
)
MAX_FORM_ROWS = 400

templates.env.filters["training_outcome"] = outcomes.training_outcome


@router.get("/overview")
def overview_page(
    request: Request, session: DbSession, desk: CurrentDesk, now: Now
) -> HTMLResponse:
    """Coverage now, queue depth and breaches, volume against staffed hours, time to action."""
    data = overview.overview(session, actor=desk.user, site_id=desk.site_id, now=now)
    ctx = base_context(session, desk, now=now, active="overview")
    ctx.update(o=data, labels=overview.COVERAGE_LABELS)
    return page(request, "dashboard/overview.html", ctx)


@router.get("/overview/volume.csv")
def volume_csv(session: DbSession, desk: CurrentDesk, now: Now) -> Response:
    """Comment and report volume by hour of the week, with the staffed level, as CSV."""
    text = overview.volume_csv(session, actor=desk.user, site_id=desk.site_id, now=now)
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="volume-by-hour.csv"'},
    )


def _zones(current: str) -> list[str]:
    zones = list(COMMON_ZONES)
    if current not in zones:
        zones.insert(0, current)
    return zones


def _schedule_page(
    request: Request,
    session: Session,
    desk: Desk,
    *,
    now: datetime,
    draft: dict[str, Any] | None = None,
    error: InvalidInput | None = None,
    preview: staffing.Schedule | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    site = stories_service.get_site(session, site_id=desk.site_id)
    stored = staffing.site_schedule(site)
    shown = draft if draft is not None else staffing.schedule_to_json(stored)
    errors: dict[str, str] = {}
    if error is not None:
        for f in error.data.get("fields") or []:
            errors.setdefault(str(f.get("field")), str(f.get("message")))
    ctx = base_context(session, desk, now=now, active="schedule")
    ctx.update(
        s=shown,
        errors=errors,
        error=error.message if error else None,
        saved=request.query_params.get("saved") == "1",
        zones=_zones(str(shown.get("timezone") or stored.timezone)),
        days=DAY_NAMES,
        levels=overview.COVERAGE_LABELS,
        week=overview.week_grid(preview or stored, now=now),
        previewing=preview is not None,
    )
    return page(request, "dashboard/schedule.html", ctx, status_code=status_code)


@router.get("/schedule")
def schedule_editor(
    request: Request, session: DbSession, desk: CurrentDesk, now: Now
) -> HTMLResponse:
    """Edit the staffed hours: time zone, default, weekly blocks and dated exceptions (admins)."""
    require_admin(desk)
    return _schedule_page(request, session, desk, now=now)


def _draft_from_form(form: Any) -> dict[str, Any]:
    """The schedule's JSON form from the editor's fields, in the order the rows were shown."""
    blocks = []
    for index in form.getlist("block")[:MAX_FORM_ROWS]:
        if not str(index).isdigit():
            continue
        blocks.append(
            {
                "days": [d for d in form.getlist(f"b{index}_days") if d in staffing.DAYS],
                "start": str(form.get(f"b{index}_start") or "").strip(),
                "end": str(form.get(f"b{index}_end") or "").strip(),
                "coverage": str(form.get(f"b{index}_coverage") or ""),
            }
        )
    dates = form.getlist("ex_date")[:MAX_FORM_ROWS]
    levels = form.getlist("ex_coverage")[:MAX_FORM_ROWS]
    exceptions = [
        {"date": str(d).strip(), "coverage": str(c)}
        for d, c in zip(dates, levels, strict=False)
        if str(d).strip()
    ]
    return {
        "timezone": str(form.get("timezone") or "").strip(),
        "default": str(form.get("default") or ""),
        "weekly": blocks,
        "exceptions": exceptions,
    }


@router.post("/schedule")
async def save_schedule(
    request: Request, session: DbSession, desk: WritingDesk, now: Now, bus: BusDep
) -> Response:
    """Save the schedule through the staffing service, or show the errors beside their rows."""
    require_admin(desk)
    form = await request.form()
    draft = _draft_from_form(form)
    try:
        if form.get("intent") == "preview":
            schedule = staffing.parse_schedule(draft)
            return _schedule_page(request, session, desk, now=now, draft=draft, preview=schedule)
        staffing.put_schedule(session, actor=desk.user, site_id=desk.site_id, data=draft, now=now)
    except InvalidInput as exc:
        session.rollback()
        return _schedule_page(
            request, session, desk, now=now, draft=draft, error=exc, status_code=exc.status_code
        )
    except BelowlineError:
        session.rollback()
        raise
    commit(session, bus)
    return RedirectResponse("/moderate/schedule?saved=1", status_code=303)
