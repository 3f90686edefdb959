"""Sanction routes: impose, lift, and a warned reader's acknowledgement."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from belowline.ids import RowId
from belowline.sanctions import service as sanctions
from belowline.sanctions.schemas import LiftIn, SanctionIn
from belowline.sanctions.views import sanction_view
from belowline.web.deps import BusDep, CurrentUser, DbSession, Now, commit
from belowline.web.staff import StaffUser

router = APIRouter(prefix="/api/v1", tags=["sanctions"])


@router.post("/moderation/users/{user_id}/sanctions", status_code=201)
def sanction_user(
    user_id: RowId, body: SanctionIn, session: DbSession, user: StaffUser, now: Now, bus: BusDep
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
    user_id: RowId,
    sanction_id: RowId,
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
    warning_id: RowId, session: DbSession, user: CurrentUser, now: Now, bus: BusDep
) -> dict[str, Any]:
    """Acknowledge a warning so posting is possible again."""
    warning = sanctions.acknowledge_warning(session, user=user, warning_id=warning_id, now=now)
    out = sanction_view(warning)
    commit(session, bus)
    return out
