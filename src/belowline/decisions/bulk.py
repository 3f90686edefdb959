"""Bulk decisions: approve or remove a selection in one transaction, all of it or none of it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from belowline.accounts.models import User
from belowline.decisions.models import Decision
from belowline.decisions.service import BULK_ACTIONS, BULK_MAX, DecisionRequest, decide
from belowline.errors import BelowlineError, ErrorCode, InvalidInput


def bulk_decide(
    session: Session,
    *,
    actor: User,
    comment_ids: list[int],
    request: DecisionRequest,
    now: datetime,
) -> list[Decision]:
    """Approve or remove a selection in one transaction: all of it, or none of it."""
    if request.action not in BULK_ACTIONS:
        raise InvalidInput(
            "Bulk decisions can only approve or remove.",
            code=ErrorCode.VALIDATION_ERROR,
            fields=[{"field": "action", "message": "approve or remove"}],
        )
    ids = list(dict.fromkeys(comment_ids))
    if not ids or len(ids) > BULK_MAX:
        raise InvalidInput(
            f"Select between 1 and {BULK_MAX} comments.",
            code=ErrorCode.VALIDATION_ERROR,
            fields=[{"field": "comment_ids", "message": f"1 to {BULK_MAX} ids"}],
        )
    single = DecisionRequest(
        action=request.action, rule_id=request.rule_id, note=request.note, message=request.message
    )
    decisions = []
    for comment_id in ids:
        try:
            decisions.append(
                decide(session, actor=actor, comment_id=comment_id, request=single, now=now)
            )
        except BelowlineError as exc:
            exc.data.setdefault("comment_id", comment_id)
            exc.message = f"Comment {comment_id}: {exc.message} Nothing was changed."
            raise
    return decisions
