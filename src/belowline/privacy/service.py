"""Data requests: a reader acts on their own data; an admin acts on a request made by email."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from belowline.accounts.models import User
from belowline.audit import service as audit
from belowline.errors import ErrorCode, Forbidden, InvalidInput, NotFound
from belowline.permissions import can_handle_data_requests
from belowline.privacy.erase import erase_person
from belowline.privacy.export import export_person


def find_person(
    session: Session, *, actor: User | None, site_id: str, user_id: int | None, email: str | None
) -> User:
    """The site's person named by id or email address (admins of the site only)."""
    if not can_handle_data_requests(actor, site_id):
        raise Forbidden("Only the site's admins handle data requests.", code=ErrorCode.FORBIDDEN)
    if (user_id is None) == (email is None):
        raise InvalidInput("Give either user_id or email.", code=ErrorCode.VALIDATION_ERROR)
    stmt = select(User).where(User.site_id == site_id)
    if user_id is not None:
        stmt = stmt.where(User.id == user_id)
    else:
        stmt = stmt.where(func.lower(User.email) == (email or "").strip().lower())
    user = session.scalar(stmt)
    if user is None:
        raise NotFound("Nobody on this site has that id or address.", code=ErrorCode.USER_NOT_FOUND)
    return user


def export_for_admin(
    session: Session, *, actor: User | None, person: User, now: datetime
) -> dict[str, Any]:
    """An admin's export of a person's data, on the audit log."""
    data = export_person(session, user=person)
    audit.write(
        session,
        site_id=person.site_id,
        actor=actor,
        action="privacy.export",
        target_type="user",
        target_id=person.id,
        now=now,
    )
    return data


def erase(session: Session, *, actor: User | None, person: User, now: datetime) -> dict[str, Any]:
    """Erase the person (they themselves, or an admin of their site)."""
    if actor is None or (
        actor.id != person.id and not can_handle_data_requests(actor, person.site_id)
    ):
        raise Forbidden("You cannot erase this account.", code=ErrorCode.FORBIDDEN)
    return erase_person(session, user=person, actor=actor, now=now)
