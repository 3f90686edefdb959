"""Repeat offenders: a ladder of automatic steps after repeated removals.

Each rung is {"removals": N, "within_days": D, "premoderate_days": P, "prompt_suspension":
bool}: when a removal brings a user's removals in the last D days to N or more, they are
pre-moderated for P days (an automated sanction with a statement of reasons) and, if asked,
a flag on their record prompts moderators to consider a suspension. Only people suspend.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from belowline.accounts import service as accounts_service
from belowline.comments.models import Comment, CommentStatus
from belowline.comments.views import iso
from belowline.decisions.models import Decision, DecisionAction
from belowline.policy.config import policy_config
from belowline.policy.models import UserFlag
from belowline.sanctions import service as sanctions
from belowline.sanctions.models import SanctionKind
from belowline.stories.models import Site

CONSIDER_SUSPENSION = "consider_suspension"


def recent_removals(session: Session, *, user_id: int, since: datetime) -> int:
    """Comments by the user removed by a decision since `since` and still removed."""
    return int(
        session.scalar(
            select(func.count(func.distinct(Decision.comment_id)))
            .join(Comment, Comment.id == Decision.comment_id)
            .where(
                Decision.author_id == user_id,
                Decision.action == DecisionAction.REMOVE,
                Decision.created_at >= since,
                Comment.status == CommentStatus.REMOVED,
            )
        )
        or 0
    )


def _premoderated(session: Session, *, user_id: int, now: datetime) -> bool:
    return any(
        s.kind == SanctionKind.PREMODERATE
        for s in sanctions.active_sanctions(session, user_id=user_id, now=now)
    )


def after_removal(session: Session, *, comment: Comment, rule_key: str, now: datetime) -> None:
    """Climb the ladder for the comment's author after a removal."""
    site = session.get(Site, comment.site_id)
    assert site is not None  # noqa: S101 - the comment's site exists
    user = accounts_service.get_user(session, user_id=comment.author_id)
    if user.is_staff:
        return
    ladder = sorted(
        policy_config(site).get("repeat_offenders") or [], key=lambda r: -int(r["removals"])
    )
    for rung in ladder:
        days = int(rung.get("within_days", 30))
        count = recent_removals(session, user_id=user.id, since=now - timedelta(days=days))
        if count < int(rung["removals"]):
            continue
        reason = f"{count} comments removed in the last {days} days"
        premod_days = rung.get("premoderate_days")
        if premod_days and not _premoderated(session, user_id=user.id, now=now):
            sanctions.impose(
                session,
                actor=None,
                user_id=user.id,
                request=sanctions.SanctionRequest(
                    kind=SanctionKind.PREMODERATE.value,
                    rule_id=rule_key,
                    until=now + timedelta(days=int(premod_days)),
                    note=f"Automatic: {reason}.",
                    message=f"{reason.capitalize()}, so for the next {int(premod_days)} days "
                    "a moderator will check your comments before they appear.",
                ),
                now=now,
            )
        if rung.get("prompt_suspension") and not open_flags(session, user_id=user.id):
            session.add(
                UserFlag(
                    site_id=user.site_id,
                    user_id=user.id,
                    kind=CONSIDER_SUSPENSION,
                    reason=f"Consider a suspension: {reason}.",
                    created_at=now,
                )
            )
            session.flush()
        return


def open_flags(session: Session, *, user_id: int) -> list[UserFlag]:
    """The prompts on a user's record that nobody has resolved yet."""
    return list(
        session.scalars(
            select(UserFlag)
            .where(UserFlag.user_id == user_id, UserFlag.resolved_at.is_(None))
            .order_by(UserFlag.id)
        ).all()
    )


def flags_view(session: Session, *, user_id: int) -> list[dict[str, Any]]:
    """Open prompts for the user's history page."""
    return [
        {"id": f.id, "kind": f.kind, "reason": f.reason, "created_at": iso(f.created_at)}
        for f in open_flags(session, user_id=user_id)
    ]
