"""Decision routes: approve, amend, remove, restore — one or in bulk."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from belowline.comments import service as comments_service
from belowline.comments.staff_views import staff_comment
from belowline.decisions import bulk as decision_bulk
from belowline.decisions import service as decisions
from belowline.decisions.models import Decision
from belowline.decisions.schemas import BulkDecisionIn, DecisionIn
from belowline.decisions.views import decision_view
from belowline.ids import RowId
from belowline.web.deps import BusDep, DbSession, Now, commit
from belowline.web.staff import StaffUser

router = APIRouter(prefix="/api/v1", tags=["decisions"])


def _decision_out(session: DbSession, decision_id: int) -> dict[str, Any]:
    decision = session.get(Decision, decision_id)
    assert decision is not None  # noqa: S101 - just written in this transaction
    comment, story = comments_service.get_comment(session, comment_id=decision.comment_id)
    return {"decision": decision_view(decision), "comment": staff_comment(session, comment, story)}


@router.post("/moderation/comments/{comment_id}/decisions", status_code=201)
def decide(
    comment_id: RowId, body: DecisionIn, session: DbSession, user: StaffUser, now: Now, bus: BusDep
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
    made = decision_bulk.bulk_decide(
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
