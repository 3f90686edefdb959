"""Readers' report route: "Report this comment"."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from belowline.comments.views import iso
from belowline.ids import RowId
from belowline.reports import service as reports
from belowline.reports.schemas import ReportIn
from belowline.web.deps import (
    BusDep,
    CurrentUser,
    DbSession,
    Now,
    SettingsDep,
    commit,
    rate_limit,
)

router = APIRouter(prefix="/api/v1", tags=["reports"])


@router.post("/comments/{comment_id}/reports", status_code=201)
def report_comment(
    comment_id: RowId,
    body: ReportIn,
    request: Request,
    session: DbSession,
    user: CurrentUser,
    settings: SettingsDep,
    now: Now,
    bus: BusDep,
) -> dict[str, Any]:
    """Report a comment to the moderators (one report per reader per comment)."""
    rate_limit(request, settings.rate_limit_reports, "report", str(user.id))
    report = reports.report_comment(
        session,
        comment_id=comment_id,
        reporter=user,
        reason=body.reason,
        detail=body.detail,
        now=now,
    )
    out = {
        "id": report.id,
        "comment_id": report.comment_id,
        "reason": report.reason,
        "received_at": iso(report.created_at),
        "message": reports.RECEIPT,
    }
    commit(session, bus)
    return out
