"""The dashboard's audit log page, with CSV export."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from belowline.audit import service as audit
from belowline.comments.staff_views import names
from belowline.dashboard.desk import (
    CurrentDesk,
    DashboardRoute,
    Desk,
    base_context,
    page,
    require_admin,
)
from belowline.errors import ErrorCode, InvalidInput
from belowline.ids import RowId
from belowline.web.deps import DbSession, Now

router = APIRouter(prefix="/moderate", route_class=DashboardRoute, include_in_schema=False)


PAGE_SIZE = 100


# Every action the audit log records, with the label the filter shows (checked by a test that
# reads every `audit.write` call in the code, so a new action cannot be left out).
ACTION_LABELS: dict[str, str] = {
    "comment.approve": "Comment approved",
    "comment.amend": "Comment amended",
    "comment.remove": "Comment removed",
    "comment.restore": "Comment restored",
    "comment.hold": "Comment held (automated)",
    "comment.feature": "Comment featured",
    "comment.unfeature": "Comment unfeatured",
    "report": "Report filed",
    "sanction.warn": "Warning",
    "sanction.suspend": "Suspension",
    "sanction.ban": "Ban",
    "sanction.premoderate": "Pre-moderation",
    "sanction.lift": "Sanction lifted",
    "sanction.acknowledge": "Warning acknowledged",
    "note": "Note on a person",
    "rules.publish": "Rules published",
    "appeal.file": "Appeal filed",
    "appeal.upheld": "Appeal: decision upheld",
    "appeal.overturned": "Appeal: decision overturned",
    "schedule.update": "Staffing schedule changed",
    "story.update": "Story opened, closed or pre-moderated",
    "qa.open": "Questions and answers opened",
    "qa.closed": "Questions and answers closed",
    "qa.off": "Questions and answers switched off",
    "qa.expert_add": "Expert named for questions",
    "qa.expert_remove": "Expert removed from questions",
    "qa.assign": "Question assigned",
    "qa.unassign": "Question unassigned",
    "qa.answer": "Question answered",
    "story.announce": "Announcement pinned",
    "story.unannounce": "Announcement removed",
    "webhook.create": "Webhook added",
    "webhook.delete": "Webhook removed",
    "privacy.export": "Personal data exported",
    "privacy.erase": "Personal data erased",
    "notice.received": "Notice received",
    "notice.action": "Notice decided: action taken",
    "notice.no_action": "Notice decided: no action",
    "notice.route.contact_poster": "Complaint: poster contacted",
    "notice.route.remove_on_notice": "Complaint: removed on notice",
    "notice.poster_told": "Complaint: poster told",
    "notice.poster_reply.remove": "Complaint: poster agreed to removal",
    "notice.poster_reply.object": "Complaint: poster objected",
    "notice.disclosed": "Complaint: poster identity disclosed",
    "site.update": "Site settings changed",
    "user.role": "Role changed",
    "user.deactivate": "Account deactivated",
    "user.reactivate": "Account reactivated",
    "user.invite": "Staff invited",
    "user.invite_accepted": "Invitation accepted",
}
ACTIONS = tuple(ACTION_LABELS)


def _day(value: str | None, field: str) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=UTC)
    except ValueError:
        raise InvalidInput(
            "Give dates as YYYY-MM-DD.",
            code=ErrorCode.VALIDATION_ERROR,
            fields=[{"field": field, "message": "not a date"}],
        ) from None


class AuditFilters:
    """The audit page's filters, read from the query string."""

    def __init__(
        self,
        action: str | None = Query(default=None, max_length=32),
        actor_id: RowId | None = Query(default=None),
        target_type: str | None = Query(default=None, max_length=16),
        target_id: str | None = Query(default=None, max_length=64),
        since: str | None = Query(default=None, max_length=10),
        until: str | None = Query(default=None, max_length=10),
    ) -> None:
        self.action = action or None
        self.actor_id = actor_id
        self.target_type = target_type or None
        self.target_id = target_id or None
        self.since = since or None
        self.until = until or None

    def query(self) -> dict[str, Any]:
        return {k: v for k, v in vars(self).items() if v not in (None, "")}

    def entries(
        self, session: Session, desk: Desk, *, before_id: int | None, limit: int
    ) -> list[audit.AuditEntry]:
        return audit.list_entries(
            session,
            actor=desk.user,
            site_id=desk.site_id,
            action=self.action,
            actor_id=self.actor_id,
            target_type=self.target_type,
            target_id=self.target_id,
            since=_day(self.since, "since"),
            until=_day(self.until, "until"),
            before_id=before_id,
            limit=limit,
        )


Filters = Annotated[AuditFilters, Depends()]


@router.get("/audit")
def audit_page(
    request: Request,
    session: DbSession,
    desk: CurrentDesk,
    now: Now,
    filters: Filters,
    before_id: RowId | None = Query(default=None),
) -> HTMLResponse:
    """The audit log, newest first, filtered (admins)."""
    require_admin(desk)
    entries = filters.entries(session, desk, before_id=before_id, limit=PAGE_SIZE)
    who = names(session, {e.actor_id for e in entries if e.actor_id})
    ctx = base_context(session, desk, now=now, active="audit")
    query = filters.query()
    ctx.update(
        entries=[{**audit.entry_view(e), "actor_name": who.get(e.actor_id or 0)} for e in entries],
        f=query,
        actions=ACTIONS,
        action_labels=ACTION_LABELS,
        csv_url="/moderate/audit.csv" + (f"?{urlencode(query)}" if query else ""),
        next_url=(
            "/moderate/audit?" + urlencode({**query, "before_id": entries[-1].id})
            if len(entries) == PAGE_SIZE
            else None
        ),
    )
    return page(request, "dashboard/audit.html", ctx)


@router.get("/audit.csv")
def audit_csv(
    session: DbSession,
    desk: CurrentDesk,
    filters: Filters,
) -> Response:
    """The filtered audit log as CSV (admins)."""
    require_admin(desk)
    entries = filters.entries(session, desk, before_id=None, limit=100_000)
    return Response(
        audit.to_csv(entries),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="audit-log.csv"'},
    )
