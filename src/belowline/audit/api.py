"""Audit log routes (admins): JSON and CSV, filtered."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response

from belowline.audit import service as audit
from belowline.ids import RowId
from belowline.web.deps import DbSession
from belowline.web.staff import StaffUser

router = APIRouter(prefix="/api/v1", tags=["audit"])


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


class AuditFilters:
    """The audit log's filters, shared by the JSON and CSV routes."""

    def __init__(
        self,
        site_id: str | None = Query(default=None, max_length=64),
        action: str | None = Query(default=None, max_length=32),
        actor_id: RowId | None = None,
        target_type: str | None = Query(default=None, max_length=16),
        target_id: str | None = Query(default=None, max_length=64),
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> None:
        self.site_id = site_id
        self.action = action
        self.actor_id = actor_id
        self.target_type = target_type
        self.target_id = target_id
        self.since = since
        self.until = until


def _entries(
    session: DbSession, user: StaffUser, f: AuditFilters, before_id: RowId | None, limit: int
) -> list[audit.AuditEntry]:
    return audit.list_entries(
        session,
        actor=user,
        site_id=f.site_id or user.site_id,
        action=f.action,
        actor_id=f.actor_id,
        target_type=f.target_type,
        target_id=f.target_id,
        since=_utc(f.since),
        until=_utc(f.until),
        before_id=before_id,
        limit=limit,
    )


@router.get("/moderation/audit")
def audit_log(
    session: DbSession,
    user: StaffUser,
    filters: Annotated[AuditFilters, Depends()],
    before_id: RowId | None = None,
    limit: int = Query(default=100, ge=1, le=500),
) -> dict[str, Any]:
    """The audit log, newest first (admins); page with `before_id`."""
    items = [audit.entry_view(e) for e in _entries(session, user, filters, before_id, limit)]
    return {"items": items, "next_before_id": items[-1]["id"] if len(items) == limit else None}


@router.get(
    "/moderation/audit.csv",
    response_class=Response,
    responses={
        200: {
            "description": "The audit log as CSV",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    },
)
def audit_csv(
    session: DbSession,
    user: StaffUser,
    filters: Annotated[AuditFilters, Depends()],
    limit: int = Query(default=10_000, ge=1, le=100_000),
) -> Response:
    """The audit log as CSV (admins)."""
    entries = _entries(session, user, filters, None, limit)
    return Response(
        audit.to_csv(entries),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="audit-log.csv"'},
    )
