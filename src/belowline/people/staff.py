"""Staff changes: a person's role, and deactivating staff, never leaving a site without an admin."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from belowline import permissions
from belowline.accounts.models import Role, User
from belowline.audit import service as audit
from belowline.errors import BelowlineError, ErrorCode, Forbidden, InvalidInput, NotFound


def _target(session: Session, *, actor: User | None, site_id: str, user_id: int) -> User:
    if not permissions.can_administer(actor, site_id):
        raise Forbidden("Only the site's admins can do that.", code=ErrorCode.FORBIDDEN)
    user = session.get(User, user_id)
    if user is None or user.site_id != site_id:
        raise NotFound("No such user on this site.", code=ErrorCode.USER_NOT_FOUND)
    return user


def _keep_an_admin(session: Session, *, site_id: str, leaving: User) -> None:
    """Refuse a change that would leave the site with no active admin."""
    others = session.scalar(
        select(func.count(User.id)).where(
            User.site_id == site_id,
            User.role == Role.ADMIN,
            User.deactivated_at.is_(None),
            User.id != leaving.id,
        )
    )
    if not others:
        raise BelowlineError(
            "This is the site's last admin: make someone else an admin first.",
            code=ErrorCode.LAST_ADMIN,
            status_code=409,
        )


def change(
    session: Session,
    *,
    actor: User | None,
    site_id: str,
    user_id: int,
    now: datetime,
    role: Role | None = None,
    active: bool | None = None,
) -> User:
    """Change a role and/or (de)activate a staff account; each change is audited."""
    user = _target(session, actor=actor, site_id=site_id, user_id=user_id)
    if role is None and active is None:
        raise InvalidInput(
            "Send a role, active, or both.", code=ErrorCode.VALIDATION_ERROR, field="role"
        )
    losing_admin = (
        user.role == Role.ADMIN
        and user.deactivated_at is None
        and ((role is not None and role != Role.ADMIN) or active is False)
    )
    if losing_admin:
        _keep_an_admin(session, site_id=site_id, leaving=user)
    if active is False and (role or user.role) == Role.COMMENTER:
        raise InvalidInput(
            "Only staff accounts are deactivated; readers are suspended or banned.",
            code=ErrorCode.VALIDATION_ERROR,
            field="active",
        )
    if role is not None and role != user.role:
        before = user.role
        user.role = role
        audit.write(
            session,
            site_id=site_id,
            actor=actor,
            action="user.role",
            target_type="user",
            target_id=user.id,
            note=f"{before} → {role}",
            now=now,
        )
    if active is not None and active != (user.deactivated_at is None):
        user.deactivated_at = None if active else now
        audit.write(
            session,
            site_id=site_id,
            actor=actor,
            action="user.reactivate" if active else "user.deactivate",
            target_type="user",
            target_id=user.id,
            note=user.display_name,
            now=now,
        )
    session.flush()
    return user
