"""The dashboard's Transparency page (admins): the report's figures with inline SVG charts."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from belowline.dashboard.desk import CurrentDesk, DashboardRoute, base_context, page, require_admin
from belowline.transparency import service
from belowline.transparency.charts import bars
from belowline.web.deps import DbSession, Now

router = APIRouter(prefix="/moderate", route_class=DashboardRoute, include_in_schema=False)


@router.get("/transparency")
def transparency_page(
    request: Request,
    session: DbSession,
    desk: CurrentDesk,
    now: Now,
    start: str | None = Query(default=None, alias="from", max_length=10),
    end: str | None = Query(default=None, alias="to", max_length=10),
) -> HTMLResponse:
    """Figures for a period, the last 30 days unless chosen."""
    require_admin(desk)
    today = now.date()
    first, last = service.parse_period(
        start or (today - timedelta(days=29)).isoformat(), end or today.isoformat()
    )
    f = service.report(session, actor=desk.user, site_id=desk.site_id, first=first, last=last)
    tta = f["time_to_action"]
    charts = [
        bars("Reports by reason", f["reports"]["by_reason"]),
        bars("Reports by source", f["reports"]["by_source"]),
        bars("Decisions by action", f["decisions"]["by_action"]),
        bars("Decisions by rule", {r["title"]: r["count"] for r in f["decisions"]["by_rule"]}),
        bars(
            "Automated or human",
            {"automated": f["decisions"]["automated"], "human": f["decisions"]["human"]},
        ),
        bars(
            "Median hours to action, by queue",
            {q: t["median_hours"] or 0 for q, t in tta["by_queue"].items()},
            unit=" h",
        ),
        bars(
            "Median hours to action, by coverage",
            {c: t["median_hours"] or 0 for c, t in tta["by_coverage"].items()},
            unit=" h",
        ),
        bars("Appeals by outcome", f["appeals"]["by_outcome"]),
        bars("Sanctions by kind", f["sanctions"]["by_kind"]),
    ]
    query = f"from={first}&to={last}"
    ctx = base_context(session, desk, now=now, active="transparency")
    ctx.update(
        f=f,
        charts=charts,
        csv_url=f"/api/v1/sites/{desk.site_id}/transparency?{query}&format=csv",
        statements_url=f"/api/v1/sites/{desk.site_id}/transparency/statements?{query}",
    )
    return page(request, "dashboard/transparency.html", ctx)
