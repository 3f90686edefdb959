"""Moderation routes: reports, queues and decisions (users, sanctions, audit in users_api)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request

from belowline.comments import service as comments_service
from belowline.comments.views import iso
from belowline.moderation import appeals_api, decisions, queues, reports, users_api
from belowline.moderation.deps import StaffUser
from belowline.moderation.models import Decision
from belowline.moderation.schemas import BulkDecisionIn, DecisionIn, ReportIn
from belowline.moderation.views import decision_view, staff_comment
from belowline.web.deps import BusDep, CurrentUser, DbSession, Now, commit, rate_limit

router = APIRouter(prefix="/api/v1", tags=["moderation"])


@router.post("/comments/{comment_id}/reports", status_code=201)
def report_comment(
    comment_id: int,
    body: ReportIn,
    request: Request,
    session: DbSession,
    user: CurrentUser,
    now: Now,
    bus: BusDep,
) -> dict[str, Any]:
    """Report a comment to the moderators (one report per reader per comment)."""
    rate_limit(request, "30/minute", "report", str(user.id))
    report = reports.report_comment(
        session,
        comment_id=comment_id,
        reporter=user,
        reason=body.reason,
        detail=body.detail,
        now=now,
    )
    out = {
        "id": report.id,
        "comment_id": report.comment_id,
        "reason": report.reason,
        "received_at": iso(report.created_at),
        "message": reports.RECEIPT,
    }
    commit(session, bus)
    return out


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
    return queues.list_queue(
        session,
        actor=user,
        queue=queue,
        now=now,
        site_id=site_id,
        story_id=story_id,
        reason=reason,
        limit=limit,
    )


def _decision_out(session: DbSession, decision_id: int) -> dict[str, Any]:
    decision = session.get(Decision, decision_id)
    assert decision is not None  # noqa: S101 - just written in this transaction
    comment, story = comments_service.get_comment(session, comment_id=decision.comment_id)
    return {"decision": decision_view(decision), "comment": staff_comment(session, comment, story)}


@router.post("/moderation/comments/{comment_id}/decisions", status_code=201)
def decide(
    comment_id: int, body: DecisionIn, session: DbSession, user: StaffUser, now: Now, bus: BusDep
) -> dict[str, Any]:
    """Approve, amend, remove or restore a comment, citing a rule."""
    decision = decisions.decide(
        session,
        actor=user,
        comment_id=comment_id,
        request=decisions.DecisionRequest(
            action=body.action,
            rule_id=body.rule_id,
            body=body.body,
            note=body.note,
            message=body.message,
            expected_version=body.expected_version,
        ),
        now=now,
    )
    out = _decision_out(session, decision.id)
    commit(session, bus)
    return out


@router.post("/moderation/bulk-decisions")
def bulk_decide(
    body: BulkDecisionIn, session: DbSession, user: StaffUser, now: Now, bus: BusDep
) -> dict[str, Any]:
    """Approve or remove a selection of comments: all of them, or none if one fails."""
    made = decisions.bulk_decide(
        session,
        actor=user,
        comment_ids=body.comment_ids,
        request=decisions.DecisionRequest(
            action=body.action, rule_id=body.rule_id, note=body.note, message=body.message
        ),
        now=now,
    )
    out = {"decisions": [decision_view(d) for d in made]}
    commit(session, bus)
    return out


router.include_router(users_api.router)
router.include_router(appeals_api.router)
