"""`GET /api/v1/sites/{site_id}/transparency` (JSON or CSV) and the DSA statements export."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response

from belowline.transparency import service, statements
from belowline.web.deps import CurrentUser, DbSession

router = APIRouter(prefix="/api/v1/sites/{site_id}", tags=["transparency"])
DateQuery = Query(default=None, alias="from", max_length=10)


@router.get(
    "/transparency",
    response_model=None,
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}},  # ?format=csv
)
def transparency(
    site_id: str,
    session: DbSession,
    actor: CurrentUser,
    start: str | None = DateQuery,
    end: str | None = Query(default=None, alias="to", max_length=10),
    format: Literal["json", "csv"] = "json",
) -> dict[str, Any] | Response:
    """The period's figures (admins); `format=csv` for a spreadsheet."""
    first, last = service.parse_period(start, end)
    figures = service.report(session, actor=actor, site_id=site_id, first=first, last=last)
    if format == "csv":
        name = f"transparency-{site_id}-{first}-{last}.csv"
        return Response(
            service.to_csv(figures),
            media_type="text/csv; charset=utf-8",
            headers={"content-disposition": f'attachment; filename="{name}"'},
        )
    return figures


@router.get("/transparency/statements")
def statements_export(
    site_id: str,
    session: DbSession,
    actor: CurrentUser,
    start: str | None = DateQuery,
    end: str | None = Query(default=None, alias="to", max_length=10),
) -> dict[str, Any]:
    """Statements of reasons in the DSA Transparency Database's schema, no personal data."""
    first, last = service.parse_period(start, end)
    return statements.export(session, actor=actor, site_id=site_id, first=first, last=last)
