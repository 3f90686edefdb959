"""Accounts: who a user is, what they are entitled to, and how they sign in.

Invariants: a user belongs to exactly one site; entitlement to post is a subscription that has
not lapsed (staff are always entitled); sanctions are checked on every write.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from belowline.accounts.models import Role, User
from belowline.accounts.passwords import hash_password, verify_password
from belowline.accounts.sso import PublisherIdentity
from belowline.errors import (
    BelowlineError,
    ErrorCode,
    Forbidden,
    InvalidInput,
    NotAuthenticated,
    NotFound,
)


def get_user(session: Session, *, user_id: int) -> User:
    """Get a user by id or raise `user_not_found`."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("No such user.", code=ErrorCode.USER_NOT_FOUND)
    return user


def create_user(
    session: Session,
    *,
    site_id: str,
    email: str | None,
    display_name: str,
    now: datetime,
    password: str | None = None,
    role: Role = Role.COMMENTER,
    subscriber: bool = False,
    subscription_expires_at: datetime | None = None,
    external_id: str | None = None,
) -> User:
    """Create a local or SSO user; emails are unique within a site."""
    email_norm = email.strip().lower() if email else None
    if email_norm and session.scalar(
        select(User.id).where(User.site_id == site_id, User.email == email_norm)
    ):
        raise BelowlineError(
            "A user with that email already exists on this site.",
            code=ErrorCode.ALREADY_EXISTS,
            status_code=409,
        )
    if password is not None and len(password) < 8:
        raise InvalidInput("Passwords need at least 8 characters.", code=ErrorCode.VALIDATION_ERROR)
    user = User(
        site_id=site_id,
        email=email_norm,
        display_name=display_name.strip()[:100] or "Reader",
        password_hash=hash_password(password) if password else None,
        role=role,
        is_subscriber=subscriber,
        subscription_expires_at=subscription_expires_at,
        external_id=external_id,
        created_at=now,
    )
    session.add(user)
    session.flush()
    return user


def authenticate_local(session: Session, *, site_id: str, email: str, password: str) -> User:
    """Check a local password; the same error whether or not the email exists."""
    user = session.scalar(
        select(User).where(User.site_id == site_id, User.email == email.strip().lower())
    )
    ok = verify_password(user.password_hash if user else None, password)
    if user is None or not ok:
        raise NotAuthenticated(
            "That email and password do not match an account on this site.",
            code=ErrorCode.INVALID_CREDENTIALS,
        )
    require_active(user)
    return user


def require_active(user: User) -> None:
    """Raise unless the account is active: a deactivated account cannot sign in or act."""
    if user.deactivated_at is not None:
        raise NotAuthenticated(
            "This account has been deactivated. Ask the site's admins.",
            code=ErrorCode.ACCOUNT_DEACTIVATED,
        )


def upsert_sso_user(
    session: Session, *, site_id: str, identity: PublisherIdentity, now: datetime
) -> User:
    """Create or refresh the user the publisher vouches for, with their subscription state."""
    stmt = select(User).where(User.site_id == site_id, User.external_id == identity.external_id)
    user = session.scalar(stmt)
    email = identity.email.strip().lower() if identity.email else None
    if user is None and email:
        # An imported author (no publisher id, no password yet) becomes this reader's account.
        user = session.scalar(
            select(User).where(
                User.site_id == site_id,
                User.email == email,
                User.external_id.is_(None),
                User.password_hash.is_(None),
                User.role == Role.COMMENTER,
            )
        )
        if user is not None:
            user.external_id = identity.external_id
    if user is None:
        if email and session.scalar(
            select(User.id).where(User.site_id == site_id, User.email == email)
        ):
            email = None  # another account holds it; the publisher's id is what counts
        user = User(
            site_id=site_id,
            external_id=identity.external_id,
            created_at=now,
            email=email,
            display_name=identity.display_name,
            role=Role.COMMENTER,
            is_subscriber=identity.subscriber,
            banned=False,
            premoderated=False,
        )
        user = _insert_or_existing(session, user, stmt)
    require_active(user)
    user.display_name = identity.display_name
    user.is_subscriber = identity.subscriber
    user.subscription_expires_at = identity.subscription_expires_at
    user.last_seen_at = now
    session.flush()
    return user


def _insert_or_existing(session: Session, user: User, existing: Select[User]) -> User:
    """Insert a new SSO reader, or take the row a simultaneous sign-in (two widgets) made.

    The row is added inside the savepoint, so a refused INSERT leaves nothing pending behind.
    """
    try:
        with session.begin_nested():
            session.add(user)
            session.flush()
        return user
    except IntegrityError:
        pass
    found = session.scalars(existing).first()
    if found is not None:
        return found
    user.email = None  # the address went to another account meanwhile; the publisher's id counts
    with session.begin_nested():
        session.add(user)
        session.flush()
    return user


def is_entitled(user: User, *, now: datetime) -> bool:
    """Return True if the user may post: staff, or a subscription that has not lapsed."""
    if user.is_staff:
        return True
    if not user.is_subscriber:
        return False
    return user.subscription_expires_at is None or user.subscription_expires_at > now


def subscription_state(user: User, *, now: datetime) -> str:
    """One of active, lapsed, none: what the embed shows the reader."""
    if is_entitled(user, now=now):
        return "active"
    if user.subscription_expires_at is not None or user.is_subscriber:
        return "lapsed"
    return "none"


def require_may_write(user: User, *, now: datetime) -> None:
    """Raise unless the user may post or edit now (entitlement and sanctions)."""
    if user.banned:
        raise Forbidden(
            "Your account has been banned from commenting.", code=ErrorCode.USER_SUSPENDED
        )
    if user.suspended_until is not None and user.suspended_until > now:
        raise Forbidden(
            f"Your account is suspended from commenting until "
            f"{user.suspended_until.strftime('%d %B %Y %H:%M UTC')}.",
            code=ErrorCode.USER_SUSPENDED,
            until=user.suspended_until.isoformat(),
        )
    if not is_entitled(user, now=now):
        raise Forbidden(
            "Commenting is for subscribers. Subscribe or renew to join the conversation.",
            code=ErrorCode.SUBSCRIPTION_REQUIRED,
        )
