"""Moderation routes about people: history, notes, sanctions, warnings, and the audit log."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response

from belowline.moderation import audit, history, sanctions
from belowline.moderation.deps import StaffUser
from belowline.moderation.schemas import LiftIn, NoteIn, SanctionIn
from belowline.moderation.views import sanction_view
from belowline.web.deps import BusDep, CurrentUser, DbSession, Now, commit

router = APIRouter()


@router.get("/moderation/users/{user_id}")
def user_history(user_id: int, session: DbSession, user: StaffUser, now: Now) -> dict[str, Any]:
    """A user's history for moderators: comments, removals, sanctions, notes and a summary."""
    return history.user_history(session, actor=user, user_id=user_id, now=now)


@router.post("/moderation/users/{user_id}", status_code=201)
def add_note(
    user_id: int, body: NoteIn, session: DbSession, user: StaffUser, now: Now, bus: BusDep
) -> dict[str, Any]:
    """Add an internal moderator note about a user."""
    note = history.add_note(session, actor=user, user_id=user_id, body=body.note, now=now)
    out = {"id": note.id, "user_id": note.user_id, "body": note.body}
    commit(session, bus)
    return out


@router.post("/moderation/users/{user_id}/sanctions", status_code=201)
def sanction_user(
    user_id: int, body: SanctionIn, session: DbSession, user: StaffUser, now: Now, bus: BusDep
) -> dict[str, Any]:
    """Warn, suspend, ban or pre-moderate a user under a rule."""
    sanction = sanctions.impose(
        session,
        actor=user,
        user_id=user_id,
        request=sanctions.SanctionRequest(
            kind=body.kind,
            rule_id=body.rule_id,
            until=body.until,
            note=body.note,
            message=body.message,
        ),
        now=now,
    )
    out = sanction_view(sanction)
    commit(session, bus)
    return out


@router.post("/moderation/users/{user_id}/sanctions/{sanction_id}/lift")
def lift_sanction(
    user_id: int,
    sanction_id: int,
    session: DbSession,
    user: StaffUser,
    now: Now,
    bus: BusDep,
    body: LiftIn | None = None,
) -> dict[str, Any]:
    """Lift a sanction early (admins)."""
    sanction = sanctions.lift(
        session,
        actor=user,
        user_id=user_id,
        sanction_id=sanction_id,
        note=body.note if body else None,
        now=now,
    )
    out = sanction_view(sanction)
    commit(session, bus)
    return out


@router.post("/me/warnings/{warning_id}/acknowledge", tags=["me"])
def acknowledge_warning(
    warning_id: int, session: DbSession, user: CurrentUser, now: Now, bus: BusDep
) -> dict[str, Any]:
    """Acknowledge a warning so posting is possible again."""
    warning = sanctions.acknowledge_warning(session, user=user, warning_id=warning_id, now=now)
    out = sanction_view(warning)
    commit(session, bus)
    return out


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
        actor_id: int | None = None,
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
    session: DbSession, user: StaffUser, f: AuditFilters, before_id: int | None, limit: int
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
    before_id: int | None = None,
    limit: int = Query(default=100, ge=1, le=500),
) -> dict[str, Any]:
    """The audit log, newest first (admins); page with `before_id`."""
    items = [audit.entry_view(e) for e in _entries(session, user, filters, before_id, limit)]
    return {"items": items, "next_before_id": items[-1]["id"] if len(items) == limit else None}


@router.get("/moderation/audit.csv")
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
