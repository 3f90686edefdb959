"""How a report looks to moderators."""

from __future__ import annotations

from typing import Any

from belowline.comments.views import iso
from belowline.reports.models import Report


def report_view(report: Report, reporter_name: str) -> dict[str, Any]:
    return {
        "id": report.id,
        "reason": report.reason,
        "detail": report.detail,
        "weight": report.weight,
        "status": report.status,
        "reporter": {"id": report.reporter_id, "display_name": reporter_name},
        "created_at": iso(report.created_at),
    }
