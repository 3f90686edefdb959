"""The signed-in user's inbox: statements of reasons and other notices."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from belowline.ids import RowId
from belowline.notifications import service as notifications_service
from belowline.web.deps import BusDep, CurrentUser, DbSession, Now, commit

router = APIRouter(prefix="/api/v1/me", tags=["me"])


@router.get("/notifications")
def list_notifications(
    session: DbSession,
    user: CurrentUser,
    unread: bool = False,
    before_id: RowId | None = None,
    limit: int = Query(default=50, ge=1, le=200),
) -> dict[str, Any]:
    """The user's notices, newest first, with the unread count for the badge."""
    notes = notifications_service.inbox(
        session, user=user, unread_only=unread, before_id=before_id, limit=limit
    )
    items = [notifications_service.notification_view(n) for n in notes]
    return {
        "items": items,
        "unread_count": notifications_service.unread_count(session, user=user),
        "next_before_id": items[-1]["id"] if len(items) == limit else None,
    }


@router.get("/notifications/unread-count")
def unread_count(session: DbSession, user: CurrentUser) -> dict[str, int]:
    """How many notices are unread (the widget's badge)."""
    return {"unread_count": notifications_service.unread_count(session, user=user)}


@router.post("/notifications/{notification_id}/read")
def mark_read(
    notification_id: RowId, session: DbSession, user: CurrentUser, now: Now, bus: BusDep
) -> dict[str, Any]:
    """Mark one notice read."""
    note = notifications_service.mark_read(
        session, user=user, notification_id=notification_id, now=now
    )
    out = notifications_service.notification_view(note)
    commit(session, bus)
    return out


@router.post("/notifications/read-all")
def mark_all_read(session: DbSession, user: CurrentUser, now: Now, bus: BusDep) -> dict[str, int]:
    """Mark every notice read."""
    changed = notifications_service.mark_all_read(session, user=user, now=now)
    commit(session, bus)
    return {"marked": changed, "unread_count": 0}
