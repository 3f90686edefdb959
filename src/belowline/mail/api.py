"""A reader's email preferences: `GET|PUT /api/v1/me/preferences`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from belowline.mail import preferences
from belowline.mail.schemas import PreferencesIn
from belowline.web.deps import BusDep, CurrentUser, DbSession, Now, commit

router = APIRouter(prefix="/api/v1/me", tags=["me"])


@router.get("/preferences")
def get_preferences(session: DbSession, user: CurrentUser) -> dict[str, Any]:
    """Which emails the signed-in reader receives."""
    return preferences.get(session, user_id=user.id)


@router.put("/preferences")
def put_preferences(
    body: PreferencesIn, session: DbSession, user: CurrentUser, now: Now, bus: BusDep
) -> dict[str, Any]:
    """Change some of the reader's email preferences; the answer is all of them."""
    out = preferences.update(
        session, user_id=user.id, changes=body.model_dump(exclude_none=True), now=now
    )
    commit(session, bus)
    return out
