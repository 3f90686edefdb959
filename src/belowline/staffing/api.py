"""Staffing routes: the schedule (admins), coverage now, queue figures and the volume chart."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Response

from belowline import permissions
from belowline.dashboard import charts as dashboard_charts
from belowline.errors import NotFound
from belowline.learning import service as learning
from belowline.permissions import require
from belowline.staffing import schedule as staffing
from belowline.staffing import sla
from belowline.stories import service as stories_service
from belowline.web.deps import BusDep, CurrentUser, DbSession, Now, commit

router = APIRouter(prefix="/api/v1/sites/{site_id}/moderation", tags=["moderation"])


@router.get("/schedule")
def get_schedule(site_id: str, session: DbSession, user: CurrentUser) -> dict[str, Any]:
    """The site's staffing schedule (admins)."""
    return staffing.get_schedule(session, actor=user, site_id=site_id)


@router.put("/schedule")
def put_schedule(
    site_id: str,
    session: DbSession,
    user: CurrentUser,
    now: Now,
    bus: BusDep,
    body: dict[str, Any] = Body(...),
) -> dict[str, Any]:
    """Replace the site's staffing schedule (admins)."""
    out = staffing.put_schedule(session, actor=user, site_id=site_id, data=body, now=now)
    commit(session, bus)
    return out


@router.get("/coverage")
def get_coverage(site_id: str, session: DbSession, user: CurrentUser, now: Now) -> dict[str, Any]:
    """Who is watching now, until when, and the banner line (the site's staff)."""
    return staffing.coverage_view(session, actor=user, site_id=site_id, now=now)


@router.get("/figures")
def get_figures(site_id: str, session: DbSession, user: CurrentUser, now: Now) -> dict[str, Any]:
    """Queue depth and breaches now; volume by hour of the week against staffed hours."""
    return sla.figures(session, actor=user, site_id=site_id, now=now)


@router.get(
    "/charts/volume.svg",
    response_class=Response,
    responses={
        200: {
            "description": "An SVG chart",
            "content": {"image/svg+xml": {"schema": {"type": "string"}}},
        }
    },
)
def volume_chart_svg(site_id: str, session: DbSession, user: CurrentUser, now: Now) -> Response:
    """The volume figures as an SVG chart (admins)."""
    site = stories_service.get_site(session, site_id=site_id)
    require(permissions.can_administer, user, site.id)
    data = sla.figures(session, actor=user, site_id=site.id, now=now)
    return Response(
        dashboard_charts.volume_svg(data),
        media_type="image/svg+xml",
        headers={"Cache-Control": "no-store"},
    )


@router.get(
    "/charts/volume.png",
    response_class=Response,
    responses={
        200: {
            "description": "A PNG chart",
            "content": {"image/png": {"schema": {"type": "string"}}},
        }
    },
)
def volume_chart(site_id: str, session: DbSession, user: CurrentUser, now: Now) -> Response:
    """The volume figures as a PNG chart (admins; installs with the ``train`` extra)."""
    site = stories_service.get_site(session, site_id=site_id)
    require(permissions.can_administer, user, site.id)
    if not dashboard_charts.png_available():
        raise NotFound(
            "PNG charts need matplotlib: pip install 'belowline[train]'. "
            "charts/volume.svg draws the same chart."
        )
    data = sla.figures(session, actor=user, site_id=site.id, now=now)
    return Response(
        dashboard_charts.volume_png(data),
        media_type="image/png",
        headers={"Cache-Control": "no-store"},
    )


@router.get("/triage-model")
def triage_model(site_id: str, session: DbSession, user: CurrentUser) -> dict[str, Any]:
    """The site's current abuse model and its recent training runs (the site's staff)."""
    site = stories_service.get_site(session, site_id=site_id)
    require(permissions.can_moderate, user, site.id)
    return learning.model_view(session, site=site)
