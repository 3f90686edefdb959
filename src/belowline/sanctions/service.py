"""Sanctions on accounts: warn, suspend, ban, pre-moderate; lifted by admins.

Invariants: the user's sanction columns (banned, suspended_until, premoderated[_until]) are
always recomputed from the active sanctions, so lifting one never clears another; a warning
blocks posting until its user acknowledges it; every step is audited and explained to the user.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from belowline import events, permissions
from belowline.accounts import poster
from belowline.accounts import service as accounts_service
from belowline.accounts.models import User
from belowline.audit import service as audit
from belowline.comments.views import iso
from belowline.db.prepared import Prepared
from belowline.decisions import statements
from belowline.errors import Conflict, ErrorCode, Forbidden, InvalidInput, NotFound
from belowline.permissions import require
from belowline.rules.citations import cite_rule
from belowline.sanctions.models import Sanction, SanctionKind
from belowline.stories import facts
from belowline.textfields import clean_note


@dataclass(frozen=True)
class SanctionRequest:
    kind: str
    rule_id: str | None
    until: datetime | None = None
    note: str | None = None
    message: str | None = None


def _parse_kind(kind: str) -> SanctionKind:
    try:
        return SanctionKind(kind)
    except ValueError:
        raise InvalidInput(
            "Choose warn, suspend, ban or premoderate.",
            code=ErrorCode.VALIDATION_ERROR,
            fields=[{"field": "kind", "message": "warn, suspend, ban or premoderate"}],
        ) from None


def _check_until(kind: SanctionKind, until: datetime | None, now: datetime) -> datetime | None:
    if kind == SanctionKind.WARN:
        return None
    if until is not None and until.tzinfo is None:
        raise InvalidInput(
            "Give 'until' with a time zone, e.g. 2026-12-01T09:00:00Z.",
            code=ErrorCode.VALIDATION_ERROR,
            fields=[{"field": "until", "message": "needs a time zone"}],
        )
    if kind == SanctionKind.SUSPEND and until is None:
        raise InvalidInput(
            "A suspension needs an end time ('until'); use a ban for no end.",
            code=ErrorCode.VALIDATION_ERROR,
            fields=[{"field": "until", "message": "required for a suspension"}],
        )
    if until is not None and until <= now:
        raise InvalidInput(
            "'until' must be in the future.",
            code=ErrorCode.VALIDATION_ERROR,
            fields=[{"field": "until", "message": "must be in the future"}],
        )
    return until


def is_active(sanction: Sanction, *, now: datetime) -> bool:
    """Return True if the sanction still applies now."""
    if sanction.lifted_at is not None:
        return False
    if sanction.kind == SanctionKind.WARN:
        return sanction.acknowledged_at is None
    return sanction.until is None or sanction.until > now


def active_sanctions(session: Session, *, user_id: int, now: datetime) -> list[Sanction]:
    rows = session.scalars(
        select(Sanction).where(Sanction.user_id == user_id, Sanction.lifted_at.is_(None))
    ).all()
    return [s for s in rows if is_active(s, now=now)]


def recompute_user(session: Session, *, user: User, now: datetime) -> None:
    """Set the account's sanction columns from its active sanctions."""
    active = active_sanctions(session, user_id=user.id, now=now)
    user.banned = any(s.kind == SanctionKind.BAN and s.until is None for s in active)
    suspends = [
        s.until
        for s in active
        if s.until is not None and s.kind in (SanctionKind.SUSPEND, SanctionKind.BAN)
    ]
    user.suspended_until = max(suspends) if suspends else None
    premods = [s for s in active if s.kind == SanctionKind.PREMODERATE]
    user.premoderated = any(s.until is None for s in premods)
    dated = [s.until for s in premods if s.until is not None]
    user.premoderated_until = max(dated) if dated else None
    session.flush()


def impose(
    session: Session, *, actor: User | None, user_id: int, request: SanctionRequest, now: datetime
) -> Sanction:
    """Sanction an account under a rule, with a statement of reasons to its holder."""
    target = accounts_service.get_user(session, user_id=user_id)
    if actor is not None and not permissions.can_sanction(actor, target.site_id, target):
        require(permissions.can_moderate, actor, target.site_id)
        raise Forbidden(
            "You cannot sanction this account (your own, or staff without being an admin).",
            code=ErrorCode.FORBIDDEN,
        )
    kind = _parse_kind(request.kind)
    rule = cite_rule(session, site_id=target.site_id, rule_key=request.rule_id)
    until = _check_until(kind, request.until, now)
    sanction = Sanction(
        site_id=target.site_id,
        user_id=target.id,
        kind=kind,
        until=until,
        rule_key=rule.key,
        rule_title=rule.title,
        note=clean_note(request.note, field="note"),
        message_to_user=clean_note(request.message, field="message"),
        actor_id=actor.id if actor else None,
        automated=actor is None,
        created_at=now,
    )
    session.add(sanction)
    session.flush()
    recompute_user(session, user=target, now=now)
    audit.write(
        session,
        site_id=target.site_id,
        actor=actor,
        action=f"sanction.{kind.value}",
        target_type="user",
        target_id=target.id,
        rule_key=rule.key,
        note=sanction.note,
        automated=actor is None,
        now=now,
    )
    statements.for_sanction(session, sanction=sanction)
    events.record(
        session,
        events.ModerationChanged(
            kind="sanctioned",
            site_id=target.site_id,
            payload={
                "user_id": target.id,
                "sanction_id": sanction.id,
                "kind": kind.value,
                "until": iso(until),
                "rule_id": rule.key,
                "automated": actor is None,
            },
        ),
    )
    return sanction


