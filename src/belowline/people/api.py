"""Routes about people: a person's record and moderators' notes."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from belowline.ids import RowId
from belowline.people import history
from belowline.people.schemas import NoteIn
from belowline.web.deps import BusDep, DbSession, Now, commit
from belowline.web.staff import StaffUser

router = APIRouter(prefix="/api/v1", tags=["people"])


@router.get("/moderation/users/{user_id}")
def user_history(user_id: RowId, session: DbSession, user: StaffUser, now: Now) -> dict[str, Any]:
    """A user's history for moderators: comments, removals, sanctions, notes and a summary."""
    return history.user_history(session, actor=user, user_id=user_id, now=now)


@router.post("/moderation/users/{user_id}", status_code=201)
def add_note(
    user_id: RowId, body: NoteIn, session: DbSession, user: StaffUser, now: Now, bus: BusDep
) -> dict[str, Any]:
    """Add an internal moderator note about a user."""
    note = history.add_note(session, actor=user, user_id=user_id, body=body.note, now=now)
    out = {"id": note.id, "user_id": note.user_id, "body": note.body}
    commit(session, bus)
    return out
