"""Appeals: the affected person contests a decision or sanction; a different moderator decides.

Invariants: one appeal per decision or sanction, filed by the person it affected within
APPEAL_DAYS, while the decision still stands; the moderator who took the decision (and the
appellant) cannot resolve it; overturning goes through the decision and sanction services, so
the comment comes back (or the sanction is lifted) with its own audit entry, statement and live
update; filing and resolving are audited and the outcome reaches the appellant's inbox.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from belowline import events, permissions
from belowline.accounts.models import User
from belowline.appeals.models import Appeal, AppealStatus
from belowline.appeals.views import decided_by
from belowline.audit import service as audit
from belowline.decisions import service as decisions
from belowline.decisions.models import Decision, DecisionAction
from belowline.decisions.statements import when
from belowline.errors import Conflict, ErrorCode, Forbidden, InvalidInput, NotFound
from belowline.mail.readers import email_notice
from belowline.mail.service import MailCategory
from belowline.notifications import service as notifications_service
from belowline.notifications.models import NotificationKind
from belowline.permissions import require
from belowline.sanctions import service as sanctions
from belowline.sanctions.models import Sanction
from belowline.textfields import clean_note

APPEAL_DAYS = 14
STATEMENT_MAX = 1000
# Decisions that went against the author; approving or restoring leaves nothing to contest.
APPEALABLE = (DecisionAction.REMOVE, DecisionAction.AMEND, DecisionAction.HOLD)
# How an overturned decision is reversed.
REVERSAL = {
    DecisionAction.REMOVE: DecisionAction.RESTORE,
    DecisionAction.AMEND: DecisionAction.RESTORE,
    DecisionAction.HOLD: DecisionAction.APPROVE,
}


class Outcome(StrEnum):
    UPHELD = "upheld"
    OVERTURNED = "overturned"


def _statement_text(text: str | None) -> str:
    cleaned = (text or "").strip()
    if not cleaned:
        raise InvalidInput(
            "Say in a few words why the decision should be reviewed.",
            code=ErrorCode.VALIDATION_ERROR,
            fields=[{"field": "statement", "message": "required"}],
        )
    if len(cleaned) > STATEMENT_MAX:
        raise InvalidInput(
            f"Keep your statement to {STATEMENT_MAX} characters.",
            code=ErrorCode.VALIDATION_ERROR,
            fields=[{"field": "statement", "message": f"at most {STATEMENT_MAX} characters"}],
        )
    return cleaned


def _subject(
    session: Session, *, decision_id: int | None, sanction_id: int | None
) -> Decision | Sanction:
    if (decision_id is None) == (sanction_id is None):
        raise InvalidInput(
            "Appeal one decision or one sanction: give decision_id or sanction_id.",
            code=ErrorCode.VALIDATION_ERROR,
            fields=[{"field": "decision_id", "message": "exactly one of decision_id, sanction_id"}],
        )
    subject: Decision | Sanction | None = (
        session.get(Decision, decision_id)
        if decision_id is not None
        else session.get(Sanction, sanction_id)
    )
    if subject is None:
        raise NotFound("There is no such decision.", code=ErrorCode.NOT_FOUND)
    return subject


def _affected(subject: Decision | Sanction) -> int:
    return subject.author_id if isinstance(subject, Decision) else subject.user_id


def _check_appealable(session: Session, subject: Decision | Sanction, now: datetime) -> None:
    if isinstance(subject, Decision):
        if subject.action not in APPEALABLE:
            raise Conflict(
                "Only a removal, an amendment or a hold can be appealed.",
                code=ErrorCode.NOT_APPEALABLE,
            )
        latest = decisions.latest_decision(session, comment_id=subject.comment_id)
        if latest is not None and latest.id != subject.id:
            raise Conflict(
                "This decision has since been changed, so there is nothing left to appeal.",
                code=ErrorCode.NOT_APPEALABLE,
            )
    elif subject.lifted_at is not None:
        raise Conflict("This sanction has already been lifted.", code=ErrorCode.NOT_APPEALABLE)
    if now > subject.created_at + timedelta(days=APPEAL_DAYS):
        raise Forbidden(
            f"Decisions can be appealed for {APPEAL_DAYS} days; this one was taken on "
            f"{when(subject.created_at)}.",
            code=ErrorCode.APPEAL_WINDOW_CLOSED,
        )


def file_appeal(
    session: Session,
    *,
    appellant: User,
    decision_id: int | None = None,
    sanction_id: int | None = None,
    statement: str | None,
    now: datetime,
) -> Appeal:
    """Ask for a different moderator to review a decision about one's comment or account."""
    subject = _subject(session, decision_id=decision_id, sanction_id=sanction_id)
    if subject.site_id != appellant.site_id:
        raise NotFound("There is no such decision.", code=ErrorCode.NOT_FOUND)
    if not permissions.can_appeal(appellant, _affected(subject)):
        raise Forbidden(
            "Only the person a decision is about can appeal it.", code=ErrorCode.FORBIDDEN
        )
    text = _statement_text(statement)
    column = Appeal.decision_id if isinstance(subject, Decision) else Appeal.sanction_id
    if session.scalar(select(Appeal.id).where(column == subject.id)) is not None:
        raise Conflict(
            "You have already asked for this decision to be reviewed.",
            code=ErrorCode.ALREADY_APPEALED,
        )
    _check_appealable(session, subject, now)
    appeal = Appeal(
        site_id=subject.site_id,
        appellant_id=appellant.id,
        decision_id=subject.id if isinstance(subject, Decision) else None,
        sanction_id=subject.id if isinstance(subject, Sanction) else None,
        comment_id=subject.comment_id if isinstance(subject, Decision) else None,
        statement=text,
        status=AppealStatus.OPEN,
        created_at=now,
    )
    session.add(appeal)
    session.flush()
    audit.write(
        session,
        site_id=appeal.site_id,
        actor=appellant,
        action="appeal.file",
        target_type="appeal",
        target_id=appeal.id,
        rule_key=subject.rule_key,
        note=f"{'decision' if appeal.decision_id else 'sanction'} {subject.id}",
        now=now,
    )
    events.record(
        session,
        events.ModerationChanged(
            kind="appealed",
            site_id=appeal.site_id,
            comment_id=appeal.comment_id,
            payload={"appeal_id": appeal.id},
        ),
    )
    return appeal