def lift(
    session: Session,
    *,
    actor: User,
    user_id: int,
    sanction_id: int,
    note: str | None,
    now: datetime,
) -> Sanction:
    """Lift a sanction early (admins only)."""
    sanction = session.get(Sanction, sanction_id)
    if sanction is None or sanction.user_id != user_id:
        raise NotFound("There is no such sanction on this account.", code=ErrorCode.NOT_FOUND)
    require(permissions.can_lift_sanction, actor, sanction.site_id)
    if sanction.lifted_at is not None:
        raise Conflict("This sanction has already been lifted.", code=ErrorCode.INVALID_ACTION)
    sanction.lifted_at = now
    sanction.lifted_by_id = actor.id
    sanction.lift_note = clean_note(note, field="note")
    user = accounts_service.get_user(session, user_id=sanction.user_id)
    recompute_user(session, user=user, now=now)
    audit.write(
        session,
        site_id=sanction.site_id,
        actor=actor,
        action="sanction.lift",
        target_type="sanction",
        target_id=sanction.id,
        rule_key=sanction.rule_key,
        note=sanction.lift_note,
        now=now,
    )
    statements.for_lift(session, sanction=sanction, now=now)
    return sanction


# Built once: building a SELECT costs more than running it (a post checks this).
_PENDING_WARNING = Prepared(
    select(Sanction.id)
    .where(
        Sanction.user_id == bindparam("user_id"),
        Sanction.kind == SanctionKind.WARN,
        Sanction.acknowledged_at.is_(None),
        Sanction.lifted_at.is_(None),
    )
    .order_by(Sanction.id)
    .limit(1)
)


def _pending_warning_of(user_id: ColumnElement[int]) -> ColumnElement[int]:
    return (
        select(Sanction.id)
        .where(
            Sanction.user_id == user_id,
            Sanction.kind == SanctionKind.WARN,
            Sanction.acknowledged_at.is_(None),
            Sanction.lifted_at.is_(None),
        )
        .order_by(Sanction.id)
        .limit(1)
        .scalar_subquery()
    )


# Read with the poster's row (accounts/poster.py): a post then spends no statement of its own.
poster.register("pending_warning", _pending_warning_of)


def pending_warning(session: Session, *, user_id: int) -> Sanction | None:
    """The oldest warning the user has not acknowledged yet, if any."""
    known, warning_id = poster.prefetched(session, user_id=user_id, name="pending_warning")
    if not known:
        warning_id = _PENDING_WARNING.scalar(session, {"user_id": user_id})
    return None if warning_id is None else session.get(Sanction, warning_id)


def require_no_pending_warning(session: Session, *, user: User) -> None:
    """Raise 403 `warning_not_acknowledged` while the user has an unacknowledged warning."""
    # "No warning" is kept per process until any sanction on the site bumps its facts.
    known = facts.current(session, user.site_id)
    key = ("no_warning", user.id)
    if known is not None and key in known.memo:
        return
    warning = pending_warning(session, user_id=user.id)
    if warning is None and known is not None:
        known.remember(key, True)
    if warning is not None:
        raise Forbidden(
            "You have a warning from the moderators. Read and acknowledge it before posting.",
            code=ErrorCode.WARNING_NOT_ACKNOWLEDGED,
            warning_id=warning.id,
        )


def acknowledge_warning(
    session: Session, *, user: User, warning_id: int, now: datetime
) -> Sanction:
    """The user confirms they read a warning; they may post again."""
    warning = session.get(Sanction, warning_id)
    if warning is None or warning.user_id != user.id or warning.kind != SanctionKind.WARN:
        raise NotFound("There is no such warning.", code=ErrorCode.NOT_FOUND)
    if warning.acknowledged_at is None:
        warning.acknowledged_at = now
        audit.write(
            session,
            site_id=warning.site_id,
            actor=user,
            action="sanction.acknowledge",
            target_type="sanction",
            target_id=warning.id,
            now=now,
        )
    session.flush()
    return warning
