"""Appeal routes: the affected person files one; moderators list and resolve them."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from belowline.appeals import service as appeals
from belowline.appeals import views as appeal_views
from belowline.ids import RowId
from belowline.web.deps import BusDep, CurrentUser, DbSession, Now, commit, rate_limit
from belowline.web.staff import StaffUser

router = APIRouter(prefix="/api/v1", tags=["appeals"])


class AppealIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    decision_id: RowId | None = None
    sanction_id: RowId | None = None
    statement: str | None = Field(default=None, max_length=20_000)  # the service says 1000


class ResolveIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    outcome: str = Field(max_length=16)
    note: str | None = Field(default=None, max_length=5000)


@router.post("/me/appeals", status_code=201, tags=["me"])
def file_appeal(
    body: AppealIn, request: Request, session: DbSession, user: CurrentUser, now: Now, bus: BusDep
) -> dict[str, Any]:
    """Ask for a review of a decision about one's comment, or a sanction on one's account."""
    rate_limit(request, "10/minute", "appeal", str(user.id))
    appeal = appeals.file_appeal(
        session,
        appellant=user,
        decision_id=body.decision_id,
        sanction_id=body.sanction_id,
        statement=body.statement,
        now=now,
    )
    out = appeal_views.own_view(appeal)
    commit(session, bus)
    return out


@router.get("/me/appeals", tags=["me"])
def my_appeals(session: DbSession, user: CurrentUser) -> dict[str, Any]:
    """The signed-in user's appeals and their outcomes."""
    return {"items": [appeal_views.own_view(a) for a in appeals.my_appeals(session, user=user)]}


@router.get("/moderation/appeals")
def list_appeals(
    session: DbSession,
    user: StaffUser,
    site_id: str | None = Query(default=None, max_length=64),
    status: str | None = Query(default="open", max_length=16),
    limit: int = Query(default=100, ge=1, le=500),
) -> dict[str, Any]:
    """The site's appeals with the decision, its author and the comment (moderators)."""
    rows = appeals.list_appeals(
        session,
        actor=user,
        site_id=site_id or user.site_id,
        status=None if status == "all" else status,
        limit=limit,
    )
    return {"items": [appeal_views.staff_view(session, a) for a in rows]}


@router.post("/moderation/appeals/{appeal_id}/resolve")
def resolve_appeal(
    appeal_id: RowId, body: ResolveIn, session: DbSession, user: StaffUser, now: Now, bus: BusDep
) -> dict[str, Any]:
    """Uphold or overturn an appeal (never by the moderator who took the decision)."""
    appeal = appeals.resolve(
        session, actor=user, appeal_id=appeal_id, outcome=body.outcome, note=body.note, now=now
    )
    out = appeal_views.staff_view(session, appeal)
    commit(session, bus)
    return out