def _get_for_staff(session: Session, *, actor: User, appeal_id: int) -> Appeal:
    appeal = session.get(Appeal, appeal_id)
    if appeal is None or appeal.site_id != actor.site_id:
        raise NotFound("There is no such appeal.", code=ErrorCode.NOT_FOUND)
    require(permissions.can_resolve_appeal, actor, appeal.site_id)
    return appeal


def _overturn(session: Session, *, appeal: Appeal, actor: User, note: str, now: datetime) -> None:
    if appeal.decision_id is not None:
        original = session.get(Decision, appeal.decision_id)
        assert original is not None  # noqa: S101 - the foreign key cascades
        reversal = decisions.decide(
            session,
            actor=actor,
            comment_id=original.comment_id,
            request=decisions.DecisionRequest(
                action=REVERSAL[DecisionAction(original.action)],
                rule_id=original.rule_key,
                note=note,
                message=f"Your appeal succeeded: {note}",
            ),
            now=now,
        )
        appeal.outcome_decision_id = reversal.id
    else:
        sanction = session.get(Sanction, appeal.sanction_id)
        assert sanction is not None  # noqa: S101 - the foreign key cascades
        sanctions.lift(
            session,
            actor=actor,
            user_id=sanction.user_id,
            sanction_id=sanction.id,
            note=note,
            now=now,
        )


