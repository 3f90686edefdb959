"""Muting: a reader's own list of readers whose comments collapse for them (never shared)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from belowline.accounts.models import Mute, User
from belowline.errors import ErrorCode, InvalidInput, NotFound

MAX_MUTES = 1000  # a list that long is a mistake, and /me carries it on every page view


def muted_ids(session: Session, *, user_id: int) -> list[int]:
    """The ids this reader has muted, oldest first."""
    rows = session.scalars(
        select(Mute.muted_user_id)
        .where(Mute.user_id == user_id)
        .order_by(Mute.created_at, Mute.muted_user_id)
    )
    return list(rows)


def mute(session: Session, *, reader: User, target_id: int, now: datetime) -> list[int]:
    """Mute a reader of the same site (idempotent); the answer is the whole list."""
    if target_id == reader.id:
        raise InvalidInput("You cannot mute yourself.", code=ErrorCode.CANNOT_MUTE_SELF)
    target = session.get(User, target_id)
    if target is None or target.site_id != reader.site_id:
        raise NotFound("There is no such reader.", code=ErrorCode.USER_NOT_FOUND)
    if session.get(Mute, (reader.id, target_id)) is None:
        current = muted_ids(session, user_id=reader.id)
        if len(current) >= MAX_MUTES:
            raise InvalidInput(
                f"You can mute at most {MAX_MUTES} readers.", code=ErrorCode.INVALID_ACTION
            )
        session.add(Mute(user_id=reader.id, muted_user_id=target_id, created_at=now))
        session.flush()
    return muted_ids(session, user_id=reader.id)


def unmute(session: Session, *, reader: User, target_id: int) -> list[int]:
    """Unmute (idempotent: unmuting someone not muted changes nothing)."""
    session.execute(delete(Mute).where(Mute.user_id == reader.id, Mute.muted_user_id == target_id))
    session.flush()
    return muted_ids(session, user_id=reader.id)
