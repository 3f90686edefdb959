"""Queue routes: Reported, Flagged, Held and Decided as JSON."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from belowline.queues import service as queues
from belowline.web.deps import DbSession, Now
from belowline.web.staff import StaffUser

router = APIRouter(prefix="/api/v1", tags=["queues"])


@router.get("/moderation/queues/{queue}")
def list_queue(
    queue: str,
    session: DbSession,
    user: StaffUser,
    now: Now,
    site_id: str | None = Query(default=None, max_length=64),
    story_id: str | None = Query(default=None, max_length=200),
    reason: str | None = Query(default=None, max_length=32),
    limit: int = Query(default=50, ge=1, le=200),
) -> dict[str, Any]:
    """A queue's open items (reported, flagged, held) or recent decisions (decided)."""
    listing = queues.list_queue(
        session,
        actor=user,
        queue=queue,
        now=now,
        site_id=site_id,
        story_id=story_id,
        reason=reason,
        limit=limit,
    )
    session.commit()  # keep the re-ranked order, so the next load shows the same one
    return listing