def resolve(
    session: Session,
    *,
    actor: User,
    appeal_id: int,
    outcome: str,
    note: str | None,
    now: datetime,
) -> Appeal:
    """Uphold or overturn an appeal; never by the moderator who took the decision."""
    appeal = _get_for_staff(session, actor=actor, appeal_id=appeal_id)
    try:
        result = Outcome(outcome)
    except ValueError:
        raise InvalidInput(
            "Choose upheld (the decision stands) or overturned (it is reversed).",
            code=ErrorCode.VALIDATION_ERROR,
            fields=[{"field": "outcome", "message": "upheld or overturned"}],
        ) from None
    text = clean_note(note, field="note")
    if not text:
        raise InvalidInput(
            "Add a note: the appellant is told why.",
            code=ErrorCode.VALIDATION_ERROR,
            fields=[{"field": "note", "message": "required"}],
        )
    if appeal.status != AppealStatus.OPEN:
        raise Conflict("This appeal has already been resolved.", code=ErrorCode.CONFLICT)
    if actor.id == decided_by(session, appeal):
        raise Forbidden(
            "You took this decision, so another moderator must review the appeal.",
            code=ErrorCode.SAME_MODERATOR,
        )
    if actor.id == appeal.appellant_id:
        raise Forbidden("You cannot resolve your own appeal.", code=ErrorCode.SAME_MODERATOR)
    if result == Outcome.OVERTURNED:
        _overturn(session, appeal=appeal, actor=actor, note=text, now=now)
    appeal.status = AppealStatus(result.value)
    appeal.resolved_at = now
    appeal.resolver_id = actor.id
    appeal.resolution_note = text
    session.flush()
    audit.write(
        session,
        site_id=appeal.site_id,
        actor=actor,
        action=f"appeal.{result.value}",
        target_type="appeal",
        target_id=appeal.id,
        note=text,
        now=now,
    )
    _tell_appellant(session, appeal=appeal)
    events.record(
        session,
        events.ModerationChanged(
            kind="appeal_resolved",
            site_id=appeal.site_id,
            comment_id=appeal.comment_id,
            payload={"appeal_id": appeal.id, "outcome": appeal.status},
        ),
    )
    return appeal


def _tell_appellant(session: Session, *, appeal: Appeal) -> None:
    overturned = appeal.status == AppealStatus.OVERTURNED
    what = (
        "the decision about your comment" if appeal.comment_id else "the sanction on your account"
    )
    assert appeal.resolved_at is not None  # noqa: S101 - set by resolve
    lines = [
        f"On {when(appeal.resolved_at)}, a moderator who did not take the original decision "
        f"reviewed your appeal against {what}.",
        "Outcome: overturned — the decision was reversed."
        if overturned
        else "Outcome: upheld — the decision stands.",
        f"The moderator's reasons: {appeal.resolution_note}",
        "This review was made by a person, not automatically.",
    ]
    subject = (
        session.get(Decision, appeal.decision_id)
        if appeal.decision_id
        else session.get(Sanction, appeal.sanction_id)
    )
    note = notifications_service.notify(
        session,
        user_id=appeal.appellant_id,
        site_id=appeal.site_id,
        kind=NotificationKind.APPEAL,
        title="Your appeal was successful" if overturned else "Your appeal was not upheld",
        body="\n".join(lines),
        now=appeal.resolved_at,
        comment_id=appeal.comment_id,
        decision_id=appeal.decision_id,
        sanction_id=appeal.sanction_id,
        action=f"appeal_{appeal.status}",
        rule_key=subject.rule_key if subject else None,
        rule_title=subject.rule_title if subject else None,
        contestable=False,
    )
    email_notice(session, note=note, category=MailCategory.DECISION, now=appeal.resolved_at)


# ---------------------------------------------------------------- views


def my_appeals(session: Session, *, user: User, limit: int = 200) -> list[Appeal]:
    """The user's appeals, newest first."""
    return list(
        session.scalars(
            select(Appeal)
            .where(Appeal.appellant_id == user.id)
            .order_by(Appeal.id.desc())
            .limit(limit)
        ).all()
    )


def list_appeals(
    session: Session, *, actor: User, site_id: str, status: str | None = "open", limit: int = 100
) -> list[Appeal]:
    """The site's appeals (open ones oldest first; resolved ones newest first)."""
    require(permissions.can_resolve_appeal, actor, site_id)
    if status is not None and status not in {s.value for s in AppealStatus}:
        raise InvalidInput(
            "Choose open, upheld or overturned.",
            code=ErrorCode.VALIDATION_ERROR,
            fields=[{"field": "status", "message": "open, upheld or overturned"}],
        )
    stmt = select(Appeal).where(Appeal.site_id == site_id)
    if status is not None:
        stmt = stmt.where(Appeal.status == status)
    order = Appeal.id.asc() if status == AppealStatus.OPEN else Appeal.id.desc()
    return list(session.scalars(stmt.order_by(order).limit(limit)).all())


def open_count(session: Session, *, site_id: str) -> int:
    """How many appeals wait for a moderator (the dashboard tab's count)."""
    return int(
        session.scalar(
            select(func.count(Appeal.id)).where(
                Appeal.site_id == site_id, Appeal.status == AppealStatus.OPEN
            )
        )
        or 0
    )
